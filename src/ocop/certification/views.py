"""Certificates: the public verification page (no login) and the officers' screens."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ocop.core.datacache import cached_public_page
from ocop.core.views import ObjectDetailView, ObjectListView, require_perm
from ocop.core.views import form_data as _valid
from ocop.core.views import run_service as _run

from . import documents, services, signing
from .filters import CertificateFilterSet, DecisionFilterSet
from .forms import DraftDecisionForm, ExtendForm, RecordCertificateForm, RevokeForm, SignedForm
from .models import Certificate, RecognitionDecision, Status
from .tables import CertificateTable, DecisionTable


class VerifyView(View):
    """/verify/<public id>/: the live status from the database, and — when the URL carries a
    label's fields and signature (a scanned QR) — whether they are authentic and still match."""

    @cached_public_page
    def get(self, request, public_id):
        if not signing.PUBLIC_ID.match(public_id):
            raise Http404(_("No OCOP certificate has this code."))
        certificate = (
            Certificate.objects.select_related("product", "product__producer", "product__commune", "decision")
            .filter(public_id=public_id)
            .first()
        )
        if certificate is None:
            raise Http404(_("No OCOP certificate has this code."))
        today = timezone.localdate()
        status = certificate.status_on(today)
        label = None
        if request.GET.get("sig"):
            check = signing.check_label(request.build_absolute_uri())
            matches = check.ok and check.fields == signing.LabelFields.of(certificate)
            label = {"checked": True, "authentic": check.ok, "matches": matches, "reason": check.reason}
        from ocop.catalogue.selectors import reachable_products

        public = reachable_products(today).filter(pk=certificate.product_id).exists()
        context = {
            "title": _("OCOP certificate verification"),
            "catalogue_url": reverse("catalogue:product_detail", args=[certificate.product_id])
            if public
            else "",
            "certificate": certificate,
            "product": certificate.product,
            "status": status,
            "status_label": Status(status).label,
            "in_force": status in (Status.VALID, Status.WINDOW, Status.EXTENDED),
            "label": label,
            "today": today,
        }
        response = render(request, "certification/verify.html", context)
        response["Cache-Control"] = "no-cache"  # the status is live
        return response


class PublicKeysView(View):
    """The public keys that sign certificate labels, for offline verification."""

    def get(self, request):
        response = JsonResponse(signing.published_keys())
        response["Cache-Control"] = "public, max-age=3600"
        return response


# --- officers' screens ---------------------------------------------------------------------------


class CertificateListView(ObjectListView):
    model = Certificate
    table_class = CertificateTable
    filterset_class = CertificateFilterSet
    title = gettext_lazy("Certificates")
    export_name = "giay-chung-nhan-ocop"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("product", "product__producer", "product__commune", "product__commune__parent")
        )


class CertificateDetailView(ObjectDetailView):
    model = Certificate
    template_name = "certification/certificate_detail.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "product",
                "product__producer",
                "product__commune",
                "decision",
                "revocation_decision",
                "result",
            )
        )

    def extra_context(self, request, obj):
        today = timezone.localdate()
        area = obj.product.commune
        ministry = obj.stars == 5 or obj.issuing_level == "ministry"
        can_revoke = services.may(
            request.user, "certification.revoke_certificate", None if ministry else area
        )
        can_change = services.may(request.user, "certification.change_certificate", area)
        return {
            "status": obj.status_on(today),
            "status_label": Status(obj.status_on(today)).label,
            "label_url": signing.label_url(obj),
            "can_revoke": can_revoke and obj.state == "valid",
            "can_extend": can_change and obj.state == "valid" and services.pending_reevaluation(obj.product),
            "revoke_form": RevokeForm(initial={"decision_date": today}),
            "extend_form": ExtendForm(),
        }


def _certificate(request, pk, action="view") -> Certificate:
    return get_object_or_404(
        Certificate.objects.for_user(request.user, action).select_related(
            "product", "product__producer", "product__commune", "product__commune__parent"
        ),
        pk=pk,
    )


class CertificateFileView(LoginRequiredMixin, View):
    """The certificate as PDF, or its QR code as PNG."""

    def get(self, request, pk, fmt):
        certificate = _certificate(request, pk)
        if fmt == "pdf":
            response = HttpResponse(documents.certificate_pdf(certificate), content_type=documents.PDF_MIME)
            response["Content-Disposition"] = (
                f'inline; filename="giay-chung-nhan-{certificate.public_id}.pdf"'
            )
        elif fmt == "png":
            response = HttpResponse(documents.qr_png(certificate), content_type="image/png")
            response["Content-Disposition"] = f'inline; filename="qr-{certificate.public_id}.png"'
        else:
            raise Http404
        return response


class CertificateActionView(LoginRequiredMixin, View):
    """POST: revoke, or extend under Article 12.3."""

    def post(self, request, pk, action):
        certificate = _certificate(request, pk)
        if action == "revoke":
            form = RevokeForm(request.POST)
            _run(
                request,
                lambda: services.revoke(request.user, certificate, _valid(form)),
                _("The certificate is revoked."),
            )
        elif action == "extend":
            form = ExtendForm(request.POST)

            def extend():
                data = _valid(form)
                return services.extend(request.user, certificate, data["until"], data["reason"])

            _run(request, extend, _("The certificate stays valid until the re-evaluation result."))
        else:
            raise Http404
        return redirect(certificate.get_absolute_url())


