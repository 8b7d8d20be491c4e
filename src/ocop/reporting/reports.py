"""Periodic reports: the figures of an area over a period, as a Word narrative in the official
administrative format (Decree 30/2020/NĐ-CP: quốc hiệu, tiêu ngữ, số/ký hiệu, place and date,
nơi nhận), appendix tables in Excel laid out like the plans' appendices (Phụ lục 1: new products
by area; Phụ lục 2: consolidation and upgrading by area) and a PDF.

A report is reproducible: the same report of the same data gives the same bytes, except for its
generation time, which appears in one place (the last line of the documents, and the xlsx
"Thông tin" sheet). Zip entries get a fixed time and the documents' core properties fixed dates
(the period's end), the PDF a fixed identifier. The documents are Vietnamese whatever the
interface language.

The figures are counted from the records (a report runs in the background, not per page view),
by the same rules as the dashboards: a product counts on a day at the highest star of its
certificates valid that day; an area holds the records `ocop.geo.selectors.within` places in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ocop.evaluation.documents import template_path
from ocop.geo.choices import Edition
from ocop.geo.models import AdminUnit
from ocop.geo.selectors import within

from .models import Report, ReportKind, ReportState

SHIPPED = Path(__file__).resolve().parent / "doc_templates"
REPORT_TEMPLATE = "bao-cao-dinh-ky.docx"
PDF_TEMPLATE = "reporting/report_pdf.html"
ZIP_TIME = (2020, 1, 1, 0, 0, 0)

KIND_TITLE = {
    ReportKind.QUARTERLY: "Báo cáo quý",
    ReportKind.SIX_MONTH: "Báo cáo 6 tháng",
    ReportKind.ANNUAL: "Báo cáo năm",
    ReportKind.REVIEW: "Báo cáo sơ kết, tổng kết",
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def vn_int(n) -> str:
    """1.500 (Vietnamese thousands separator)."""
    return f"{int(n):,}".replace(",", ".")


def two(n: int) -> str:
    """Counts under ten are written with a leading zero in administrative prose ("01 sản phẩm")."""
    return f"{n:02d}" if 0 < n < 10 else vn_int(n)


def period_label(kind: str, start: dt.date, end: dt.date) -> str:
    if kind == ReportKind.QUARTERLY:
        return f"quý {ROMAN[(start.month - 1) // 3 + 1]} năm {start.year}"
    if kind == ReportKind.SIX_MONTH:
        return f"6 tháng {'đầu' if start.month == 1 else 'cuối'} năm {start.year}"
    if kind == ReportKind.ANNUAL:
        return f"năm {start.year}"
    return f"giai đoạn {start.year}–{end.year}" if start.year != end.year else f"từ {d(start)} đến {d(end)}"


def period_of(kind: str, year: int | None, quarter: int | None, half: int | None, start, end):
    """The period a report covers (start, end), or None if the request does not define one."""
    if kind == ReportKind.QUARTERLY and year and quarter in (1, 2, 3, 4):
        first = dt.date(year, 3 * (quarter - 1) + 1, 1)
        last = (dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - dt.timedelta(days=1)
        return first, last
    if kind == ReportKind.SIX_MONTH and year and half in (1, 2):
        return (
            (dt.date(year, 1, 1), dt.date(year, 6, 30))
            if half == 1
            else (dt.date(year, 7, 1), dt.date(year, 12, 31))
        )
    if kind == ReportKind.ANNUAL and year:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == ReportKind.REVIEW and start and end:
        return start, end
    return None


# --- the figures ---------------------------------------------------------------------------------


@dataclass
class AreaRow:
    name: str
    path: str
    new: dict[int, int] = field(default_factory=lambda: {3: 0, 4: 0, 5: 0})
    valid: dict[int, int] = field(default_factory=lambda: {3: 0, 4: 0, 5: 0})
    renewed: int = 0
    upgraded: int = 0
    target_new: Any = None
    target_consolidation: Any = None

    @property
    def new_total(self) -> int:
        return sum(self.new.values())

    @property
    def valid_total(self) -> int:
        return sum(self.valid.values())


@dataclass
class ReportData:
    kind: str
    area: AdminUnit
    start: dt.date
    end: dt.date
    stars_end: dict[int, int]
    stars_before: dict[int, int]
    new: dict[int, int]
    renewed: int
    upgraded: int
    communes_total: int
    communes_without: int
    rows: list[AreaRow]
    targets: list[dict]
    plan_title: str = ""

    @property
    def total_end(self) -> int:
        return sum(self.stars_end.values())

    @property
    def has_data(self) -> bool:
        return bool(self.total_end or sum(self.new.values()) or self.renewed or self.upgraded)


def _best(certificates, day) -> dict[int, tuple[int, int]]:
    """product id → (highest star valid on `day`, commune id)."""
    best: dict[int, tuple[int, int]] = {}
    for product_id, stars, unit_id in (
        certificates.valid_on(day).values_list("product_id", "stars", "product__commune_id").order_by()
    ):
        if product_id not in best or stars > best[product_id][0]:
            best[product_id] = (stars, unit_id)
    return best


def _stars(best) -> dict[int, int]:
    out = {5: 0, 4: 0, 3: 0}
    for stars, _unit in best.values():
        if stars >= 3:
            out[stars] = out.get(stars, 0) + 1
    return out


def _group_key(area: AdminUnit, unit: AdminUnit) -> AdminUnit:
    """The row of the appendices a commune's records fall in: districts under a province (the
    current province shows the former districts for legacy records), communes under a district."""
    if area.level == 1 and unit.is_legacy and unit.parent_id:
        return unit.parent
    return unit


def gather(kind: str, area: AdminUnit, start: dt.date, end: dt.date, plan=None) -> ReportData:
    from ocop.certification.models import Certificate

    certificates = Certificate.objects.filter(within(area, "product__commune__"), stars__gte=3)
    best_end = _best(certificates, end)
    best_before = _best(certificates, start - dt.timedelta(days=1))
    in_period = list(
        certificates.filter(issued_on__gte=start, issued_on__lte=end)
        .values_list("product_id", "stars", "issued_on", "product__commune_id")
        .order_by("product_id", "issued_on", "stars")
    )
    first_issue = dict(
        certificates.filter(product_id__in={r[0] for r in in_period})
        .values("product_id")
        .annotate(first=Min("issued_on"))
        .values_list("product_id", "first")
        .order_by()
    )
    previous = {}
    for product_id, stars in (
        certificates.filter(product_id__in={r[0] for r in in_period}, issued_on__lt=start)
        .values_list("product_id", "stars")
        .order_by("product_id", "issued_on")
    ):
        previous[product_id] = stars  # the last certificate before the period
    new = {3: 0, 4: 0, 5: 0}
    renewed_ids, upgraded_ids = set(), set()
    new_by_unit: dict[int, dict[int, int]] = defaultdict(lambda: {3: 0, 4: 0, 5: 0})
    renewed_by_unit: dict[int, set] = defaultdict(set)
    upgraded_by_unit: dict[int, set] = defaultdict(set)
    seen_new = set()
    last_star = dict(previous)
    for product_id, stars, issued_on, unit_id in in_period:
        if (
            first_issue.get(product_id) == issued_on
            and product_id not in previous
            and product_id not in seen_new
        ):
            seen_new.add(product_id)
            new[stars] += 1
            new_by_unit[unit_id][stars] += 1
        elif product_id in last_star:
            if stars > last_star[product_id]:
                upgraded_ids.add(product_id)
                upgraded_by_unit[unit_id].add(product_id)
            else:
                renewed_ids.add(product_id)
                renewed_by_unit[unit_id].add(product_id)
        last_star[product_id] = max(stars, last_star.get(product_id, 0))
    renewed_ids -= upgraded_ids

    edition = Edition.LEGACY if area.is_legacy else Edition.Y2025
    communes = list(
        AdminUnit.objects.filter(within(area), edition=edition, level=3).values_list("pk", "path")
    )
    if area.is_legacy:
        with_product = {unit for _s, unit in best_end.values()}
        without = sum(1 for pk, _p in communes if pk not in with_product)
    else:
        units = dict(
            AdminUnit.objects.filter(pk__in={u for _s, u in best_end.values()}).values_list(
                "pk", "current_path"
            )
        )
        with_current = {units.get(u) for _s, u in best_end.values()}
        without = sum(1 for _pk, path in communes if path not in with_current)

    unit_ids = (
        set(new_by_unit) | set(renewed_by_unit) | set(upgraded_by_unit) | {u for _s, u in best_end.values()}
    )
    units = {u.pk: u for u in AdminUnit.objects.filter(pk__in=unit_ids).select_related("parent")}
    rows: dict[str, AreaRow] = {}

    def row_for(unit_id) -> AreaRow:
        key_unit = _group_key(area, units[unit_id])
        if key_unit.path not in rows:
            rows[key_unit.path] = AreaRow(name=key_unit.name, path=key_unit.path)
        return rows[key_unit.path]

    for unit_id, counts in new_by_unit.items():
        r = row_for(unit_id)
        for s, n in counts.items():
            r.new[s] += n
    for stars, unit_id in best_end.values():
        if stars >= 3:
            row_for(unit_id).valid[stars] += 1
    for unit_id, ids in renewed_by_unit.items():
        row_for(unit_id).renewed += len(ids - upgraded_ids)
    for unit_id, ids in upgraded_by_unit.items():
        row_for(unit_id).upgraded += len(ids)

    targets, plan_title = _targets(plan, area, end, rows)
    return ReportData(
        kind=kind,
        area=area,
        start=start,
        end=end,
        stars_end=_stars(best_end),
        stars_before=_stars(best_before),
        new=new,
        renewed=len(renewed_ids),
        upgraded=len(upgraded_ids),
        communes_total=len(communes),
        communes_without=without,
        rows=sorted(rows.values(), key=lambda r: r.path),
        targets=targets,
        plan_title=plan_title,
    )


def _fmt(value) -> str:
    if value is None or value == "":
        return ""
    try:
        if float(value) == int(float(value)):
            return vn_int(int(float(value)))
        return f"{float(value):.2f}".replace(".", ",")
    except (TypeError, ValueError):
        return str(value)


def _targets(plan, area, end, rows) -> tuple[list[dict], str]:
    """The plan's targets with their progress at the end of the period (planning.selectors)."""
    if plan is None:
        return [], ""
    from ocop.planning import selectors as planning

    out = []
    for row in planning.progress(plan, area=area, as_of=end):
        ratio = getattr(row, "ratio", None)
        indicator = getattr(row, "indicator", "")
        target_area = getattr(row, "area", None)
        out.append(
            {
                "indicator": str(getattr(indicator, "name", indicator)),
                "code": str(getattr(indicator, "code", "")),
                "area": str(getattr(target_area, "name", target_area or "")),
                "area_path": getattr(target_area, "path", ""),
                "target": _fmt(getattr(row, "target", "")),
                "actual": _fmt(getattr(row, "actual", "")),
                "ratio": f"{float(ratio) * 100:.0f}%" if ratio not in (None, "") else "",
            }
        )
        code, path = out[-1]["code"], out[-1]["area_path"]
        if path in rows and code == "new_products_3star":
            rows[path].target_new = out[-1]["target"]
        if path in rows and code in ("upgraded_3_to_4", "producers_strengthened"):
            rows[path].target_consolidation = out[-1]["target"]
    return out, str(plan)


