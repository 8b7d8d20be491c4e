"""Documents of recognition: the draft decision (.docx from a replaceable Word template), the
certificate (A4 PDF with its signed QR code) and the QR code alone (PNG, SVG).

The certificate PDF is the same bytes each time it is generated for the same certificate: the
QR signature is deterministic (Ed25519), and the PDF's identifier and dates come from the
certificate, not from the clock."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation

from ocop.evaluation.documents import long_date, score_text, template_path

from . import signing
from .models import Certificate, DecisionKind, IssuingLevel, RecognitionDecision

SHIPPED = Path(__file__).resolve().parent / "doc_templates"
DECISION_TEMPLATE = "quyet-dinh-cong-nhan.docx"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"
MINISTRY = "Bộ Nông nghiệp và Môi trường"


def qr(certificate: Certificate) -> segno.QRCode:
    return segno.make(signing.label_url(certificate), error="m")


def qr_png(certificate: Certificate, scale: int = 8) -> bytes:
    out = io.BytesIO()
    qr(certificate).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def qr_svg(certificate: Certificate) -> str:
    out = io.BytesIO()
    qr(certificate).save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, nl=False)
    return out.getvalue().decode()


def _place(product) -> str:
    commune = product.commune
    parent = commune.parent.name if commune.parent_id else ""
    return ", ".join(x for x in (commune.name, parent) if x)


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    product = certificate.product
    return {
        "certificate": certificate,
        "product": product,
        "producer": product.producer,
        "place": _place(product),
        "stars": "★" * certificate.stars,
        "issued_long": long_date(certificate.issued_on),
        "qr_svg": qr_svg(certificate),
        "verify_url": signing.label_url(certificate).split("?")[0],
        "authority": certificate.authority
        or (MINISTRY if certificate.issuing_level == IssuingLevel.MINISTRY else "UBND tỉnh"),
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate (giấy chứng nhận) as an A4 landscape PDF."""
    from ocop.core.pdf import html_to_pdf

    with translation.override("vi"):
        html = render_to_string("certification/certificate_pdf.html", certificate_context(certificate))
    digest = hashlib.sha256(f"ocop-certificate:{certificate.public_id}".encode()).digest()[:16]
    return html_to_pdf(html, digest)


def decision_context(decision: RecognitionDecision) -> dict[str, Any]:
    results = list(
        decision.results.select_related(
            "product", "product__producer", "product__commune", "product__commune__parent"
        ).order_by("-stars", "product__name")
    )
    rule = decision.rule_version
    ministry = decision.level == IssuingLevel.MINISTRY
    area = None if ministry else decision.area
    issuer = f"UBND {area.name.upper()}" if area else MINISTRY.upper()
    place = (area.short_name or area.name) if area else "Hà Nội"
    day = decision.date
    if decision.kind == DecisionKind.APPROVAL:
        title = (
            "Về việc phê duyệt kết quả đánh giá, phân hạng sản phẩm OCOP và đề nghị đánh giá, "
            "phân hạng sản phẩm OCOP 5 sao"
        )
        article_1 = (
            f"Phê duyệt kết quả đánh giá, phân hạng đối với {len(results)} sản phẩm đạt từ 90 điểm trở lên "
            f"và đề nghị {MINISTRY} đánh giá, phân hạng sản phẩm OCOP 5 sao, gồm:"
        )
    else:
        title = "Về việc công nhận và cấp giấy chứng nhận sản phẩm OCOP"
        article_1 = (
            f"Công nhận và cấp giấy chứng nhận sản phẩm OCOP cho {len(results)} sản phẩm, có giá trị "
            f"{rule.certificate_months} tháng kể từ ngày ký Quyết định này, gồm:"
        )
    return {
        "issuer": issuer,
        "number": decision.number or "……/QĐ-UBND",
        "place_date": f"{place}, {long_date(day)}" if day else f"{place}, ngày …… tháng …… năm ……",
        "is_draft": decision.state == "draft",
        "title": title,
        "signer_authority": (f"BỘ TRƯỞNG {MINISTRY.upper()}" if ministry else f"CHỦ TỊCH {issuer}"),
        "legal_bases": [
            "Căn cứ Luật Tổ chức chính quyền địa phương;",
            f"Căn cứ Quyết định số {rule.decision}"
            + (f" ngày {rule.decision_date:%d/%m/%Y}" if rule.decision_date else "")
            + " của Thủ tướng Chính phủ "
            "ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình Mỗi xã, phường một "
            "sản phẩm;",
            "Xét đề nghị của cơ quan tham mưu quản lý OCOP cấp tỉnh và kết quả đánh giá, phân hạng "
            "của Hội đồng.",
        ],
        "article_1": article_1,
        "rows": [
            {
                "no": i,
                "product": r.product.name,
                "producer": r.product.producer.name,
                "place": _place(r.product),
                "stars": f"{r.stars} sao" if r.stars else "",
                "score": score_text(r.average),
            }
            for i, r in enumerate(results, start=1)
        ],
        "article_2": (
            "Chủ thể OCOP có sản phẩm được công nhận có trách nhiệm duy trì và nâng cao chất lượng sản "
            "phẩm, sử dụng nhãn hiệu OCOP đúng quy định; chịu sự kiểm tra, giám sát của cơ quan có "
            "thẩm quyền."
        ),
        "article_3": (
            "Quyết định này có hiệu lực kể từ ngày ký. Cơ quan tham mưu quản lý OCOP, Ủy ban nhân dân các "
            "xã có sản phẩm và các chủ thể OCOP có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
        ),
        "signer_title_upper": (decision.signer_title or ("BỘ TRƯỞNG" if ministry else "CHỦ TỊCH")).upper(),
        "signer_name": decision.signer_name,
    }


def decision_docx(decision: RecognitionDecision) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template_path(DECISION_TEMPLATE, SHIPPED)))
    document.render(decision_context(decision), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
