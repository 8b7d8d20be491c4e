"""Generic views in NetBox's manner. A list view is a scoped queryset + a filterset + a table:
it renders the page, answers htmx with the table alone, and exports the same filtered list.
Detail views fetch through `for_user` (out of scope is a 404) and show the object's history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from ocop.accounts.selectors import has_perm, role_codes

from .datacache import CountedPaginator, list_key
from .export import export_response
from .filters import scope_area_choices
from .scope import permission_name


def page_size(request) -> int:
    try:
        size = int(request.GET.get("per_page", settings.OCOP_PAGE_SIZE))
    except ValueError:
        size = settings.OCOP_PAGE_SIZE
    return max(10, min(size, 500))


class ObjectListView(LoginRequiredMixin, View):
    model = None
    table_class = None
    filterset_class = None
    template_name = "core/object_list.html"
    action = "view"
    title = ""
    export_name = ""
    add_url_name: str | None = None
    add_permission: str | None = None

    def get_queryset(self, request):
        return self.model.objects.for_user(request.user, self.action)

    def get_title(self) -> str:
        return str(self.title or self.model._meta.verbose_name_plural).capitalize()

    def extra_context(self, request) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset(request)
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(request.GET or None, queryset=queryset, request=request)
            scope_area_choices(filterset, request.user, permission_name(self.model, self.action))
            queryset = (
                filterset.qs
                if filterset.is_bound and filterset.is_valid()
                else (queryset.none() if filterset.is_bound else queryset)
            )
        table = self.table_class(queryset, sort=request.GET.get("sort"))

        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.export(request, table, export)

        paginator = CountedPaginator(table.queryset, page_size(request), key=list_key(request))
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        for key in ("page", "sort", "export"):
            query.pop(key, None)
        context = {
            "title": self.get_title(),
            "table": table,
            "header": table.header(),
            "rows": table.rows(page.object_list),
            "page": page,
            "paginator": paginator,
            "filterset": filterset,
            "query": query.urlencode(),
            "sort": table.sort,
            "add_url_name": self.add_url_name
            if self.add_url_name
            and (self.add_permission is None or has_perm(request.user, self.add_permission))
            else None,
            **self.extra_context(request),
        }
        if request.htmx and request.htmx.target == "object-table":
            return render(request, "core/_table.html", context)
        return render(request, self.template_name, context)

    def export(self, request, table, fmt):
        count = table.queryset.count()
        if count > settings.OCOP_EXPORT_MAX_ROWS:
            messages.error(
                request,
                _("The list has %(count)s rows; narrow the filters to at most %(max)s to export it.")
                % {"count": count, "max": settings.OCOP_EXPORT_MAX_ROWS},
            )
            query = request.GET.copy()
            query.pop("export", None)
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        from ocop.audit import services as audit

        with transaction.atomic():
            audit.record(
                actor=request.user,
                action="export",
                object_type=f"{self.model._meta.app_label}.{self.model._meta.model_name}",
                object_repr=self.get_title(),
                message=f"{fmt}: {count} rows; filters: {request.GET.urlencode()}",
            )
        basename = self.export_name or slugify(self.model._meta.verbose_name_plural) or "export"
        return export_response(table, fmt, basename)


class ObjectDetailView(LoginRequiredMixin, View):
    model = None
    template_name = ""
    action = "view"
    show_history = True

    def get_queryset(self, request):
        return self.model.objects.for_user(request.user, self.action)

    def get_object(self, request, pk):
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def extra_context(self, request, obj) -> dict:
        return {}

    def get(self, request, pk, *args, **kwargs):
        obj = self.get_object(request, pk)
        context = {"object": obj, "title": str(obj), **self.extra_context(request, obj)}
        if self.show_history:
            from ocop.audit.selectors import history_for

            context["history"] = history_for(obj)
        return render(request, self.template_name, context)


class ServiceFormView(LoginRequiredMixin, View):
    """GET shows the form; POST validates it, calls the service, shows errors in place."""

    template_name = "core/form.html"
    form_class = None
    title = ""

    def get_object(self, request, pk):
        return None

    def get_form(self, request, obj, data=None):
        return self.form_class(data, instance=obj) if obj is not None else self.form_class(data)

    def call_service(self, request, obj, form):
        raise NotImplementedError

    def context(self, request, obj, form):
        return {"form": form, "object": obj, "title": self.title or str(obj)}

    def get(self, request, pk=None):
        obj = self.get_object(request, pk)
        return render(request, self.template_name, self.context(request, obj, self.get_form(request, obj)))

    def post(self, request, pk=None):
        obj = self.get_object(request, pk)
        form = self.get_form(request, obj, request.POST)
        if form.is_valid():
            try:
                result = self.call_service(request, obj, form)
            except ValidationError as exc:
                from ocop.accounts.forms import apply_service_errors

                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You may not do this."))
            else:
                messages.success(request, _("Saved."))
                return redirect(result.get_absolute_url())
        return render(request, self.template_name, self.context(request, obj, form), status=400)


def error_text(exc) -> str:
    """A service's refusal as one line (a ValidationError's messages, a PermissionDenied's text)."""
    return " ".join(exc.messages) if hasattr(exc, "messages") else (str(exc) or _("You may not do this."))