# --- the documents -------------------------------------------------------------------------------


def _issuer(area: AdminUnit) -> tuple[str, str]:
    """The issuing body (UBND TỈNH THÁI NGUYÊN) and the body above it (none for a province)."""
    name = area.name
    if area.level == 1:
        return "", f"UBND {name.upper()}"
    parent = area.parent.name.upper() if area.parent_id else ""
    return (f"UBND {parent}" if parent else ""), f"UBND {name.upper()}"


def _place(area: AdminUnit) -> str:
    province = area
    while province.level > 1 and province.parent_id:
        province = province.parent
    for prefix in ("Tỉnh ", "Thành phố "):
        if province.name.startswith(prefix):
            return province.name[len(prefix) :]
    return province.name


def report_context(data: ReportData, generated_at: dt.datetime) -> dict[str, Any]:
    """Every placeholder of the Word template (and the PDF)."""
    area = data.area
    parent, issuer = _issuer(area)
    period = period_label(data.kind, data.start, data.end)
    s = data.stars_end
    area_word = "toàn tỉnh" if area.level == 1 else f"trên địa bàn {area.name}"
    star_rows = [
        {"label": f"Trước kỳ ({d(data.start - dt.timedelta(days=1))})", **_star_cells(data.stars_before)},
        {"label": f"Cuối kỳ ({d(data.end)})", **_star_cells(data.stars_end)},
        {"label": "Mới công nhận trong kỳ", **_star_cells(data.new)},
    ]
    new_total = sum(data.new.values())
    local = timezone.localtime(generated_at)
    return {
        "issuer_parent": parent,
        "issuer": issuer,
        "number": "      /BC-UBND",
        # Day and month are left for the signature; the year is the generation's.
        "place_date": f"{_place(area)}, ngày      tháng      năm {local.year}",
        "title": f"Kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) {period}",
        "kind_title": KIND_TITLE.get(data.kind, "Báo cáo"),
        "area_name": area.name,
        "period": period,
        "start": d(data.start),
        "end": d(data.end),
        "introduction": (
            f"{issuer.title().replace('Ubnd', 'UBND')} báo cáo kết quả thực hiện Chương trình OCOP {period} "
            f"(từ ngày {d(data.start)} đến ngày {d(data.end)}) như sau:"
        ),
        "products_sentence": (
            f"Tính đến ngày {d(data.end)}, {area_word} có {two(data.total_end)} sản phẩm OCOP còn hiệu lực "
            f"(gồm {two(s[5])} sản phẩm 5 sao, {two(s[4])} sản phẩm 4 sao, {two(s[3])} sản phẩm 3 sao)."
        ),
        "period_sentence": (
            f"Trong kỳ có {two(new_total)} sản phẩm được công nhận mới ({two(data.new[5])} sản phẩm 5 sao, "
            f"{two(data.new[4])} sản phẩm 4 sao, {two(data.new[3])} sản phẩm 3 sao), "
            f"{two(data.renewed)} sản phẩm được đánh giá lại, "
            f"{two(data.upgraded)} sản phẩm được nâng hạng sao."
        ),
        "communes_sentence": (
            f"Số xã chưa có sản phẩm OCOP: {two(data.communes_without)}/{two(data.communes_total)} xã."
            if data.communes_total
            else ""
        ),
        "stars_end": {str(k): v for k, v in s.items()},
        "total_end": data.total_end,
        "new_total": new_total,
        "renewed": data.renewed,
        "upgraded": data.upgraded,
        "communes_total": data.communes_total,
        "communes_without": data.communes_without,
        "star_rows": star_rows,
        "targets": data.targets,
        "plan_title": data.plan_title,
        "rows": [
            {
                "name": r.name,
                "new3": r.new[3],
                "new4": r.new[4],
                "new5": r.new[5],
                "new_total": r.new_total,
                "valid3": r.valid[3],
                "valid4": r.valid[4],
                "valid5": r.valid[5],
                "valid_total": r.valid_total,
                "renewed": r.renewed,
                "upgraded": r.upgraded,
            }
            for r in data.rows
        ],
        "shortcomings": "(Đơn vị bổ sung nội dung.)",
        "next_steps": "(Đơn vị bổ sung nội dung.)",
        "recipients": [
            "- UBND tỉnh (b/c);" if area.level > 1 else "- Bộ Nông nghiệp và Môi trường (b/c);",
            "- Văn phòng Điều phối nông thôn mới tỉnh;",
            "- Lưu: VT.",
        ],
        "signer_title": "TM. ỦY BAN NHÂN DÂN",
        "generated_at": local.strftime("%H:%M %d/%m/%Y"),
        "generated_line": f"Số liệu trích từ Hệ thống thông tin OCOP lúc {local.strftime('%H:%M %d/%m/%Y')}.",
    }


