from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.accounts.selectors import has_perm
from ocop.core.views import ObjectDetailView, ObjectListView, ServiceFormView, require_perm

from . import selectors, services
from .filters import ProducerFilterSet, ProductFilterSet
from .forms import (
    CHILD_FORMS,
    CodeForm,
    LifecycleForm,
    LinkageForm,
    ProducerForm,
    ProducerStatusForm,
    ProductForm,
)
from .models import Producer, Product
from .tables import ProducerTable, ProductTable


def _star_day(request) -> dt.date:
    try:
        return (
            dt.date.fromisoformat(request.GET.get("on", ""))
            if request.GET.get("on")
            else timezone.localdate()
        )
    except ValueError:
        return timezone.localdate()


class ProducerListView(ObjectListView):
    model = Producer
    template_name = "registry/producer_list.html"
    table_class = ProducerTable
    filterset_class = ProducerFilterSet
    title = gettext_lazy("Producers")
    export_name = "chu-the-ocop"
    add_url_name = "registry:producer_create"
    add_permission = "registry.add_producer"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("commune", "commune__parent")
            .annotate(n_products=Count("products", distinct=True))
        )


class ProducerDetailView(ObjectDetailView):
    model = Producer
    template_name = "registry/producer_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commune", "commune__parent")

    def extra_context(self, request, obj):
        return {
            "products": list(
                obj.products.with_star_on(timezone.localdate()).select_related("category", "commune")
            ),
            "status_history": list(obj.status_history.select_related("changed_by")),
            "linkages": list(obj.linkages.all()),
            "can_change": has_perm(request.user, "registry.change_producer", obj.commune),
            "status_form": ProducerStatusForm(initial={"effective_date": timezone.localdate()}),
            "linkage_form": LinkageForm(),
        }


class ProducerCreateView(ServiceFormView):
    form_class = ProducerForm
    title = gettext_lazy("New producer")

    def get_object(self, request, pk):
        require_perm(request.user, "registry.add_producer")
        return None

    def call_service(self, request, obj, form):
        return services.create_producer(request.user, form.cleaned_data)


class ProducerEditView(ServiceFormView):
    form_class = ProducerForm

    def get_object(self, request, pk):
        return get_object_or_404(Producer.objects.for_user(request.user, "change"), pk=pk)

    def call_service(self, request, obj, form):
        return services.update_producer(request.user, obj, form.cleaned_data)


class ProducerStatusView(LoginRequiredMixin, View):
    def post(self, request, pk):
        producer = get_object_or_404(Producer.objects.for_user(request.user, "change"), pk=pk)
        form = ProducerStatusForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.get_json_data())
            services.change_producer_status(request.user, producer, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status changed."))
        return redirect(producer.get_absolute_url())


class ProducerLinkageView(LoginRequiredMixin, View):
    """Add (POST) or remove (POST to …/<id>/delete/) a linkage of a producer."""

    def post(self, request, pk, linkage_id=None):
        producer = get_object_or_404(Producer.objects.for_user(request.user, "change"), pk=pk)
        try:
            if linkage_id is None:
                form = LinkageForm(request.POST)
                ProductActionView._valid(form)
                services.add_linkage(request.user, producer, form.cleaned_data)
            else:
                services.remove_linkage(request.user, producer, linkage_id)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("Saved."))
        return redirect(producer.get_absolute_url())


class ProductListView(ObjectListView):
    model = Product
    template_name = "registry/product_list.html"
    table_class = ProductTable
    filterset_class = ProductFilterSet
    title = gettext_lazy("Products")
    export_name = "san-pham-ocop"
    add_url_name = "registry:product_create"
    add_permission = "registry.add_product"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("producer", "category", "commune", "commune__parent")
            # What the table shows: the long texts of the product and its producer stay behind.
            .only(
                "code",
                "name",
                "lifecycle",
                "producer_id",
                "category_id",
                "commune_id",
                "producer__name",
                "category__name",
                "commune__name",
                "commune__parent__name",
            )
            .with_star_on(_star_day(request))
        )


class ProductDetailView(ObjectDetailView):
    model = Product
    template_name = "registry/product_detail.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "producer",
                "producer__commune",
                "category",
                "category__parent",
                "category__scheme",
                "commune",
                "commune__parent",
            )
            .prefetch_related(Prefetch("certificates"))
        )

    def extra_context(self, request, obj):
        can_change = has_perm(request.user, "registry.change_product", obj.commune)
        return {
            **selectors.product_detail(obj),
            "can_change": can_change,
            "child_forms": {kind: form() for kind, form in CHILD_FORMS.items()} if can_change else {},
            "lifecycle_form": LifecycleForm(initial={"lifecycle": obj.lifecycle}),
            "code_form": CodeForm(initial={"year": timezone.localdate().year}),
            "evaluations": _evaluations(request.user, obj),
        }


def _evaluations(user, product) -> list:
    """The product's evaluations the user may see, newest first (its results once closed)."""
    from ocop.evaluation.models import SessionProduct

    return list(
        SessionProduct.objects.for_user(user, "view")
        .filter(product=product)
        .select_related("session", "session__council", "sheet__rule_version", "result")
        .order_by("-session__date", "-pk")
    )


class ProductCreateView(ServiceFormView):
    form_class = ProductForm
    title = gettext_lazy("New product")

    def get_object(self, request, pk):
        require_perm(request.user, "registry.add_product")
        return None

    def get_form(self, request, obj, data=None):
        initial = {}
        producer_id = request.GET.get("producer", "")
        if producer_id.isdigit():
            producer = Producer.objects.for_user(request.user, "view").filter(pk=producer_id).first()
            if producer:
                initial = {"producer": producer, "commune": producer.commune_id}
        return ProductForm(data, user=request.user, initial=initial)

    def call_service(self, request, obj, form):
        return services.create_product(request.user, form.cleaned_data)


class ProductEditView(ServiceFormView):
    form_class = ProductForm

    def get_object(self, request, pk):
        return get_object_or_404(Product.objects.for_user(request.user, "change"), pk=pk)

    def get_form(self, request, obj, data=None):
        return ProductForm(data, instance=obj, user=request.user)

    def call_service(self, request, obj, form):
        return services.update_product(request.user, obj, form.cleaned_data)


class ProductActionView(LoginRequiredMixin, View):
    """Small POST actions on a product: stage, code, and its standards / IP / listings."""

    def post(self, request, pk, action, child_id=None):
        product = get_object_or_404(Product.objects.for_user(request.user, "change"), pk=pk)
        try:
            if action == "lifecycle":
                form = LifecycleForm(request.POST)
                self._valid(form)
                services.set_lifecycle(request.user, product, **form.cleaned_data)
            elif action == "code":
                form = CodeForm(request.POST)
                self._valid(form)
                code = services.assign_product_code(request.user, product, form.cleaned_data["year"])
                messages.info(request, _("Product code %(code)s assigned.") % {"code": code})
            elif action in CHILD_FORMS and child_id is None:
                form = CHILD_FORMS[action](request.POST)
                self._valid(form)
                services.add_child(request.user, product, action, form.cleaned_data)
            elif action in CHILD_FORMS:
                services.remove_child(request.user, product, action, child_id)
            else:
                raise PermissionDenied
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("Saved."))
        return redirect(product.get_absolute_url())

    @staticmethod
    def _valid(form):
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".strip(": ")
                    for f, e in form.errors.items()
                ]
            )
