"""Pages of producer self-service, and the officers' approval of key changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.accounts.forms import apply_service_errors
from ocop.core.tables import Column, Table
from ocop.core.views import ObjectListView

from . import selfservice
from .forms import ProducerForm, ProductForm
from .models import ChangeRequest, Producer, Product


class MyProductsView(LoginRequiredMixin, View):
    def get(self, request):
        producers = list(selfservice.own_producers(request.user))
        products = list(
            Product.objects.filter(producer__in=producers)
            .with_star_on(timezone.localdate())
            .select_related("producer", "category", "commune")
        )
        return render(
            request,
            "registry/my_products.html",
            {
                "title": _("My producer and products"),
                "producers": producers,
                "products": products,
                "expiring": list(selfservice.expiring_certificates(request.user)),
                "requests": list(
                    ChangeRequest.objects.filter(requested_by=request.user).select_related(
                        "producer", "product"
                    )[:20]
                ),
                "today": timezone.localdate(),
            },
        )


class _OwnEditView(LoginRequiredMixin, View):
    model = None
    form_class = None
    fields: tuple[str, ...] = ()
    key_fields: tuple[str, ...] = ()

    def get_object(self, request, pk):
        obj = get_object_or_404(self.model.objects.select_related("commune"), pk=pk)
        producer = obj if isinstance(obj, Producer) else obj.producer
        if not selfservice.is_own(request.user, producer):
            raise Http404
        return obj

    def make_form(self, request, obj, data=None):
        kwargs = {"user": request.user} if self.form_class is ProductForm else {}
        form = self.form_class(data, instance=obj, **kwargs)
        for name in list(form.fields):
            if name not in self.fields:
                del form.fields[name]
        for name in self.key_fields:
            if name in form.fields:
                form.fields[name].help_text = _("Changing this needs the commune officer's approval.")
        return form

    def render_form(self, request, obj, form, status=200):
        return render(
            request, "core/form.html", {"form": form, "object": obj, "title": str(obj)}, status=status
        )

    def get(self, request, pk):
        obj = self.get_object(request, pk)
        return self.render_form(request, obj, self.make_form(request, obj))

    def post(self, request, pk):
        obj = self.get_object(request, pk)
        original = self.model.objects.get(pk=obj.pk)
        form = self.make_form(request, obj, request.POST)
        if form.is_valid():
            try:
                submit = (
                    selfservice.submit_product_edit
                    if isinstance(obj, Product)
                    else selfservice.submit_producer_edit
                )
                applied, change_request = submit(request.user, original, form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                if applied:
                    messages.success(request, _("Your changes are saved."))
                if change_request:
                    messages.info(
                        request, _("The change of key fields waits for the commune officer's approval.")
                    )
                return redirect("registry:my")
        return self.render_form(request, obj, form, status=400)


class MyProducerEditView(_OwnEditView):
    model = Producer
    form_class = ProducerForm
    fields = selfservice.PRODUCER_SELF_FIELDS
    key_fields = selfservice.PRODUCER_KEY_FIELDS


class MyProductEditView(_OwnEditView):
    model = Product
    form_class = ProductForm
    fields = selfservice.PRODUCT_SELF_FIELDS
    key_fields = selfservice.PRODUCT_KEY_FIELDS


class ChangeRequestTable(Table):
    requested_at = Column(gettext_lazy("Requested at"), "requested_at", link=True)
    producer = Column(gettext_lazy("Producer"), "producer.name", order_by="producer__name")
    product = Column(gettext_lazy("Product"), "product.name", order_by="product__name")
    commune = Column(gettext_lazy("Commune"), "commune.name", order_by="commune__name")
    fields = Column(gettext_lazy("Fields"), value=lambda r: ", ".join(r.changes), orderable=False)
    state = Column(gettext_lazy("State"), "state")

    default_ordering = ("-requested_at",)


class ChangeRequestListView(ObjectListView):
    model = ChangeRequest
    table_class = ChangeRequestTable
    title = gettext_lazy("Changes requested by producers")
    export_name = "yeu-cau-thay-doi"

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("producer", "product", "commune")
        state = request.GET.get("state", "pending")
        return qs.filter(state=state) if state in ChangeRequest.State.values else qs


class ChangeRequestView(LoginRequiredMixin, View):
    def get_object(self, request, pk):
        return get_object_or_404(
            ChangeRequest.objects.for_user(request.user, "view").select_related(
                "producer", "product", "commune", "requested_by", "decided_by"
            ),
            pk=pk,
        )

    def get(self, request, pk, status=200, error=None):
        change = self.get_object(request, pk)
        model = Product if change.product_id else Producer
        rows = [
            (model._meta.get_field(f).verbose_name, _display(model, f, old), _display(model, f, new))
            for f, (old, new) in change.changes.items()
        ]
        from ocop.accounts.selectors import user_scope

        return render(
            request,
            "registry/change_request.html",
            {
                "object": change,
                "title": _("Change requested by %(name)s") % {"name": change.requested_by},
                "rows": rows,
                "error": error,
                "can_decide": change.state == ChangeRequest.State.PENDING
                and user_scope(request.user, "registry.change_changerequest").covers_unit(change.commune),
            },
            status=status,
        )

    def post(self, request, pk):
        change = self.get_object(request, pk)
        try:
            selfservice.decide(
                request.user,
                change,
                request.POST.get("decision") == "approve",
                request.POST.get("note", "")[:500],
            )
        except ValidationError as exc:
            return self.get(request, pk, status=400, error=" ".join(exc.messages))
        messages.success(request, _("Decision recorded."))
        return redirect(change.get_absolute_url())


def _display(model, field, value) -> str:
    if value in (None, ""):
        return "—"
    f = model._meta.get_field(field)
    if f.is_relation:
        obj = f.related_model.objects.filter(pk=value).first()
        return str(obj) if obj else str(value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return str(value)