class RecordCertificateView(LoginRequiredMixin, View):
    """Type in a certificate issued on paper before the system (for one product)."""

    def get_product(self, request, product_id):
        from ocop.registry.models import Product

        return get_object_or_404(Product.objects.for_user(request.user, "change"), pk=product_id)

    def get(self, request, product_id):
        product = self.get_product(request, product_id)
        return render(
            request,
            "core/form.html",
            {
                "form": RecordCertificateForm(),
                "object": product,
                "title": _("Record a certificate: %(p)s") % {"p": product},
            },
        )

    def post(self, request, product_id):
        from ocop.accounts.forms import apply_service_errors

        product = self.get_product(request, product_id)
        form = RecordCertificateForm(request.POST)
        if form.is_valid():
            try:
                certificate = services.record_certificate(request.user, product, form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect(certificate.get_absolute_url())
        context = {
            "form": form,
            "object": product,
            "title": _("Record a certificate: %(p)s") % {"p": product},
        }
        return render(request, "core/form.html", context, status=400)


class DecisionListView(ObjectListView):
    model = RecognitionDecision
    table_class = DecisionTable
    filterset_class = DecisionFilterSet
    title = gettext_lazy("Recognition decisions")
    export_name = "quyet-dinh-cong-nhan"
    add_url_name = "certification:decision_create"
    add_permission = "certification.add_recognitiondecision"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("area")
            .annotate(n_results=Count("results", distinct=True))
        )


def awaiting_decision(user):
    """Council results in the user's scope that a decision can take: proposed, certifiable or
    central candidates, not yet in any decision."""
    from ocop.evaluation.models import EvaluationResult

    return (
        EvaluationResult.objects.for_user(user, "view")
        .filter(state="proposed", disqualified=False, decisions__isnull=True)
        .filter(Q(certifiable=True) | Q(central_candidate=True))
        .select_related(
            "product", "product__producer", "product__commune", "entry__session", "entry__session__council"
        )
        .order_by("-entry__session__date", "product__name")
    )


class DecisionCreateView(LoginRequiredMixin, View):
    def get(self, request):
        require_perm(request.user, "certification.add_recognitiondecision")
        chosen = {int(x) for x in request.GET.getlist("result") if x.isdigit()}
        return self.render(request, DraftDecisionForm(), chosen)

    def render(self, request, form, chosen, status=200):
        results = list(awaiting_decision(request.user)[:500])
        return render(
            request,
            "certification/decision_create.html",
            {"title": _("Draft a recognition decision"), "form": form, "results": results, "chosen": chosen},
            status=status,
        )

    def post(self, request):
        from ocop.accounts.forms import apply_service_errors

        require_perm(request.user, "certification.add_recognitiondecision")
        form = DraftDecisionForm(request.POST)
        ids = [int(x) for x in request.POST.getlist("result") if x.isdigit()]
        results = list(awaiting_decision(request.user).filter(pk__in=ids))
        if form.is_valid():
            try:
                data = form.cleaned_data
                decision = services.draft_decision(request.user, data["kind"], results, data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("The draft is ready: download it, have it signed, then record it.")
                )
                return redirect(decision.get_absolute_url())
        return self.render(request, form, set(ids), status=400)


def _decision(request, pk, action="view") -> RecognitionDecision:
    return get_object_or_404(
        RecognitionDecision.objects.for_user(request.user, action).select_related("area", "rule_version"),
        pk=pk,
    )


class DecisionDetailView(ObjectDetailView):
    model = RecognitionDecision
    template_name = "certification/decision_detail.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "rule_version", "created_by")

    def extra_context(self, request, obj):
        return {
            "results": list(
                obj.results.select_related(
                    "product", "product__producer", "product__commune", "entry__session"
                )
            ),
            "certificates": list(obj.certificates.select_related("product")),
            "revoked": list(obj.revoked_certificates.select_related("product")),
            "can_sign": obj.state == "draft"
            and services.may(request.user, "certification.change_recognitiondecision", obj.area),
            "signed_form": SignedForm(
                initial={"signer_name": obj.signer_name, "signer_title": obj.signer_title}
            ),
        }


class DecisionActionView(LoginRequiredMixin, View):
    """GET the draft or signed copy; POST records the decision as signed."""

    def get(self, request, pk, action):
        decision = _decision(request, pk)
        if action == "docx":
            response = HttpResponse(documents.decision_docx(decision), content_type=documents.DOCX_MIME)
            name = f"quyet-dinh-{decision.pk}.docx"
        elif action == "scan" and decision.scan:
            response = FileResponse(decision.scan.open("rb"))
            name = Path(decision.scan.name).name
        else:
            raise Http404
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def post(self, request, pk, action):
        decision = _decision(request, pk)
        if action != "sign":
            raise Http404
        form = SignedForm(request.POST, request.FILES)

        def sign():
            data = _valid(form)
            return services.record_signed(request.user, decision, data)

        _run(request, sign, _("The decision is recorded; the certificates are issued."))
        return redirect(decision.get_absolute_url())