def _star_cells(stars: dict[int, int]) -> dict[str, int]:
    return {"s5": stars.get(5, 0), "s4": stars.get(4, 0), "s3": stars.get(3, 0), "total": sum(stars.values())}


def normalise_zip(content: bytes, fixed: dt.datetime) -> bytes:
    """The same entries with a fixed time, and fixed dates in the core properties."""
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", rf"\g<1>{stamp}\g<3>", text
                )
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return out.getvalue()


def _fixed_time(data: ReportData) -> dt.datetime:
    return dt.datetime(data.end.year, data.end.month, data.end.day)


def build_docx(data: ReportData, generated_at: dt.datetime) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template_path(REPORT_TEMPLATE, SHIPPED)))
    document.render(report_context(data, generated_at), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue(), _fixed_time(data))


def build_xlsx(data: ReportData, generated_at: dt.datetime) -> bytes:
    """Phụ lục 1 (new products by area) and Phụ lục 2 (consolidation and upgrading by area)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    context = report_context(data, generated_at)
    wb = Workbook()
    fixed = _fixed_time(data)
    wb.properties.creator = "OCOP"
    wb.properties.lastModifiedBy = "OCOP"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.title = context["title"]
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True, name="Times New Roman", size=12)
    normal = Font(name="Times New Roman", size=12)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def sheet(ws, title: str, subtitle: str, header: list[str], body: list[list], widths: list[int]):
        ws.append([title])
        ws.append([subtitle])
        ws.append([f"(Kèm theo Báo cáo {context['title'][0].lower()}{context['title'][1:]})"])
        ws.append([])
        ws.append(header)
        for row in body:
            ws.append(row)
        last = get_column_letter(len(header))
        for r in (1, 2, 3):
            ws.merge_cells(f"A{r}:{last}{r}")
            ws[f"A{r}"].alignment = center
            ws[f"A{r}"].font = bold if r < 3 else Font(italic=True, name="Times New Roman", size=12)
        for cell in ws[5]:
            cell.font, cell.alignment, cell.border = bold, center, border
        for row in ws.iter_rows(min_row=6, max_row=5 + len(body)):
            for cell in row:
                cell.font, cell.border = normal, border
                if cell.column > 2:
                    cell.alignment = Alignment(horizontal="center")
        for row in ws.iter_rows(min_row=5 + len(body), max_row=5 + len(body)):
            for cell in row:
                cell.font = bold
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "C6"

    ws1 = wb.active
    ws1.title = "Phụ lục 1"
    body1 = []
    for i, r in enumerate(context["rows"], 1):
        target = data.rows[i - 1].target_new
        body1.append([i, r["name"], r["new5"], r["new4"], r["new3"], r["new_total"], target or ""])
    body1.append(
        [
            "",
            "Tổng cộng",
            data.new[5],
            data.new[4],
            data.new[3],
            sum(data.new.values()),
            "",
        ]
    )
    sheet(
        ws1,
        "PHỤ LỤC 1",
        f"SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN MỚI THEO ĐỊA BÀN, {context['period'].upper()}",
        ["STT", "Địa bàn", "5 sao", "4 sao", "3 sao", "Tổng số", "Kế hoạch"],
        body1,
        [6, 34, 9, 9, 9, 10, 11],
    )
    ws2 = wb.create_sheet("Phụ lục 2")
    body2 = []
    for i, r in enumerate(context["rows"], 1):
        target = data.rows[i - 1].target_consolidation
        body2.append(
            [
                i,
                r["name"],
                r["valid5"],
                r["valid4"],
                r["valid3"],
                r["valid_total"],
                r["renewed"],
                r["upgraded"],
                target or "",
            ]
        )
    body2.append(
        [
            "",
            "Tổng cộng",
            data.stars_end[5],
            data.stars_end[4],
            data.stars_end[3],
            data.total_end,
            data.renewed,
            data.upgraded,
            "",
        ]
    )
    sheet(
        ws2,
        "PHỤ LỤC 2",
        f"CỦNG CỐ, NÂNG CẤP SẢN PHẨM OCOP THEO ĐỊA BÀN, ĐẾN NGÀY {context['end']}",
        [
            "STT",
            "Địa bàn",
            "5 sao",
            "4 sao",
            "3 sao",
            "Tổng số còn hiệu lực",
            "Đánh giá lại",
            "Nâng hạng",
            "Kế hoạch",
        ],
        body2,
        [6, 34, 9, 9, 9, 12, 11, 11, 11],
    )
    ws3 = wb.create_sheet("Thông tin")
    for row in (
        ["Báo cáo", context["title"]],
        ["Địa bàn", context["area_name"]],
        ["Từ ngày", context["start"]],
        ["Đến ngày", context["end"]],
        ["Trích xuất lúc", context["generated_at"]],
    ):
        ws3.append(row)
    ws3.column_dimensions["A"].width = 18
    ws3.column_dimensions["B"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return normalise_zip(out.getvalue(), fixed)


def build_pdf(data: ReportData, generated_at: dt.datetime) -> bytes:
    from ocop.core.pdf import html_to_pdf

    context = report_context(data, generated_at)
    html = render_to_string(PDF_TEMPLATE, context)
    return html_to_pdf(html, hashlib.sha256(html.encode("utf-8")).digest()[:16])


def build_all(data: ReportData, generated_at: dt.datetime) -> dict[str, bytes]:
    with translation.override("vi"):
        return {
            "docx": build_docx(data, generated_at),
            "xlsx": build_xlsx(data, generated_at),
            "pdf": build_pdf(data, generated_at),
        }


def load_plan(report: Report):
    if not report.plan_id_ref:
        return None
    from ocop.planning.models import Plan

    return Plan.objects.filter(pk=report.plan_id_ref).first()


def run(report_id: int, progress) -> dict:
    """The background task's body: gather, build the three files, store them."""
    from .services import file_stem

    report = Report.objects.select_related("area", "area__parent").get(pk=report_id)
    try:
        progress(0, 4, "Đang tổng hợp số liệu")
        data = gather(report.kind, report.area, report.start, report.end, load_plan(report))
        generated_at = timezone.now()
        files = {}
        with translation.override("vi"):
            for i, (fmt, builder) in enumerate(
                (("docx", build_docx), ("xlsx", build_xlsx), ("pdf", build_pdf)), start=1
            ):
                progress(i, 4, f"Đang tạo tệp .{fmt}")
                files[fmt] = builder(data, generated_at)
        stem = f"{report.pk}/{file_stem(report)}"
        with transaction.atomic():
            for fmt, content in files.items():
                field_file = getattr(report, fmt)
                if field_file:
                    field_file.delete(save=False)
                field_file.save(f"{stem}.{fmt}", ContentFile(content), save=False)
            report.generated_at = generated_at
            report.state = ReportState.DONE
            report.save(update_fields=["docx", "xlsx", "pdf", "generated_at", "state", "updated_at"])
        progress(4, 4, "Hoàn thành")
    except Exception as exc:
        Report.objects.filter(pk=report.pk).update(state=ReportState.FAILED, error=str(exc)[:2000])
        raise
    return {"report": report.pk, "products": data.total_end, "url": report.get_absolute_url()}
