"""The dossier's documents as Word files, filled from the data (Decision 26/2026, Phụ lục III):
Mẫu 01 (registration form), Mẫu 02 (self-assessment report), Mẫu 03 (the commune's report) and
the commune's letter proposing the evaluation.

They are official Vietnamese documents: their wording is Vietnamese whatever the reader's interface
language (the fixed text sits in the templates, the words filled in come from the maps below),
dates read "ngày 05 tháng 02 năm 2026". The templates are replaceable like the council's minutes:
a file of the same name in `OCOP_DOCUMENT_TEMPLATES_DIR` wins over the shipped one.

Placeholders every template may use: code, version, is_draft, checksum, kind_label, year,
place_date, product_name, product_code, product_set, product_group, product_sector, producer_name,
producer_kind, producer_address, producer_phone, producer_email, representative_name,
representative_title, representative_gender, representative_ethnicity, representative_address,
registration_number, registration_date, commune_upper, commune_lower, province_lower,
province_upper, rule_citation, every content key of `ocop.programme.content.FIELDS`, box.<key>
(☒/☐) for the yes/no items. Mẫu 01 adds box_first/box_upgrade/box_reevaluation, samples,
receipt_number, received_on, province_receipt_number, province_received_on; Mẫu 02 adds criteria
(code, label, max, points, note), part_totals, total, total_max, stars, minimum_note, evidence
(number, what, title, validity), has_changes, changes (label, before, after), base_code,
base_version; Mẫu 03 and the letter add the commune report's fields, signer_name,
signer_title_upper, rows and samples_text.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from ocop.evaluation.documents import long_date, points_text, rule_citation

from . import assessment as self_assessment
from . import completeness, content
from .choices import EvidenceKind

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHIPPED_TEMPLATES = Path(__file__).resolve().parent / "doc_templates"
TEMPLATES = {
    "mau-01": "mau-01-phieu-dang-ky.docx",
    "mau-02": "mau-02-bao-cao-tu-danh-gia.docx",
    "mau-03": "mau-03-bao-cao-danh-gia-cap-xa.docx",
    "de-nghi": "van-ban-de-nghi-cap-xa.docx",
}
BLANK = "……………………"
CHECKED, UNCHECKED = "☒", "☐"

KIND = {"first": "Đánh giá lần đầu", "upgrade": "Đánh giá nâng hạng", "reevaluation": "Đánh giá lại"}
PRODUCER_KIND = {
    "enterprise": "Doanh nghiệp",
    "cooperative": "Hợp tác xã",
    "cooperative_group": "Tổ hợp tác",
    "household": "Hộ sản xuất, kinh doanh",
}
GENDER = {"male": "Nam", "female": "Nữ"}
IDEA_ORIGIN = {"traditional": "Sản phẩm truyền thống của địa phương", "new": "Sản phẩm mới"}
PAPER = {
    "business_registration": "Giấy đăng ký kinh doanh",
    "food_safety": "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
    "production_conditions": "Giấy chứng nhận cơ sở đủ điều kiện sản xuất",
    "quality_declaration": "Bản công bố chất lượng sản phẩm",
    "test_report": "Phiếu kết quả kiểm nghiệm",
    "trademark": "Giấy chứng nhận đăng ký nhãn hiệu",
    "collective_mark": (
        "Văn bản ghi nhận quyền sử dụng chỉ dẫn địa lý, nhãn hiệu tập thể, nhãn hiệu chứng nhận"
    ),
    "patent": "Bằng sáng chế",
    "design": "Bằng độc quyền kiểu dáng công nghiệp",
    "copyright": "Giấy chứng nhận bản quyền tác giả",
    "environment": "Hồ sơ, thủ tục về môi trường",
    "other": "Tài liệu khác",
}
# The official wording of each item, for the list of what changed.
LABEL = {
    "producer_name": "Tên chủ thể",
    "producer_kind": "Loại hình tổ chức",
    "producer_address": "Địa chỉ",
    "producer_phone": "Điện thoại",
    "producer_email": "Email",
    "representative_name": "Người đại diện pháp luật",
    "registration_number": "Số giấy đăng ký",
    "registration_date": "Ngày thành lập/đăng ký kinh doanh",
    "product_name": "Tên sản phẩm",
    "product_code": "Mã sản phẩm",
    "product_set_code": "Mã bộ sản phẩm",
    "product_set": "Phân nhóm (bộ sản phẩm)",
    "product_group": "Nhóm",
    "product_sector": "Ngành",
    "representative_title": "Chức vụ người đại diện",
    "samples_declared": "Sản phẩm mẫu (số lượng)",
    "representative_gender": "Giới tính người đại diện",
    "representative_ethnicity": "Dân tộc người đại diện",
    "representative_address": "Địa chỉ thường trú người đại diện",
    "product_description": "Mô tả quy cách sản phẩm, tiêu chuẩn",
    "has_business_registration": "Giấy đăng ký kinh doanh",
    "quality_declared": "Công bố chất lượng sản phẩm",
    "food_safety_certified": "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
    "production_conditions_certified": "Giấy chứng nhận cơ sở đủ điều kiện sản xuất",
    "ip_trademark": "Giấy chứng nhận đăng ký nhãn hiệu",
    "ip_collective": "Chỉ dẫn địa lý, nhãn hiệu tập thể, nhãn hiệu chứng nhận",
    "ip_patent": "Bằng sáng chế",
    "ip_design": "Bằng độc quyền kiểu dáng công nghiệp",
    "ip_copyright": "Giấy chứng nhận bản quyền tác giả",
    "ip_other": "Sở hữu trí tuệ khác",
    "history": "Lịch sử hình thành của chủ thể",
    "organisation": "Cơ cấu tổ chức của chủ thể",
    "raw_materials": "Nguyên liệu, vùng nguyên liệu",
    "technology": "Công nghệ sản xuất, sơ chế, chế biến, đóng gói",
    "packaging": "Bao bì, nhãn mác",
    "quality_changes": "Sự thay đổi về chất lượng sản phẩm",
    "markets": "Thị trường tiêu thụ",
    "output": "Sản lượng",
    "revenue": "Doanh thu",
    "profit": "Lợi nhuận",
    "quality_declaration_update": "Công bố chất lượng",
    "periodic_tests": "Các phiếu kiểm nghiệm định kỳ",
    "changes_summary": "Nội dung thay đổi so với sản phẩm đã được công nhận",
    "plan_ahead": "Kế hoạch sản xuất, kinh doanh",
}
BOOL_KEYS = [f.key for f in content.FIELDS if f.widget == "bool"]


def template_path(name: str) -> Path:
    """The province's replacement template if `OCOP_DOCUMENT_TEMPLATES_DIR` holds one with this
    name, else the shipped one (the same mechanism as `ocop.evaluation.documents`)."""
    custom = getattr(settings, "OCOP_DOCUMENT_TEMPLATES_DIR", "")
    if custom:
        candidate = Path(custom) / name
        if candidate.is_file():
            return candidate
    return SHIPPED_TEMPLATES / name


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _date(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y")


def _text(value) -> str:
    if value is None or value == "":
        return BLANK
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def _box(value) -> str:
    return CHECKED if value else UNCHECKED


def _places(dossier):
    from .services import _current_commune, _province_of

    commune = _current_commune(dossier.commune)
    province = _province_of(commune)
    return commune, province


def _one(obj, name):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _value_text(key: str, value) -> str:
    if key == "producer_kind":
        return PRODUCER_KIND.get(value, value or "")
    if key == "representative_gender":
        return GENDER.get(value, value or "")
    if key == "registration_date":
        return _date(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if value in (None, ""):
        return "(không có)"
    return str(value)


def base_context(dossier, version) -> dict[str, Any]:
    """The identity and content of a version, with the places and dates, in Vietnamese."""
    from ocop.evaluation.services import rule_in_force

    body = version.content or {}
    commune, province = _places(dossier)
    day = timezone.localtime(version.submitted_at).date() if version.submitted_at else timezone.localdate()
    place = commune.short_name or commune.name
    rule = version.sheet.rule_version if version.sheet_id else rule_in_force(day)
    context: dict[str, Any] = {
        "code": dossier.code or "",
        "version": version.number,
        "is_draft": not version.sealed,
        "checksum": version.checksum or "(bản nháp)",
        "kind": dossier.kind,
        "kind_label": KIND.get(dossier.kind, dossier.kind),
        "is_reevaluation": dossier.kind == "reevaluation",
        "year": day.year,
        "place_date": f"{place}, {long_date(day)}",
        "commune_upper": commune.name.upper(),
        "commune_lower": _lower_first(commune.name),
        "province_lower": _lower_first(province.name) if province else BLANK,
        "province_upper": province.name.upper() if province else BLANK,
        "rule_citation": rule_citation(rule) if rule is not None else "",
    }
    for key in content.IDENTITY_KEYS:
        context[key] = _text(_value_text(key, body.get(key)) if body.get(key) not in (None, "") else None)
    for spec in content.FIELDS:
        value = body.get(spec.key)
        if spec.widget == "bool":
            context[spec.key] = "Có" if value else "Không"
        elif spec.widget == "gender":
            context[spec.key] = GENDER.get(value or "", BLANK)
        else:
            context[spec.key] = _text(value)
    boxes = {key: _box(body.get(key)) for key in BOOL_KEYS}
    boxes["ip_any"] = _box(any(body.get(k) for k in BOOL_KEYS if k.startswith("ip_")) or body.get("ip_other"))
    boxes["ip_other"] = _box(body.get("ip_other"))
    context["box"] = boxes
    context["ip_other"] = body.get("ip_other") or ""
    return context


def mau_01_context(dossier, version) -> dict[str, Any]:
    context = base_context(dossier, version)
    tourism = completeness.is_community_tourism(dossier.product.category)
    samples = version.content.get("samples_declared")
    context.update(
        {
            "box_first": _box(dossier.kind == "first"),
            "box_upgrade": _box(dossier.kind == "upgrade"),
            "box_reevaluation": _box(dossier.kind == "reevaluation"),
            "samples": "không áp dụng (dịch vụ du lịch cộng đồng)"
            if tourism
            else (f"{samples:02d}" if samples else BLANK),
            "receipt_number": dossier.receipt_number or BLANK,
            "received_on": _date(dossier.received_on) or BLANK,
            "province_receipt_number": dossier.province_receipt_number or BLANK,
            "province_received_on": _date(dossier.proposed_on) or BLANK,
        }
    )
    return context


def _points(value) -> str:
    return points_text(value) if value is not None else ""


def mau_02_context(dossier, version) -> dict[str, Any]:
    context = base_context(dossier, version)
    evidence = list(version.evidence.all().order_by("kind", "criterion_key", "pk"))
    counts: dict[str, int] = {}
    for e in evidence:
        if e.criterion_key:
            counts[e.criterion_key] = counts.get(e.criterion_key, 0) + 1
    result = self_assessment.evaluate(version, counts)
    criteria, part_totals = [], []
    if result is not None:
        for code, rows in result.rows_by_part.items():
            title = result.tree.part_titles.get(code, "")
            criteria.append(
                {
                    "code": f"Phần {code}",
                    "label": title.upper(),
                    "max": points_text(result.tree.parts[code]),
                    "points": _points(result.tally.parts.get(code)),
                    "note": "",
                }
            )
            for row in rows:
                indent = "    " * row.depth
                criteria.append(
                    {
                        "code": row.key,
                        "label": f"{indent}{row.node.label}",
                        "max": points_text(row.node.max_score),
                        "points": _points(row.points),
                        "note": row.note + (f" ({row.evidence} tài liệu minh chứng)" if row.evidence else ""),
                    }
                )
            part_totals.append(
                {
                    "code": code,
                    "title": title,
                    "points": _points(result.tally.parts.get(code, Decimal(0))),
                    "max": points_text(result.tree.parts[code]),
                }
            )
        total = points_text(result.tally.total)
        stars = f"{result.awarded} sao" if result.awarded else "chưa đạt hạng sao"
        minimum_note = ""
        if result.band > result.awarded:
            codes = ", ".join(sorted({f.criterion for f in result.failures}))
            minimum_note = (
                f"Tổng điểm thuộc hạng {result.band} sao nhưng chưa đạt tiêu chí tối thiểu {codes}."
            )
        if not result.complete:
            minimum_note = (
                minimum_note + " " if minimum_note else ""
            ) + f"Còn {len(result.open_keys)} tiêu chí chưa tự đánh giá."
        sheet_name = result.sheet.name
        total_max = points_text(result.total_max)
    else:
        total = total_max = stars = ""
        minimum_note = "Chưa có phiếu đánh giá cho bộ sản phẩm theo Bộ tiêu chí hiện hành."
        sheet_name = BLANK
    evidence_rows = []
    for i, e in enumerate(evidence, start=1):
        if e.kind == EvidenceKind.LEGAL:
            what = PAPER.get(e.paper, e.paper)
        elif e.kind == EvidenceKind.CRITERION:
            what = f"Minh chứng tiêu chí {e.criterion_key}"
        else:
            what = "Tài liệu khác"
        validity = ""
        if e.issued_on:
            validity = f"cấp ngày {_date(e.issued_on)}"
        if e.expires_on:
            validity = f"{validity}; đến {_date(e.expires_on)}".lstrip("; ")
        evidence_rows.append({"number": i, "what": what, "title": e.title, "validity": validity})
    changes = []
    base = dossier.previous.accepted_version if dossier.previous_id else None
    if base is not None:
        diff = content.diff_versions(base, version, new_evidence=evidence)
        for c in diff.content:
            if c.key in ("product_code",):
                continue
            changes.append(
                {
                    "label": LABEL.get(c.key, c.key),
                    "before": _value_text(c.key, c.before),
                    "after": _value_text(c.key, c.after),
                }
            )
        for c in diff.assessment:
            changes.append(
                {
                    "label": f"Tiêu chí {c.key} (điểm tự đánh giá)",
                    "before": _points(c.before) or "—",
                    "after": _points(c.after) or "—",
                }
            )
        for e in diff.evidence_added:
            changes.append({"label": "Tài liệu bổ sung", "before": "—", "after": e.title})
        for e in diff.evidence_removed:
            changes.append({"label": "Tài liệu thay thế, không còn dùng", "before": e.title, "after": "—"})
    context.update(
        {
            "sheet_name": sheet_name,
            "criteria": criteria,
            "part_totals": part_totals,
            "total": total,
            "total_max": total_max,
            "stars": stars,
            "minimum_note": minimum_note,
            "evidence": evidence_rows,
            "changes": changes,
            "has_changes": dossier.kind in ("upgrade", "reevaluation"),
            "changes_summary": (version.content or {}).get("changes_summary") or "",
            "base_code": dossier.previous.code if dossier.previous_id else "",
            "base_version": base.number if base is not None else "",
        }
    )
    return context


def _report_context(dossier, version) -> dict[str, Any]:
    context = base_context(dossier, version)
    report = _one(dossier, "commune_report")
    tourism = completeness.is_community_tourism(dossier.product.category)
    samples = dossier.samples_received or 0
    origin = ""
    if report is not None:
        origin = ". ".join(x for x in (IDEA_ORIGIN.get(report.idea_origin, ""), report.idea_origin_note) if x)
    day = (report.report_date if report and report.report_date else None) or timezone.localdate()
    commune, _province = _places(dossier)
    context.update(
        {
            "raw_materials": _text(report.raw_materials if report else ""),
            "local_labour": _text(report.local_labour if report else ""),
            "idea_origin": _text(origin),
            "local_identity": _text(report.local_identity if report else ""),
            "meeting_held": bool(report and report.meeting_held),
            "report_number": (report.report_number if report else "") or "……/BC-UBND",
            "report_date": _date(report.report_date) if report and report.report_date else BLANK,
            "letter_number": (report.letter_number if report else "") or "……/UBND",
            "letter_date": _date(report.letter_date) if report and report.letter_date else BLANK,
            "signer_name": (report.signer_name if report else "") or BLANK,
            "signer_title_upper": ((report.signer_title if report else "") or "Chủ tịch").upper(),
            "received_on": _date(dossier.received_on) or BLANK,
            "place_date": f"{commune.short_name or commune.name}, {long_date(day)}",
            "samples_text": (
                "(sản phẩm thuộc nhóm dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch: "
                "không gửi sản phẩm mẫu)"
            )
            if tourism
            else f"{samples:02d} sản phẩm mẫu",
            "rows": [
                {
                    "number": 1,
                    "product": dossier.product.name,
                    "producer": dossier.producer.name,
                    "product_set": dossier.product.category.name,
                    "kind": KIND.get(dossier.kind, dossier.kind),
                    "samples": "—" if tourism else f"{samples:02d}",
                }
            ],
        }
    )
    return context


def letter_context(dossier, version) -> dict[str, Any]:
    context = _report_context(dossier, version)
    report = _one(dossier, "commune_report")
    if report is not None and report.letter_date:
        commune, _province = _places(dossier)
        context["place_date"] = f"{commune.short_name or commune.name}, {long_date(report.letter_date)}"
    return context


CONTEXTS = {
    "mau-01": mau_01_context,
    "mau-02": mau_02_context,
    "mau-03": _report_context,
    "de-nghi": letter_context,
}


def context_for(form: str, dossier, version) -> dict[str, Any]:
    from django.utils import translation

    with translation.override("vi"):
        return CONTEXTS[form](dossier, version)


def render(form: str, dossier, version) -> bytes:
    from docxtpl import DocxTemplate

    context = context_for(form, dossier, version)
    document = DocxTemplate(str(template_path(TEMPLATES[form])))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
