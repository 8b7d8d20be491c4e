"""Certificates: the public verification page (no login) and the officers' screens."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from . import signing
from .models import Certificate, Status


class VerifyView(View):
    """/verify/<public id>/: the live status from the database, and — when the URL carries a
    label's fields and signature (a scanned QR) — whether they are authentic and still match."""

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
        context = {
            "title": _("OCOP certificate verification"),
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
