from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.core.views import ObjectDetailView, ObjectListView, require_perm

from . import selectors, services
from .filters import UserFilterSet
from .forms import (
    LoginForm,
    RoleGrantForm,
    TokenCreateForm,
    UserCreateForm,
    UserFieldsForm,
    apply_service_errors,
)
from .models import ApiToken, RoleAssignment, User
from .tables import UserTable


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_change(self.request.user, self.request.user, "changed by the user")
        messages.success(self.request, _("Your password was changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_change(None, form.user, "reset through an e-mailed link")
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ProfileView(LoginRequiredMixin, View):
    """The signed-in user's own page: who they are, their roles and areas, their API tokens."""

    def get(self, request):
        return render(request, "accounts/profile.html", self.context(request))

    def context(self, request, token_form=None, new_token=None):
        return {
            "title": _("My account"),
            "assignments": selectors.active_assignments(request.user),
            "tokens": list(request.user.api_tokens.all()),
            "token_form": token_form or TokenCreateForm(),
            "new_token": new_token,
        }


class TokenCreateView(LoginRequiredMixin, View):
    def post(self, request):
        form = TokenCreateForm(request.POST)
        new_token = None
        if form.is_valid():
            try:
                _token, new_token = services.create_token(
                    request.user,
                    name=form.cleaned_data["name"],
                    expires_in_days=form.cleaned_data.get("expires_in_days"),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Token created. Copy it now: it will not be shown again."))
                form = TokenCreateForm()
        status = 200 if new_token else 400
        return render(
            request,
            "accounts/profile.html",
            ProfileView().context(request, token_form=form, new_token=new_token),
            status=status,
        )


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        services.revoke_token(request.user, token)
        messages.success(request, _("Token revoked."))
        return redirect("accounts:profile")


class UserListView(ObjectListView):
    model = User
    table_class = UserTable
    filterset_class = UserFilterSet
    title = gettext_lazy("Users")
    export_name = "nguoi-dung"
    add_url_name = "accounts:user_create"
    add_permission = "accounts.add_user"

    def get(self, request, *args, **kwargs):
        require_perm(request.user, "accounts.view_user")
        return super().get(request, *args, **kwargs)

    def get_queryset(self, request):
        return selectors.users_for_list(request.user)


class UserDetailView(ObjectDetailView):
    model = User
    template_name = "accounts/user_detail.html"

    def get_queryset(self, request):
        require_perm(request.user, "accounts.view_user")
        return super().get_queryset(request)

    def extra_context(self, request, obj):
        can_change = User.objects.for_user(request.user, "change").filter(pk=obj.pk).exists()
        return {
            "assignments": list(obj.role_assignments.select_related("role", "area", "granted_by")),
            "can_change": can_change,
            "can_grant": selectors.has_perm(request.user, "accounts.add_roleassignment") and can_change,
            "grant_form": RoleGrantForm(),
        }


class UserCreateView(LoginRequiredMixin, View):
    template_name = "accounts/user_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, "accounts.add_user")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": UserCreateForm(), "title": _("New user")})

    def post(self, request):
        form = UserCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.create_user(
                    request.user,
                    username=data["username"],
                    password=data["password"],
                    role=data["role"],
                    area=data.get("area"),
                    valid_until=data.get("valid_until"),
                    **{k: data.get(k, "") for k in services.USER_FIELDS},
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("area", str(exc) or _("You may not create this account."))
            else:
                messages.success(request, _("Account %(name)s created.") % {"name": user})
                return redirect(user.get_absolute_url())
        return render(request, self.template_name, {"form": form, "title": _("New user")}, status=400)


class UserEditView(LoginRequiredMixin, View):
    template_name = "accounts/user_form.html"

    def get_user(self, request, pk):
        return get_object_or_404(User.objects.for_user(request.user, "change"), pk=pk)

    def get(self, request, pk):
        user = self.get_user(request, pk)
        form = UserFieldsForm(initial={k: getattr(user, k) for k in services.USER_FIELDS})
        return render(
            request,
            self.template_name,
            {"form": form, "object": user, "title": _("Edit %(name)s") % {"name": user}},
        )

    def post(self, request, pk):
        user = self.get_user(request, pk)
        form = UserFieldsForm(request.POST)
        if form.is_valid():
            try:
                services.update_user(request.user, user, form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(user.get_absolute_url())
        return render(
            request,
            self.template_name,
            {"form": form, "object": user, "title": _("Edit %(name)s") % {"name": user}},
            status=400,
        )


class UserSetActiveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        user = get_object_or_404(User.objects.for_user(request.user, "change"), pk=pk)
        active = request.POST.get("active") == "1"
        services.set_active(request.user, user, active, request.POST.get("reason", "")[:500])
        messages.success(request, _("Account enabled.") if active else _("Account disabled."))
        return redirect(user.get_absolute_url())


class RoleGrantView(LoginRequiredMixin, View):
    def post(self, request, pk):
        user = get_object_or_404(User.objects.for_user(request.user, "change"), pk=pk)
        form = RoleGrantForm(request.POST)
        if form.is_valid():
            try:
                services.grant_role(
                    request.user,
                    user,
                    form.cleaned_data["role"],
                    form.cleaned_data.get("area"),
                    form.cleaned_data.get("valid_until"),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("area", str(exc) or _("You may not grant this role."))
            else:
                messages.success(request, _("Role granted."))
                return redirect(user.get_absolute_url())
        view = UserDetailView()
        context = {
            "object": user,
            "title": str(user),
            **view.extra_context(request, user),
            "grant_form": form,
        }
        from ocop.audit.selectors import history_for

        context["history"] = history_for(user)
        return render(request, "accounts/user_detail.html", context, status=400)


class RoleRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        assignment = get_object_or_404(
            RoleAssignment.objects.for_user(request.user, "delete").select_related("user", "role", "area"),
            pk=pk,
        )
        try:
            services.revoke_role(request.user, assignment, request.POST.get("reason", "")[:500])
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not revoke this role."))
        else:
            messages.success(request, _("Role revoked."))
        return redirect(reverse("accounts:user_detail", args=[assignment.user_id]))
