"""The documents of an evaluation session: the council's minutes (biên bản, .docx from a Word
template a province may replace), the results table (.xlsx) and one member's scorecard (phiếu đánh
giá, PDF).

These are official Vietnamese documents: their wording is Vietnamese whatever the reader's
interface language, dates are dd/mm/yyyy (the place-and-date line reads "ngày 05 tháng 02 năm
2026", Decree 30/2020/NĐ-CP), numbers are written the Vietnamese way (74,75; 1.500.000). Results
are shown only for products the chair has closed: a product still being scored reads "not
concluded" and none of its figures is read at all.

Each builder reads the session (or the scorecard) in a fixed number of queries, whatever the
number of products and members.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from ocop.core.tables import plain

from . import scoring
from .choices import CouncilLevel, EntryState, MemberRole, SessionMode, SessionState
from .models import (
    Answer,
    ConflictOfInterest,
    CouncilMember,
    EvaluationResult,
    EvaluationSession,
    Scorecard,
    SessionProduct,
)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"

SHIPPED_TEMPLATES = Path(__file__).resolve().parent / "doc_templates"
MINUTES_TEMPLATE = "bien-ban-hoi-dong.docx"
SCORECARD_TEMPLATE = "evaluation/scorecard_pdf.html"

# The official wording (the interface's translations are for the screens; these documents are
# always Vietnamese).
ROLE = {
    MemberRole.CHAIR: "Chủ tịch Hội đồng",
    MemberRole.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
    MemberRole.MEMBER: "Thành viên",
    MemberRole.SECRETARY: "Thư ký",
}
ORGANISATION = {
    "peoples_committee": "Ủy ban nhân dân tỉnh",
    "agriculture": "Sở Nông nghiệp và Môi trường",
    "industry_trade": "Sở Công Thương",
    "health": "Sở Y tế",
    "science": "Sở Khoa học và Công nghệ",
    "culture": "Sở Văn hóa, Thể thao và Du lịch",
    "food_safety": "Sở An toàn thực phẩm",
    "ocop_office": "Đơn vị tham mưu quản lý OCOP",
    "specialised": "Đơn vị quản lý chuyên ngành thuộc Sở Nông nghiệp và Môi trường",
    "ministry": "Bộ Nông nghiệp và Môi trường",
    "expert": "Chuyên gia",
    "other": "",
}
KIND = {"first": "Đánh giá lần đầu", "upgrade": "Nâng hạng", "reevaluation": "Đánh giá lại"}
MODE = {
    SessionMode.MEETING: "họp Hội đồng",
    SessionMode.WRITTEN: "lấy ý kiến thành viên Hội đồng bằng văn bản (phiếu đánh giá)",
}
RECOMMENDATION = {
    "propose": "đề nghị Hội đồng chấm điểm",
    "complete": "đề nghị chủ thể bổ sung hồ sơ",
    "not_propose": "không đề nghị chấm điểm",
}
MINISTRY = "Bộ Nông nghiệp và Môi trường"
BLANK = "……………………"

# WeasyPrint reports every layout step at INFO; keep that out of the logs unless LOGGING asks for it.
_progress = logging.getLogger("weasyprint.progress")
if _progress.level == logging.NOTSET:
    _progress.setLevel(logging.WARNING)


# --- formatting ----------------------------------------------------------------------------------


def score_text(value: Decimal | float | str | None) -> str:
    """A score with two decimals, the Vietnamese way: 74,75."""
    if value is None or value == "":
        return ""
    return formats.number_format(Decimal(str(value)), 2, use_l10n=True, force_grouping=True)


def points_text(value: Decimal | float | str | None) -> str:
    """Points without trailing zeros: 3, 0,5, 1.500."""
    if value is None or value == "":
        return ""
    return plain(Decimal(str(value)).normalize())


def long_date(day: dt.date) -> str:
    """ "ngày 20 tháng 6 năm 2026"; days below 10 and the months 1 and 2 take a leading zero
    (Decree 30/2020/NĐ-CP, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _date(value: dt.date | None) -> str:
    return plain(value) if value else ""


def template_path(name: str, shipped: Path | None = None) -> Path:
    """The province's replacement template if `OCOP_DOCUMENT_TEMPLATES_DIR` holds one with this
    name, else the shipped one (in `shipped`, by default this app's doc_templates)."""
    custom = getattr(settings, "OCOP_DOCUMENT_TEMPLATES_DIR", "")
    if custom:
        candidate = Path(custom) / name
        if candidate.is_file():
            return candidate
    return (shipped or SHIPPED_TEMPLATES) / name


# --- the council's identity ----------------------------------------------------------------------


def issuer(council) -> str:
    """The body above the council in the heading: "UBND TỈNH THÁI NGUYÊN"."""
    if council.level == CouncilLevel.CENTRAL or council.area is None:
        return MINISTRY.upper()
    return f"UBND {council.area.name.upper()}"


def authority(council) -> str:
    """Who recognises the council's results in running text: "UBND tỉnh Thái Nguyên"."""
    if council.level == CouncilLevel.CENTRAL or council.area is None:
        return MINISTRY
    return f"UBND {_lower_first(council.area.name)}"


def place_name(council) -> str:
    if council.area is None:
        return "Hà Nội"
    return council.area.short_name or council.area.name


def council_heading(council) -> str:
    heading = "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP"
    return f"{heading} CẤP TRUNG ƯƠNG" if council.level == CouncilLevel.CENTRAL else heading


def rule_citation(rule) -> str:
    """ "Quyết định số 26/2026/QĐ-TTg ngày 22/05/2026 của Thủ tướng Chính phủ"."""
    text = f"Quyết định số {rule.decision}"
    if rule.decision_date:
        text += f" ngày {_date(rule.decision_date)}"
    if "TTg" in rule.decision:
        text += " của Thủ tướng Chính phủ"
    return text


def rule_title(rule) -> str:
    """The rule's name without the "(Quyết định …)" it ends with."""
    return re.sub(r"\s*\((Quyết định|QĐ)[^)]*\)\s*$", "", rule.name).strip()


# --- reading a session ---------------------------------------------------------------------------


def _one(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


@dataclass
class SessionData:
    session: EvaluationSession
    members: list[CouncilMember]  # the session's members in council order
    present: set[int]
    entries: list[SessionProduct]
    advisors: list[Any]

    @property
    def council(self):
        return self.session.council

    @property
    def rule(self):
        return self.session.rule_version

    def result(self, entry: SessionProduct) -> EvaluationResult | None:
        """The result, only for a product the chair has closed or rejected."""
        if entry.state not in (EntryState.CLOSED, EntryState.DISQUALIFIED):
            return None
        return _one(entry, "result")

    def presiding(self) -> CouncilMember | None:
        """The chair, or the first vice-chair present when the chair is absent."""
        chair = next((m for m in self.members if m.role == MemberRole.CHAIR and m.is_active), None)
        if chair is not None and chair.pk in self.present:
            return chair
        vice = next(
            (m for m in self.members if m.role == MemberRole.VICE_CHAIR and m.pk in self.present),
            None,
        )
        return vice or chair

    def secretary(self) -> CouncilMember | None:
        members = [m for m in self.members if m.role == MemberRole.SECRETARY]
        return next((m for m in members if m.pk in self.present), members[0] if members else None)

    def scoring_members(self) -> list[CouncilMember]:
        """Members who score, plus anyone whose total a result counts (e.g. since deactivated)."""
        counted = {
            int(t["member_id"])
            for e in self.entries
            if (r := self.result(e)) is not None
            for t in r.member_totals or []
        }
        return [m for m in self.members if (m.scores and m.is_active) or m.pk in counted]


def load_session(session: EvaluationSession) -> SessionData:
    """Six queries: the session with its council and rules, the members, the attendance, the
    products with their results, reviews and sheets, their conflicts, the advisory team."""
    session = EvaluationSession.objects.select_related("council__area", "rule_version").get(pk=session.pk)
    attendance = {a.member_id: a for a in session.attendance.all()}
    members = [
        m
        for m in CouncilMember.objects.filter(council_id=session.council_id).order_by("sort_order", "pk")
        if m.is_active or m.pk in attendance
    ]
    for m in members:
        row = attendance.get(m.pk)
        m.attendance_note = row.note if row else ""
    present = {m.pk for m in members if attendance.get(m.pk) is None or attendance[m.pk].present}
    entries = list(
        SessionProduct.objects.filter(session=session)
        .select_related("product__producer", "product__commune", "sheet", "result", "review")
        .prefetch_related(
            Prefetch(
                "conflicts",
                queryset=ConflictOfInterest.objects.select_related("member").order_by(
                    "member__sort_order", "pk"
                ),
            )
        )
        .order_by("number", "pk")
    )
    advisors = list(session.council.advisors.filter(is_active=True))
    return SessionData(session, members, present, entries, advisors)


# --- one product's outcome -----------------------------------------------------------------------


@dataclass
class Outcome:
    code: str  # recognise, central, not_eligible, rejected, withdrawn, pending
    text: str
    note: str = ""
    recogniser: str = ""  # for "recognise": who is asked to recognise the stars


def outcome(data: SessionData, entry: SessionProduct) -> Outcome:
    result = data.result(entry)
    if entry.state == EntryState.WITHDRAWN:
        reason = f": {entry.state_reason}" if entry.state_reason else ""
        return Outcome("withdrawn", f"Rút khỏi phiên đánh giá{reason}")
    if entry.state == EntryState.DISQUALIFIED:
        ground = entry.disqualifier or (result.decision_note if result else "")
        ground = re.sub(r"^\s*Hồ sơ bị loại khi\s*:?\s*", "", ground)
        text = "Hồ sơ bị loại, không chấm điểm"
        if ground:
            text += f": {ground[:1].lower()}{ground[1:]}"
        if entry.state_reason and entry.state_reason not in ground:
            text += f" ({entry.state_reason})"
        return Outcome("rejected", text)
    if result is None:
        if entry.state == EntryState.REFERRED:
            return Outcome("pending", "Chưa kết luận (ý kiến chênh lệch, đưa ra họp Hội đồng)")
        return Outcome("pending", "Chưa kết luận (đang chấm điểm)")
    note = ""
    if result.minimum_failures and (result.band_stars or 0) > (result.stars or 0):
        codes = ", ".join(sorted({str(f["criterion"]) for f in result.minimum_failures}))
        note = (
            f"Điểm thuộc hạng {result.band_stars} sao nhưng chưa đạt tiêu chí tối thiểu {codes}; "
            f"xếp hạng {result.stars} sao"
        )
    if result.central_candidate:
        code, text = "central", f"Đề nghị {MINISTRY} đánh giá, phân hạng sản phẩm OCOP 5 sao"
    who = ""
    if result.central_candidate:
        code, text = "central", f"Đề nghị {MINISTRY} đánh giá, phân hạng sản phẩm OCOP 5 sao"
    elif result.certifiable:
        who = recogniser(data.council, result.recognising_level)
        code, text = "recognise", f"Đề nghị {who} công nhận sản phẩm OCOP {result.stars} sao"
    else:
        code = "not_eligible"
        text = f"Chưa đủ điều kiện công nhận sản phẩm OCOP (đạt {result.stars or 0} sao)"
    if note:
        text = f"{text}. {note}"
    return Outcome(code, text, note, who)


def recogniser(council, level: str) -> str:
    """Who recognises a result at `level` (certification's issuing levels)."""
    if level == "ministry":
        return MINISTRY
    if council.level == CouncilLevel.CENTRAL or council.area is None:
        return "UBND cấp tỉnh"  # a central council's 3★/4★ go back to the province (Điều 7.4)
    return authority(council)


def conclusion(data: SessionData, outcomes: list[tuple[SessionProduct, Outcome]]) -> str:
    counts = Counter(o.code for _e, o in outcomes)
    stars = Counter(data.result(e).stars for e, o in outcomes if o.code == "recognise")
    parts = []
    if counts["recognise"]:
        by_star = ", ".join(f"{n} sản phẩm {s} sao" for s, n in sorted(stars.items(), reverse=True))
        who = {o.recogniser for _e, o in outcomes if o.code == "recognise"}
        who_text = who.pop() if len(who) == 1 else "cấp có thẩm quyền"
        parts.append(f"đề nghị {who_text} công nhận {counts['recognise']} sản phẩm OCOP ({by_star})")
    if counts["central"]:
        parts.append(f"đề nghị {MINISTRY} đánh giá, phân hạng 5 sao {counts['central']} sản phẩm")
    if counts["not_eligible"]:
        parts.append(f"{counts['not_eligible']} sản phẩm chưa đủ điều kiện công nhận (dưới 3 sao)")
    if counts["rejected"]:
        parts.append(f"{counts['rejected']} hồ sơ bị loại, không chấm điểm")
    if counts["withdrawn"]:
        parts.append(f"{counts['withdrawn']} sản phẩm rút khỏi phiên đánh giá")
    if counts["pending"]:
        parts.append(f"{counts['pending']} sản phẩm chưa kết luận")
    total = len(outcomes)
    if not parts:
        return f"Hội đồng chưa có sản phẩm nào để kết luận ({total} sản phẩm)."
    return f"Hội đồng thống nhất kết quả đánh giá, phân hạng {total} sản phẩm: " + "; ".join(parts) + "."


# --- the minutes (.docx) -------------------------------------------------------------------------


def organisation(m: CouncilMember, council) -> str:
    """The body a member represents: "Sở Y tế", "UBND tỉnh Thái Nguyên"."""
    if m.organisation == "peoples_committee" and council.area is not None:
        return authority(council)
    return ORGANISATION.get(m.organisation, "")


def _member_context(m: CouncilMember, council) -> dict[str, str]:
    organisation_ = organisation(m, council)
    if m.position and organisation_ and organisation_.lower() in m.position.lower():
        position_org = m.position
    else:
        position_org = ", ".join(x for x in (m.position, organisation_) if x)
    return {
        "name": m.full_name,
        "role": ROLE.get(m.role, m.role),
        "organisation": organisation_,
        "position": m.position,
        "position_org": position_org,
        "note": getattr(m, "attendance_note", ""),
    }


def minutes_context(session: EvaluationSession) -> dict[str, Any]:
    """Everything the minutes template may use (docs/document-templates.md)."""
    with translation.override("vi"):
        data = load_session(session)
        return _minutes_context(data)


def _minutes_context(data: SessionData) -> dict[str, Any]:
    session, council, rule = data.session, data.council, data.rule
    outcomes = [(e, outcome(data, e)) for e in data.entries]
    rows = []
    for e, o in outcomes:
        result = data.result(e) if o.code not in ("pending", "withdrawn", "rejected") else None
        rows.append(
            {
                "number": e.number,
                "product": e.product.name,
                "code": e.product.code or "",
                "producer": e.product.producer.name,
                "commune": e.product.commune.name,
                "product_set": e.sheet.name,
                "kind": KIND.get(e.kind, e.kind),
                "score": score_text(result.average) if result else "",
                "stars": f"{result.stars} sao" if result and result.stars else "",
                "stars_number": result.stars if result else None,
                "spread": score_text(result.spread) if result else "",
                "outcome": o.text,
                "outcome_code": o.code,
                "note": o.note,
                "state": e.state,
            }
        )
    legal_bases = [f"Căn cứ {rule_citation(rule)} ban hành {rule_title(rule)};"]
    if council.decision_number:
        decided_by = council.decided_by or f"Chủ tịch {authority(council)}"
        on = f" ngày {_date(council.decision_date)}" if council.decision_date else ""
        legal_bases.append(
            f"Căn cứ Quyết định số {council.decision_number}{on} của {decided_by} "
            f"về việc thành lập {council.name};"
        )
    if council.regulation_number:
        on = f" ngày {_date(council.regulation_date)}" if council.regulation_date else ""
        legal_bases.append(
            f"Căn cứ Quyết định số {council.regulation_number}{on} ban hành Quy chế hoạt động của "
            f"{council.name};"
        )
    legal_bases[-1] = legal_bases[-1][:-1] + "."
    presiding = data.presiding()
    secretary = data.secretary()
    reviews = []
    for e in data.entries:
        review = _one(e, "review")
        if review is None:
            continue
        survey = ": ".join(
            x
            for x in (
                f"ngày {_date(review.site_survey_date)}" if review.site_survey_date else "",
                review.site_survey_findings,
            )
            if x
        )
        tests = "; ".join(x for x in (review.extra_tests_requested, review.extra_tests_results) if x)
        reviews.append(
            {
                "number": e.number,
                "product": e.product.name,
                "recommendation": RECOMMENDATION.get(review.recommendation, review.recommendation),
                "site_survey": survey,
                "extra_tests": tests,
                "report": review.report,
            }
        )
    conflicts = [
        {
            "member": c.member.full_name,
            "role": ROLE.get(c.member.role, c.member.role),
            "product": e.product.name,
            "number": e.number,
            "reason": c.reason,
        }
        for e in data.entries
        for c in e.conflicts.all()
    ]
    present = [_member_context(m, council) for m in data.members if m.pk in data.present]
    absent = [_member_context(m, council) for m in data.members if m.pk not in data.present]
    is_vice = presiding is not None and presiding.role == MemberRole.VICE_CHAIR
    place = place_name(council)
    return {
        "issuer": issuer(council),
        "council_heading": council_heading(council),
        "place_name": place,
        "date": _date(session.date),
        "date_long": long_date(session.date),
        "place_date": f"{place}, {long_date(session.date)}",
        "is_draft": session.state != SessionState.CLOSED,
        "council": {
            "name": council.name,
            "decision_number": council.decision_number,
            "decision_date": _date(council.decision_date),
            "decided_by": council.decided_by,
            "regulation_number": council.regulation_number,
            "regulation_date": _date(council.regulation_date),
            "authority": authority(council),
        },
        "session": {
            "name": session.name,
            "title": f"{session.name} ({session.round_label})" if session.round_label else session.name,
            "round_label": session.round_label,
            "date": _date(session.date),
            "date_long": long_date(session.date),
            "place": session.place or BLANK,
            "mode": session.mode,
            "mode_label": MODE.get(session.mode, session.mode),
            "notes": session.notes,
        },
        "rule": {
            "decision": rule.decision,
            "decision_date": _date(rule.decision_date),
            "title": rule_title(rule),
            "citation": rule_citation(rule),
        },
        "legal_bases": legal_bases,
        "members_total": len(data.members),
        "present": present,
        "absent": absent,
        "advisors": [
            {"name": a.full_name, "organisation": a.organisation, "is_leader": a.is_leader}
            for a in data.advisors
        ],
        "presiding": {
            "name": presiding.full_name if presiding else BLANK,
            "role": ROLE.get(presiding.role, "") if presiding else "",
            "signature_title": "PHÓ CHỦ TỊCH HỘI ĐỒNG" if is_vice else "CHỦ TỊCH HỘI ĐỒNG",
        },
        "secretary": {"name": secretary.full_name if secretary else BLANK},
        "reviews": reviews,
        "conflicts": conflicts,
        "rows": rows,
        "summary": dict(Counter(r["outcome_code"] for r in rows)),
        "conclusion": conclusion(data, outcomes),
    }


def minutes_docx(session: EvaluationSession) -> bytes:
    """The minutes of the session as a Word document, from the (replaceable) template."""
    from docxtpl import DocxTemplate

    context = minutes_context(session)
    document = DocxTemplate(str(template_path(MINUTES_TEMPLATE)))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- the results table (.xlsx) -------------------------------------------------------------------


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column of `width` characters (an estimate)."""
    if not text:
        return 1
    return sum(max(1, -(-len(line) // max(int(width * 1.1), 1))) for line in str(text).splitlines())


def results_xlsx(session: EvaluationSession) -> bytes:
    """The results of the session as a spreadsheet: one row per product, each member's total in
    its own column (council order), the average, the spread, the stars and the outcome."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    with translation.override("vi"):
        data = load_session(session)
        context = _minutes_context(data)
    council, rule, session = data.council, data.rule, data.session
    members = data.scoring_members()

    fixed = ["TT", "Tên sản phẩm", "Chủ thể", "Xã, phường", "Bộ sản phẩm", "Loại đánh giá"]
    member_headers = [f"{m.full_name} ({ROLE.get(m.role, m.role)})" for m in members]
    tail = ["Điểm trung bình", "Độ lệch", "Hạng sao", "Kết quả, đề nghị"]
    headers = fixed + member_headers + tail
    widths = [5, 28, 26, 16, 22, 14] + [13] * len(members) + [11, 9, 8, 48]
    ncols = len(headers)
    last = get_column_letter(ncols)
    first_member = len(fixed) + 1
    average_col = first_member + len(members)

    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả"
    wb.properties.title = "Kết quả đánh giá, phân hạng sản phẩm OCOP"
    wb.properties.creator = "OCOP"

    ws.cell(row=1, column=1, value="KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP")
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.row_dimensions[1].height = 24
    details = [
        ("Hội đồng", council.name),
        ("Phiên đánh giá", context["session"]["title"]),
        ("Ngày", session.date),
        ("Địa điểm", session.place),
        ("Hình thức", MODE.get(session.mode, session.mode)),
        ("Bộ tiêu chí", f"{rule_title(rule)} ({rule_citation(rule)})"),
        ("Trạng thái", "Đã kết thúc" if session.state == SessionState.CLOSED else "Chưa kết thúc"),
    ]
    value_end = max(ncols, 6)
    for i, (label, value) in enumerate(details, start=2):
        label_cell = ws.cell(row=i, column=1, value=label)
        label_cell.font = Font(bold=True)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=2)
        value_cell = ws.cell(row=i, column=3, value=value)
        value_cell.alignment = Alignment(horizontal="left")
        ws.merge_cells(start_row=i, start_column=3, end_row=i, end_column=value_end)
        if isinstance(value, dt.date):
            value_cell.number_format = "dd/mm/yyyy"

    header_row = len(details) + 3
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[header_row].height = 15 * max(
        _lines(h, w) for h, w in zip(headers, widths, strict=True)
    )

    numeric = ("recognise", "central", "not_eligible")
    for r, (entry, row) in enumerate(zip(data.entries, context["rows"], strict=True), start=header_row + 1):
        result = data.result(entry) if row["outcome_code"] in numeric else None
        totals = {}
        if result is not None:
            totals = {int(t["member_id"]): Decimal(str(t["total"])) for t in result.member_totals or []}
        values = [
            entry.number,
            row["product"],
            row["producer"],
            row["commune"],
            row["product_set"],
            row["kind"],
            *[totals.get(m.pk) for m in members],
            result.average if result else None,
            result.spread if result else None,
            result.stars if result else None,
            row["outcome"],
        ]
        conflicts = {c.member_id: c.reason for c in entry.conflicts.all()}
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if first_member <= col < average_col + 2:
                cell.number_format = "0.00"
            if col in (1, average_col + 2):
                cell.alignment = Alignment(horizontal="center", vertical="top")
        for i, m in enumerate(members):
            if m.pk in conflicts:
                cell = ws.cell(row=r, column=first_member + i)
                cell.comment = Comment(f"Không chấm (xung đột lợi ích): {conflicts[m.pk]}", "OCOP")
        texts = [(v, w) for v, w in zip(values, widths, strict=True) if isinstance(v, str)]
        ws.row_dimensions[r].height = 15 * max(_lines(v, w) for v, w in texts)

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(data.entries), 1)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "Trang &P/&N"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- one member's scorecard (PDF) ----------------------------------------------------------------


