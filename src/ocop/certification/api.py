"""API of certificates: the caller's scope (officers), and label checking for anyone."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ocop.api.pagination import PageNumberPagination

from . import signing
from .filters import status_q
from .models import Certificate, IssuingLevel, RevocationGround, Status

router = Router(tags=["certification"])


class CertificateOut(Schema):
    id: int
    public_id: str
    product_id: int
    product_name: str = Field(..., alias="product.name")
    product_code: str | None = Field(None, alias="product.code")
    stars: int
    issuing_level: IssuingLevel
    authority: str
    decision_number: str
    decision_date: dt.date | None
    issued_on: dt.date
    valid_until: dt.date
    extended_until: dt.date | None
    ended_on: dt.date | None
    revocation_ground: RevocationGround | None = None
    status: Status
    verify_url: str

    @staticmethod
    def resolve_status(obj):
        return obj.status_on(timezone.localdate())

    @staticmethod
    def resolve_verify_url(obj):
        return signing.label_url(obj)

    @staticmethod
    def resolve_revocation_ground(obj):
        return obj.revocation_ground or None


class CertificateFilters(Schema):
    status: Status | None = None
    stars: int | None = Field(None, ge=1, le=5)
    product_id: int | None = Field(None, ge=1, le=2**63 - 1)


class LabelIn(Schema):
    text: str = Field(..., max_length=2000, description="The text of a certificate's QR code")


class LabelOut(Schema):
    authentic: bool
    reason: str
    public_id: str | None = None
    status: Status | None = None


@router.get("/certificates", response=list[CertificateOut], summary="Certificates in the caller's scope")
@paginate(PageNumberPagination)
def list_certificates(request, filters: Query[CertificateFilters]):
    qs = Certificate.objects.for_user(request.user, "view").select_related("product")
    if filters.status:
        qs = qs.filter(status_q(filters.status, timezone.localdate()))
    if filters.stars:
        qs = qs.filter(stars=filters.stars)
    if filters.product_id:
        qs = qs.filter(product_id=filters.product_id)
    return qs.order_by("-issued_on", "-pk")


@router.get("/certificates/{id:certificate_id}", response=CertificateOut, summary="One certificate")
def get_certificate(request, certificate_id: int):
    return get_object_or_404(
        Certificate.objects.for_user(request.user, "view").select_related("product"), pk=certificate_id
    )


@router.post("/labels/check", response=LabelOut, auth=None, summary="Check a scanned label (no login)")
def check_label(request, payload: LabelIn):
    check = signing.check_label(payload.text)
    status = None
    if check.ok:
        certificate = Certificate.objects.filter(public_id=check.fields.public_id).first()
        status = certificate.status_on(timezone.localdate()) if certificate else None
    return {
        "authentic": check.ok,
        "reason": check.reason,
        "public_id": check.fields.public_id if check.fields else None,
        "status": status,
    }