def run_service(request, action, success: str):
    """Call a service from a POST and put its outcome in the messages: the service's result (True
    when it returns nothing), or None when it refused (ValidationError, PermissionDenied)."""
    try:
        outcome = action()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return None
    messages.success(request, success)
    return outcome or True


def form_data(form) -> dict:
    """A form's cleaned data, or its errors (each prefixed with its field's label) raised as a
    ValidationError — for POST actions whose form is not re-displayed."""
    if form.is_valid():
        return form.cleaned_data
    problems = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        problems.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    raise ValidationError(problems)


def require_perm(user, permission: str, unit=None) -> None:
    if not has_perm(user, permission, unit):
        raise PermissionDenied


class HomeView(LoginRequiredMixin, View):
    def get(self, request):
        from ocop.accounts.selectors import active_assignments
        from ocop.geo.selectors import former_provinces, home_area
        from ocop.reporting.views import dashboard_context

        area = home_area()
        return render(
            request,
            "core/home.html",
            {
                "title": _("Home"),
                "assignments": active_assignments(request.user),
                "roles": role_codes(request.user),
                "home_area": area,
                "former_provinces": former_provinces(area),
                # The reporting app's dashboard of the user's first area (None without the right).
                "dashboard": dashboard_context(request, area_param=""),
            },
        )


class TaskProgressView(LoginRequiredMixin, View):
    """Progress of one of the user's background tasks; htmx polls the partial until done."""

    def get(self, request, pk):
        from .models import TaskProgress

        progress = get_object_or_404(TaskProgress.objects.for_user(request.user, "view"), pk=pk)
        template = "core/_task_progress.html" if request.htmx else "core/task_progress.html"
        return render(request, template, {"progress": progress, "title": progress.label})


def health(request):
    """Liveness and database check for the load balancer and systemd: no login, no data."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


def _api_error(request, status: int, detail: str):
    from django.http import JsonResponse

    return JsonResponse({"detail": detail, "errors": []}, status=status)


def page_not_found(request, exception=None):
    """404: JSON under /api/ (same shape as the API's errors), the site's page elsewhere."""
    from django.views import defaults

    if request.path.startswith("/api/"):
        return _api_error(request, 404, _("Not found."))
    return defaults.page_not_found(request, exception)


def server_error(request):
    from django.views import defaults

    if request.path.startswith("/api/"):
        return _api_error(request, 500, _("Server error. It has been logged; please try again later."))
    return defaults.server_error(request)


class NotificationListView(LoginRequiredMixin, View):
    """The user's own notifications; POST marks them read (all, or one with `id`)."""

    def get(self, request):
        from .models import Notification

        notices = list(Notification.objects.filter(recipient=request.user)[:200])
        return render(request, "core/notifications.html", {"title": _("Notifications"), "notices": notices})

    def post(self, request):
        from .notifications import mark_read

        raw = request.POST.get("id", "")
        mark_read(request.user, [int(raw)] if raw.isdigit() else None)
        target = request.POST.get("next", "")
        from django.utils.http import url_has_allowed_host_and_scheme

        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(request.path)