def _depths(tree: scoring.SheetTree) -> dict[int, int]:
    depths: dict[int, int] = {}
    for node in tree.nodes:  # sheet order: a parent comes before its children
        depths[node.id] = depths.get(node.parent_id, -1) + 1 if node.parent_id else 0
    return depths


def _node_points(tree: scoring.SheetTree, node: scoring.Node, chosen: dict[int, Decimal]) -> str:
    """A scored criterion's points (empty until answered); a group's sum over its sub-criteria."""
    if node.is_scorable:
        return points_text(chosen[node.id]) if node.id in chosen else ""
    return points_text(tree.node_points(node, chosen))


def scorecard_context(card: Scorecard) -> dict[str, Any]:
    """Five queries: the scorecard with its product, session, member and rules; the sheet (three);
    the answers."""
    card = Scorecard.objects.select_related(
        "member",
        "sheet__rule_version",
        "entry__product__producer__commune",
        "entry__product__commune",
        "entry__session__council__area",
    ).get(pk=card.pk)
    tree = scoring.SheetTree.load(card.sheet)
    answers = {a.criterion_id: a for a in Answer.objects.filter(scorecard=card)}
    chosen_options = {  # options of the card's own sheet only
        cid: a.option_id
        for cid, a in answers.items()
        if a.option_id is not None and tree.option_points.get(a.option_id, (None,))[0] == cid
    }
    chosen_points = {cid: tree.option_points[oid][1] for cid, oid in chosen_options.items()}
    tally = scoring.tally(tree, chosen_options)
    depths = _depths(tree)
    entry, session, member = card.entry, card.entry.session, card.member
    council, product = session.council, entry.product

    parts = []
    for code, maximum in tree.parts.items():
        rows = []
        for node in tree.nodes:
            if node.part != code:
                continue
            answer = answers.get(node.id)
            picked = chosen_options.get(node.id)
            rows.append(
                {
                    "code": node.code,
                    "label": node.label,
                    "depth": depths.get(node.id, 0),
                    "indent": 2 + 4 * depths.get(node.id, 0),
                    "scorable": node.is_scorable,
                    "max": points_text(node.max_score),
                    "points": _node_points(tree, node, chosen_points),
                    "requirement": node.requirement_note,
                    "options": [
                        {"label": label, "points": points_text(points), "chosen": oid == picked}
                        for oid, label, points in node.options
                    ],
                    "answered": node.id in chosen_points,
                    "comment": answer.comment if answer else "",
                    "evidence_url": answer.evidence_url if answer else "",
                }
            )
        parts.append(
            {
                "code": code,
                "title": tree.part_titles.get(code, ""),
                "max": points_text(maximum),
                "subtotal": points_text(tally.parts.get(code, Decimal(0))),
                "rows": rows,
            }
        )
    submitted = card.is_submitted and card.submitted_at is not None
    place = place_name(council)
    return {
        "issuer": issuer(council),
        "council_heading": council_heading(council),
        "council": council.name,
        "place_date": f"{place}, {long_date(session.date)}",
        "rule_citation": rule_citation(card.sheet.rule_version),
        "product_set": card.sheet.name,
        "sheet_version": card.sheet.version,
        "product": product.name,
        "product_code": product.code or "",
        "producer": product.producer.name,
        "producer_address": ", ".join(
            x for x in (product.producer.address, product.producer.commune.name) if x
        ),
        "producer_phone": product.producer.phone,
        "commune": product.commune.name,
        "kind": KIND.get(entry.kind, entry.kind),
        "number": entry.number,
        "session": session.name,
        "session_date": _date(session.date),
        "session_place": session.place,
        "member": member.full_name,
        "member_role": ROLE.get(member.role, member.role),
        "member_organisation": organisation(member, council),
        "member_position": member.position,
        "disqualifiers": tree.disqualifiers,
        "parts": parts,
        "total": points_text(tally.total),
        "total_max": points_text(sum(tree.parts.values(), Decimal(0))),
        "answered": tally.answered,
        "scorable": len(tree.scorable),
        "comment": card.comment,
        "submitted": submitted,
        "submitted_at": plain(timezone.localtime(card.submitted_at)) if submitted else "",
        "reopen_count": card.reopen_count,
        "printed_at": plain(timezone.localtime()),
    }


def scorecard_pdf(card: Scorecard) -> bytes:
    """One member's scorecard as an A4 PDF (DejaVu fonts: every Vietnamese diacritic renders)."""
    from ocop.core.pdf import html_to_pdf

    with translation.override("vi"):
        html = render_to_string(SCORECARD_TEMPLATE, scorecard_context(card))
    return html_to_pdf(html)  # nothing a member typed may make the server fetch
