"""Score sheets as files: the XLSX workbook officials read and correct, and JSON uploads.

The workbook (documented in docs/criteria-format.md) has four sheets with fixed Vietnamese names
and headers, whatever the language of the page that produced it:

- "Thông tin": the sheet's code, name, product set and rule version, then its parts with their
  titles and maxima;
- "Tiêu chí": a row per option of a scored criterion and a row per group criterion
  (Phần | Mã tiêu chí | Tiêu chí | Điểm tối đa | Yêu cầu | Phương án | Điểm); the tree is inferred
  from the numbers ("1" → "1.1" → "1.1.1");
- "Hồ sơ bị loại khi": the grounds for rejecting a dossier, one a row;
- "Tối thiểu theo hạng sao": the per-star minimum criteria.

Reading a file gives the JSON tree of `sheets.export_sheet` (or the problems found, each named by
sheet, row and column); the tree then goes through `sheets.check_sheet` and `sheets.import_sheet`
like any other. `prepare` and `publish` are the two steps of the import screens; the uploaded file
waits between them in `StoredSheet` (core.uploads), outside the served media.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core.text import fold
from ocop.core.uploads import StoredUpload

from . import sheets
from .models import RuleVersion, ScoreSheet

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 10 * 1024 * 1024  # a shipped sheet's workbook unpacks to ~100 kB
MAX_ROWS = 10_000
MAX_COLUMNS = 30
MAX_PROBLEMS = 500

INFO = "Thông tin"
CRITERIA = "Tiêu chí"
DISQUALIFIERS = "Hồ sơ bị loại khi"
MINIMUMS = "Tối thiểu theo hạng sao"

# Column keys and their headers, in the order written.
CRITERIA_COLUMNS = {
    "part": "Phần",
    "code": "Mã tiêu chí",
    "label": "Tiêu chí",
    "max_score": "Điểm tối đa",
    "requirement_note": "Yêu cầu",
    "option": "Phương án",
    "points": "Điểm",
}
DISQUALIFIER_COLUMNS = {"number": "STT", "text": "Nội dung"}
MINIMUM_COLUMNS = {
    "stars": "Hạng sao",
    "criterion": "Mã tiêu chí",
    "min_points": "Điểm tối thiểu",
    "label": "Tiêu chí (để tham khảo)",
}
INFO_KEYS = {
    "code": "Mã phiếu",
    "name": "Tên phiếu (bộ sản phẩm)",
    "product_set": "Mã bộ sản phẩm",
    "rule_version": "Mã bộ tiêu chí",
    "decision": "Văn bản",
    "version": "Phiên bản phiếu",
    "published_at": "Ngày công bố",
}
# Keys of "Thông tin" that are read back; the others are for the reader only.
INFO_READ = ("code", "name", "product_set", "rule_version")
PART_COLUMNS = {"part": "Phần", "label": "Tên phần", "max_score": "Điểm tối đa"}
OPTIONAL_COLUMNS = {"label"}  # of the minimums sheet

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Problem:
    """One problem of an uploaded file, placed as precisely as possible."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    code: str = "invalid"

    def __str__(self) -> str:
        if self.sheet and self.row and self.column:
            return _("Sheet “%(s)s”, row %(r)s, column “%(c)s”: %(m)s") % {
                "s": self.sheet,
                "r": self.row,
                "c": self.column,
                "m": self.message,
            }
        if self.sheet and self.row:
            return _("Sheet “%(s)s”, row %(r)s: %(m)s") % {"s": self.sheet, "r": self.row, "m": self.message}
        if self.sheet:
            return _("Sheet “%(s)s”: %(m)s") % {"s": self.sheet, "m": self.message}
        return self.message

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "code": self.code,
            "text": str(self),
        }


@dataclass
class Upload:
    """What a file holds: a sheet tree, or the problems that prevent reading one."""

    format: str  # "xlsx", "json" or "" (unknown)
    data: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False  # the file could not be read at all (not a workbook, damaged, too large …)


class _Fatal(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.problem = Problem(message, code=code)


# --- Writing the workbook ------------------------------------------------------------------------------


def build_xlsx(sheet: ScoreSheet) -> bytes:
    """The workbook of a stored sheet."""
    tree = sheets.export_sheet(sheet)
    return workbook_from_tree(
        tree,
        decision=sheet.rule_version.decision,
        version=sheet.version,
        published_at=timezone.localtime(sheet.published_at).strftime("%d/%m/%Y")
        if sheet.published_at
        else "",
    )


def workbook_from_tree(
    tree: dict, *, decision: str = "", version: int | None = None, published_at=""
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(ws, row, col, value, *, text=False):
        cell = ws.cell(row=row, column=col)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # a text starting with "=" stays text
        if text:
            cell.number_format = "@"
        cell.alignment = wrap
        return cell

    def header(ws, row, names, widths):
        for i, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
            cell = put(ws, row, i, name)
            cell.font, cell.fill = header_font, header_fill
            ws.column_dimensions[get_column_letter(i)].width = width

    book = Workbook()
    info = book.active
    info.title = INFO
    header(info, 1, ["Mục", "Giá trị", ""], [28, 70, 14])
    values = {
        "code": tree.get("code") or "",
        "name": tree.get("name") or "",
        "product_set": tree.get("product_set") or "",
        "rule_version": tree.get("rule_version") or "",
        "decision": decision,
        "version": version if version is not None else "",
        "published_at": published_at,
    }
    row = 2
    for key, label in INFO_KEYS.items():
        put(info, row, 1, label).font = header_font
        put(info, row, 2, values[key], text=key in ("code", "product_set", "rule_version"))
        row += 1
    row += 1
    parts_header = row
    for i, name in enumerate(PART_COLUMNS.values(), start=1):
        cell = put(info, parts_header, i, name)
        cell.font, cell.fill = header_font, header_fill
    for section in tree.get("sections") or []:
        row += 1
        put(info, row, 1, section["code"], text=True)
        put(info, row, 2, section.get("label") or "")
        put(info, row, 3, section.get("max_score"))

    ws = book.create_sheet(CRITERIA)
    header(ws, 1, list(CRITERIA_COLUMNS.values()), [7, 12, 60, 11, 45, 60, 8])
    ws.freeze_panes = "A2"
    row = 1

    def write(node, part, depth):
        nonlocal row
        first = True
        options = node.get("options") or [None]
        for option in options:
            row += 1
            put(ws, row, 1, part, text=True)
            put(ws, row, 2, node["code"], text=True)
            if first:
                label = put(ws, row, 3, node["label"])
                label.alignment = Alignment(wrap_text=True, vertical="top", indent=depth)
                if not node.get("is_scorable"):
                    label.font = header_font
                put(ws, row, 4, node.get("max_score"))
                put(ws, row, 5, node.get("requirement_note") or None)
            if option is not None:
                put(ws, row, 6, option["label"])
                put(ws, row, 7, option["points"])
            first = False
        for child in node.get("children") or []:
            write(child, part, depth + 1)

    for section in tree.get("sections") or []:
        for node in section.get("criteria") or []:
            write(node, section["code"], 0)

    ws = book.create_sheet(DISQUALIFIERS)
    header(ws, 1, list(DISQUALIFIER_COLUMNS.values()), [6, 110])
    for i, text in enumerate(tree.get("disqualifiers") or [], start=1):
        put(ws, i + 1, 1, i)
        put(ws, i + 1, 2, text)

    labels = {}

    def collect(nodes):
        for n in nodes:
            labels.setdefault(n["code"], n["label"])
            collect(n.get("children") or [])

    for section in tree.get("sections") or []:
        collect(section.get("criteria") or [])
    ws = book.create_sheet(MINIMUMS)
    header(ws, 1, list(MINIMUM_COLUMNS.values()), [10, 14, 15, 70])
    for i, m in enumerate(tree.get("star_minimums") or [], start=2):
        put(ws, i, 1, m["stars"])
        put(ws, i, 2, m["criterion"], text=True)
        put(ws, i, 3, m["min_points"])
        put(ws, i, 4, labels.get(m["criterion"], ""))

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Reading files -------------------------------------------------------------------------------------


def read_upload(content: bytes) -> Upload:
    """A workbook (recognised by its content, not its name) or a JSON sheet."""
    if not content:
        return Upload("", problems=[Problem(_("The file is empty."), code="empty")], fatal=True)
    if len(content) > MAX_BYTES:
        return Upload(
            "",
            problems=[
                Problem(
                    _("The file is larger than %(mb)s MB: a score sheet is far smaller. Check the file.")
                    % {"mb": MAX_BYTES // (1024 * 1024)},
                    code="too_large",
                )
            ],
            fatal=True,
        )
    if content.startswith(b"PK\x03\x04") or content.startswith(_OLE_MAGIC):
        return read_xlsx(content)
    return read_json(content)


def read_json(content: bytes) -> Upload:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Upload(
            "",
            problems=[
                Problem(
                    _("This file is neither an Excel workbook (.xlsx) nor a JSON file in UTF-8."),
                    code="not_sheet_file",
                )
            ],
            fatal=True,
        )

    def refuse_constant(name):
        raise ValueError(_("%(v)s is not a number JSON allows.") % {"v": name})

    try:
        data = json.loads(unicodedata.normalize("NFC", text), parse_constant=refuse_constant)
    except json.JSONDecodeError as exc:
        return Upload(
            "json" if text.lstrip()[:1] in ("{", "[") else "",
            problems=[
                Problem(
                    _("This is not valid JSON: line %(l)s, column %(c)s: %(m)s.")
                    % {"l": exc.lineno, "c": exc.colno, "m": exc.msg}
                    if text.lstrip()[:1] in ("{", "[")
                    else _("This file is neither an Excel workbook (.xlsx) nor a JSON file."),
                    code="invalid_json" if text.lstrip()[:1] in ("{", "[") else "not_sheet_file",
                )
            ],
            fatal=True,
        )
    except (ValueError, RecursionError) as exc:
        message = str(exc) if isinstance(exc, ValueError) else _("The JSON is nested too deeply.")
        return Upload("json", problems=[Problem(message, code="invalid_json")], fatal=True)
    if isinstance(data, list):
        return Upload(
            "json",
            problems=[
                Problem(
                    _(
                        "The file holds a list of %(n)s sheets. Upload one sheet: a JSON object with "
                        "“code” and “sections”."
                    )
                    % {"n": len(data)},
                    code="list",
                )
            ],
            fatal=True,
        )
    if not isinstance(data, dict):
        return Upload(
            "json",
            problems=[Problem(_("A score sheet must be a JSON object with “code” and “sections”."))],
            fatal=True,
        )
    return Upload("json", data=data)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


class _Reader:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, sheet, row, column, message, code="invalid"):
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(message, sheet, row, column, code))

    def number(self, value, sheet, row, column, *, required=True) -> float | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(sheet, row, column, _("a number is needed here."), "missing")
            return None
        if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
            self.add(sheet, row, column, _("“%(v)s” is not a number.") % {"v": value}, "bad_number")
            return None
        if isinstance(value, int | float):
            number = Decimal(str(value))
        else:
            text = _cell_text(value).replace(" ", "")
            if text.count(",") == 1 and "." not in text:
                text = text.replace(",", ".")  # 2,5 as written in Vietnamese
            try:
                number = Decimal(text)
            except InvalidOperation:
                self.add(sheet, row, column, _("“%(v)s” is not a number.") % {"v": value}, "bad_number")
                return None
        if not number.is_finite():
            self.add(sheet, row, column, _("“%(v)s” is not a number.") % {"v": value}, "bad_number")
            return None
        return float(number)

    def code(self, value, sheet, row, column) -> str | None:
        """A number or code as text ("1.1", "A"); None (reported) when Excel made it a date."""
        if isinstance(value, dt.date | dt.time | dt.timedelta):
            if isinstance(value, dt.datetime | dt.date):
                value = value.strftime("%d/%m/%Y")
            self.add(
                sheet,
                row,
                column,
                _(
                    "Excel turned the number into a date (%(v)s). Format the column as text and "
                    "type the number again."
                )
                % {"v": value},
                "date_code",
            )
            return None
        return _cell_text(value)


def _fatal_checks(content: bytes) -> None:
    if content.startswith(_OLE_MAGIC):
        raise _Fatal(
            _(
                "This is a workbook in the old Excel format (.xls), or a protected workbook. Save it as "
                "“Excel Workbook (.xlsx)” without a password and upload that file."
            ),
            "xls",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _Fatal(_("The file is damaged and cannot be opened."), "damaged") from exc
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise _Fatal(_("This file is not an Excel workbook (.xlsx)."), "not_xlsx")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise _Fatal(_("The workbook is too large once unpacked: a score sheet is far smaller."), "too_large")


def _find_sheet(book, title: str):
    wanted = fold(title)
    for ws in book.worksheets:
        if fold(ws.title) == wanted:
            return ws
    return None


def _rows(ws, reader: _Reader) -> list[tuple[int, list[Any]]]:
    """The sheet's non-empty rows (number, values), with merged cells and formulas reported."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    for merged in list(ws.merged_cells.ranges)[:20]:
        reader.add(
            ws.title,
            merged.min_row,
            "",
            _("cells %(r)s are merged. Unmerge them and fill in every cell.") % {"r": merged.coord},
            "merged",
        )
    # The cells the file holds (openpyxl keeps them in `_cells`): a sheet formatted down to row
    # 1,048,576 is not walked row by row.
    filled = [key for key, cell in ws._cells.items() if cell.value not in (None, "")]
    last_row = max((r for r, _c in filled), default=0)
    last_col = min(max((c for _r, c in filled), default=0), MAX_COLUMNS)
    if sum(1 for _ in {r for r, _c in filled}) > MAX_ROWS:
        raise _Fatal(
            _("Sheet “%(s)s” has more than %(n)s rows: a score sheet is far smaller.")
            % {"s": ws.title, "n": MAX_ROWS},
            "too_large",
        )
    rows = []
    for number, cells in enumerate(
        ws.iter_rows(min_row=1, max_row=last_row, max_col=max(last_col, 1)), start=1
    ):
        values = []
        for cell in cells:
            value = cell.value
            if cell.data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
                text = value if isinstance(value, str) else getattr(value, "text", "") or "="
                reader.add(
                    ws.title,
                    number,
                    cell.column_letter,
                    _("cell %(c)s holds a formula (%(f)s). Type the value itself.")
                    % {"c": cell.coordinate, "f": str(text)[:60]},
                    "formula",
                )
                value = None
            values.append(value)
        if any(v not in (None, "") for v in values):
            rows.append((number, values))
    return rows


def _columns(
    ws_title, header_row, header_values, wanted: dict[str, str], reader, optional=()
) -> dict[str, int]:
    """Column index of each wanted key, by its header (case and diacritics ignored)."""
    found = {}
    by_name = {fold(_cell_text(v)): i for i, v in enumerate(header_values) if _cell_text(v)}
    for key, name in wanted.items():
        if fold(name) in by_name:
            found[key] = by_name[fold(name)]
        elif key not in optional:
            reader.add(
                ws_title,
                header_row,
                name,
                _("the column “%(c)s” is missing from the header row.") % {"c": name},
                "missing_column",
            )
    return found


def read_xlsx(content: bytes) -> Upload:
    from openpyxl import load_workbook

    try:
        _fatal_checks(content)
        try:
            book = load_workbook(io.BytesIO(content), data_only=False)
        except Exception as exc:  # openpyxl raises many kinds on damaged files
            raise _Fatal(
                _("The workbook cannot be opened: it may be damaged. Open it in Excel and save it again."),
                "damaged",
            ) from exc
        if not any(cell.value not in (None, "") for ws in book.worksheets for cell in ws._cells.values()):
            return Upload("xlsx", problems=[Problem(_("The workbook is empty."), code="empty")], fatal=True)
        reader = _Reader()
        found = {}
        for title in (INFO, CRITERIA, DISQUALIFIERS, MINIMUMS):
            ws = _find_sheet(book, title)
            if ws is None:
                reader.add(
                    title,
                    None,
                    "",
                    _("the workbook has no sheet named “%(s)s”. Use the layout of an exported sheet.")
                    % {"s": title},
                    "missing_sheet",
                )
            else:
                found[title] = (ws.title, _rows(ws, reader))
        if len(found) < 4:
            return Upload("xlsx", problems=reader.problems)
        tree = _read_tree(found, reader)
    except _Fatal as exc:
        return Upload("xlsx" if exc.problem.code != "not_xlsx" else "", problems=[exc.problem], fatal=True)
    if reader.problems:
        return Upload("xlsx", problems=reader.problems)
    return Upload("xlsx", data=tree)


def _read_tree(found: dict, reader: _Reader) -> dict:
    info_title, info_rows = found[INFO]
    meta: dict[str, Any] = {}
    parts: dict[str, dict] = {}
    keys = {fold(label): key for key, label in INFO_KEYS.items()}
    parts_header = None
    part_cols: dict[str, int] = {}
    for number, values in info_rows:
        first = fold(_cell_text(values[0]))
        if parts_header is None:
            if first == fold(PART_COLUMNS["part"]):
                parts_header = number
                part_cols = _columns(info_title, number, values, PART_COLUMNS, reader)
                continue
            key = keys.get(first)
            if key in INFO_READ:
                value = values[1] if len(values) > 1 else None
                meta[key] = reader.code(value, info_title, number, INFO_KEYS[key]) or ""
            continue
        if len(part_cols) < len(PART_COLUMNS):
            break
        code = reader.code(values[part_cols["part"]], info_title, number, PART_COLUMNS["part"])
        if code is None:
            continue
        if not code:
            reader.add(info_title, number, PART_COLUMNS["part"], _("the part's code is empty."), "missing")
            continue
        if code in parts:
            reader.add(
                info_title,
                number,
                PART_COLUMNS["part"],
                _("part %(p)s is listed twice.") % {"p": code},
                "duplicate",
            )
            continue
        parts[code] = {
            "code": code,
            "label": _cell_text(values[part_cols["label"]]),
            "max_score": reader.number(
                values[part_cols["max_score"]], info_title, number, PART_COLUMNS["max_score"]
            ),
            "criteria": [],
        }
    if parts_header is None:
        reader.add(
            info_title,
            None,
            "",
            _("the table of parts (a row starting with “%(h)s”) is missing.") % {"h": PART_COLUMNS["part"]},
            "missing_parts",
        )
    if not meta.get("code"):
        reader.add(info_title, None, INFO_KEYS["code"], _("the sheet's code is missing."), "missing")

    sections = _read_criteria(found[CRITERIA], parts, reader)

    title, rows = found[DISQUALIFIERS]
    disqualifiers = []
    if rows:
        header_row, header = rows[0]
        cols = _columns(title, header_row, header, DISQUALIFIER_COLUMNS, reader, optional=("number",))
        if "text" in cols:
            for _number, values in rows[1:]:
                text = _cell_text(values[cols["text"]] if cols["text"] < len(values) else None)
                if text:
                    disqualifiers.append(text)
    title, rows = found[MINIMUMS]
    minimums = []
    if rows:
        header_row, header = rows[0]
        cols = _columns(title, header_row, header, MINIMUM_COLUMNS, reader, optional=OPTIONAL_COLUMNS)
        if {"stars", "criterion", "min_points"} <= set(cols):
            for number, values in rows[1:]:

                def cell(key, values=values):
                    i = cols[key]
                    return values[i] if i < len(values) else None

                stars = reader.number(cell("stars"), title, number, MINIMUM_COLUMNS["stars"])
                if stars is not None and not float(stars).is_integer():
                    reader.add(
                        title,
                        number,
                        MINIMUM_COLUMNS["stars"],
                        _("the stars must be a whole number."),
                        "bad_number",
                    )
                criterion = reader.code(cell("criterion"), title, number, MINIMUM_COLUMNS["criterion"])
                if criterion == "":
                    reader.add(
                        title, number, MINIMUM_COLUMNS["criterion"], _("the criterion is empty."), "missing"
                    )
                minimum = reader.number(cell("min_points"), title, number, MINIMUM_COLUMNS["min_points"])
                minimums.append(
                    {
                        "stars": int(stars) if stars is not None else 0,
                        "criterion": criterion or "",
                        "min_points": minimum if minimum is not None else 0.0,
                    }
                )
    return {
        "code": meta.get("code") or "",
        "name": meta.get("name") or "",
        "rule_version": meta.get("rule_version") or None,
        "product_set": meta.get("product_set") or None,
        "disqualifiers": disqualifiers,
        "star_minimums": minimums,
        "sections": sections,
    }


def _read_criteria(found, parts: dict[str, dict], reader: _Reader) -> list[dict]:
    title, rows = found
    if not rows:
        reader.add(title, None, "", _("the sheet has no criteria."), "empty")
        return list(parts.values())
    header_row, header = rows[0]
    cols = _columns(title, header_row, header, CRITERIA_COLUMNS, reader)
    if len(cols) < len(CRITERIA_COLUMNS):
        return list(parts.values())
    names = CRITERIA_COLUMNS

    # (part, code) → {"node": …, "row": first row, "last": last row, "option_rows": bool}
    seen: dict[tuple[str, str], dict] = {}
    order: dict[str, list[tuple[str, str]]] = {p: [] for p in parts}
    state = {"previous": None, "rejected": False}

    def reject(number, column, message, code):
        reader.add(title, number, names[column], message, code)
        state["rejected"] = True

    def read_row(number, values):
        def cell(key):
            i = cols[key]
            return values[i] if i < len(values) else None

        previous = state["previous"]
        part = reader.code(cell("part"), title, number, names["part"])
        code = reader.code(cell("code"), title, number, names["code"])
        if part is None or code is None:  # reported
            state["rejected"] = True
            return
        label = _cell_text(cell("label"))
        option = _cell_text(cell("option"))
        points_cell = cell("points")
        has_option = bool(option) or _cell_text(points_cell) != ""
        if not code:
            if state["rejected"] and not label:
                return  # another option of a row already reported
            if previous is None or not has_option or label:
                return reject(number, "code", _("the criterion's number is empty."), "missing")
            key = previous  # another option of the criterion above
            if (part or key[0]) != key[0]:
                return reject(number, "part", _("the part differs from the row above."), "invalid")
        elif not part:
            return reject(number, "part", _("the part is empty."), "missing")
        elif part not in parts:
            return reject(
                number,
                "part",
                _("part “%(p)s” is not in the table of parts of the sheet “%(s)s” (%(k)s).")
                % {"p": part, "s": INFO, "k": ", ".join(parts) or "—"},
                "unknown_part",
            )
        else:
            key = (part, code)
        entry = seen.get(key)
        if entry is not None and previous != key:
            state["previous"] = None
            return reject(
                number,
                "code",
                _(
                    "criterion %(c)s of part %(p)s is already on row %(r)s; each criterion's rows "
                    "must follow one another."
                )
                % {"c": key[1], "p": key[0], "r": entry["row"]},
                "duplicate",
            )
        if entry is None:
            if not label:
                if state["rejected"]:
                    return  # the rest of a criterion whose first row was reported
                return reject(number, "label", _("the criterion's text is empty."), "missing")
            node = {
                "code": key[1],
                "label": label,
                "max_score": reader.number(
                    cell("max_score"), title, number, names["max_score"], required=False
                ),
                "requirement_note": _cell_text(cell("requirement_note")) or None,
                "is_scorable": False,
                "options": [],
                "children": [],
            }
            entry = seen[key] = {"node": node, "row": number, "options": has_option}
            order[key[0]].append(key)
        else:
            node = entry["node"]
            conflict = _(
                "differs from row %(r)s of the same criterion; leave it empty or make them equal."
            ) % {"r": entry["row"]}
            for column, value in (
                ("label", label),
                ("requirement_note", _cell_text(cell("requirement_note"))),
            ):
                if value and value != (node[column] or ""):
                    reader.add(title, number, names[column], conflict, "conflict")
            max_cell = cell("max_score")
            if _cell_text(max_cell):
                again = reader.number(max_cell, title, number, names["max_score"], required=False)
                if again is not None and again != node["max_score"]:
                    reader.add(title, number, names["max_score"], conflict, "conflict")
            if not entry["options"]:
                state["previous"] = key
                return reject(
                    number,
                    "code",
                    _("criterion %(c)s is a group (row %(r)s has no option); it cannot take options.")
                    % {"c": key[1], "r": entry["row"]},
                    "duplicate",
                )
            if not has_option:
                return reject(number, "option", _("the option and its points are empty."), "missing")
        state["previous"] = key
        state["rejected"] = False
        if has_option:
            if not option:
                reader.add(title, number, names["option"], _("the option's text is empty."), "missing")
            points = reader.number(points_cell, title, number, names["points"])
            node["options"].append({"label": option, "points": points if points is not None else 0.0})
            node["is_scorable"] = True

    for number, values in rows[1:]:
        read_row(number, values)

    sections = []
    for part_code, section in parts.items():
        codes = {code for _p, code in order[part_code]}
        roots = []
        for key in order[part_code]:
            entry = seen[key]
            node = entry["node"]
            parent = sheets._parent_code(key[1], codes)
            if parent is None:
                roots.append(node)
            else:
                parent_entry = seen[(part_code, parent)]
                if parent_entry["options"]:
                    reader.add(
                        title,
                        entry["row"],
                        names["code"],
                        _(
                            "criterion %(c)s is under %(p)s (row %(r)s), which has options: a scored "
                            "criterion cannot have sub-criteria."
                        )
                        % {"c": key[1], "p": parent, "r": parent_entry["row"]},
                        "invalid",
                    )
                parent_entry["node"]["children"].append(node)
        for key in order[part_code]:
            entry = seen[key]
            if not entry["options"] and not entry["node"]["children"]:
                reader.add(
                    title,
                    entry["row"],
                    names["option"],
                    _(
                        "criterion %(c)s has no options and no sub-criteria. Give it one row per "
                        "option, with its points."
                    )
                    % {"c": key[1]},
                    "no_options",
                )
        sections.append({**section, "criteria": roots})
    return sections


# --- Comparing two versions ----------------------------------------------------------------------------


def _pts(value) -> str:
    return sheets._n(Decimal(str(value)))


def diff_trees(old: dict, new: dict) -> list[dict]:
    """What changed from `old` to `new` (both in the normal form of `sheets.normalise`): a list of
    {kind: added|removed|changed, where, what, before, after}."""
    changes: list[dict] = []

    def add(kind, where, what, before="", after=""):
        changes.append({"kind": kind, "where": where, "what": what, "before": before, "after": after})

    old_parts = {s["code"]: s for s in old["sections"]}
    new_parts = {s["code"]: s for s in new["sections"]}
    for code in sorted(set(old_parts) | set(new_parts)):
        a, b = old_parts.get(code), new_parts.get(code)
        where = _("Part %(p)s") % {"p": code}
        if a is None:
            add("added", where, _("part added"), "", b["label"])
            continue
        if b is None:
            add("removed", where, _("part removed"), a["label"], "")
            continue
        if a["label"] != b["label"]:
            add("changed", where, _("title"), a["label"], b["label"])
        if a["max_score"] != b["max_score"]:
            add("changed", where, _("maximum"), _pts(a["max_score"]), _pts(b["max_score"]))

    def flatten(section):
        out = {}

        def walk(nodes, parent):
            for n in nodes:
                out[n["code"]] = (n, parent)
                walk(n["children"], n["code"])

        walk(section["criteria"], None)
        return out

    for code in sorted(set(old_parts) & set(new_parts)):
        a_nodes, b_nodes = flatten(old_parts[code]), flatten(new_parts[code])
        for c in b_nodes:
            if c not in a_nodes:
                add("added", f"{code} {c}", _("criterion added"), "", b_nodes[c][0]["label"])
        for c in a_nodes:
            if c not in b_nodes:
                add("removed", f"{code} {c}", _("criterion removed"), a_nodes[c][0]["label"], "")
        for c in a_nodes:
            if c not in b_nodes:
                continue
            (a, a_parent), (b, b_parent) = a_nodes[c], b_nodes[c]
            where = f"{code} {c}"
            if a["label"] != b["label"]:
                add("changed", where, _("text"), a["label"], b["label"])
            if a["max_score"] != b["max_score"]:
                add("changed", where, _("maximum"), _pts(a["max_score"]), _pts(b["max_score"]))
            if a["requirement_note"] != b["requirement_note"]:
                add("changed", where, _("requirement"), a["requirement_note"], b["requirement_note"])
            if a["is_scorable"] != b["is_scorable"]:
                add(
                    "changed",
                    where,
                    _("kind"),
                    _("scored") if a["is_scorable"] else _("group"),
                    _("scored") if b["is_scorable"] else _("group"),
                )
            if a_parent != b_parent:
                add("changed", where, _("placed under"), a_parent or "—", b_parent or "—")
            _diff_options(add, where, a["options"], b["options"])

    a_dq, b_dq = old["disqualifiers"], new["disqualifiers"]
    for text in b_dq:
        if text not in a_dq:
            add("added", _("Grounds for rejection"), _("ground added"), "", text)
    for text in a_dq:
        if text not in b_dq:
            add("removed", _("Grounds for rejection"), _("ground removed"), text, "")

    def minimums(sheet):
        return {(m["stars"], m["criterion"]): m["min_points"] for m in sheet["star_minimums"]}

    a_min, b_min = minimums(old), minimums(new)
    for key in sorted(set(a_min) | set(b_min)):
        where = _("Minimum for %(s)s★: %(c)s") % {"s": key[0], "c": key[1]}
        if key not in a_min:
            add("added", where, _("minimum added"), "", _pts(b_min[key]))
        elif key not in b_min:
            add("removed", where, _("minimum removed"), _pts(a_min[key]), "")
        elif a_min[key] != b_min[key]:
            add("changed", where, _("minimum points"), _pts(a_min[key]), _pts(b_min[key]))
    return changes


def _diff_options(add, where, a: list[dict], b: list[dict]) -> None:
    if len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True), start=1):
            if x["label"] != y["label"]:
                add("changed", where, _("text of option %(n)s") % {"n": i}, x["label"], y["label"])
            if x["points"] != y["points"]:
                add(
                    "changed",
                    where,
                    _("points of option %(n)s (%(o)s)") % {"n": i, "o": y["label"][:60]},
                    _pts(x["points"]),
                    _pts(y["points"]),
                )
        return
    a_by = {o["label"]: o["points"] for o in a}
    b_by = {o["label"]: o["points"] for o in b}
    for o in b:
        if o["label"] not in a_by:
            add("added", where, _("option added"), "", f"{o['label']} ({_pts(o['points'])})")
        elif a_by[o["label"]] != o["points"]:
            add(
                "changed",
                where,
                _("points of “%(o)s”") % {"o": o["label"][:60]},
                _pts(a_by[o["label"]]),
                _pts(o["points"]),
            )
    for o in a:
        if o["label"] not in b_by:
            add("removed", where, _("option removed"), f"{o['label']} ({_pts(o['points'])})", "")


# --- Preparing and publishing ----------------------------------------------------------------------------


def is_historical(rule: RuleVersion, on: dt.date | None = None) -> bool:
    """A rule version no longer in force: its sheets are kept for history."""
    on = on or timezone.localdate()
    return rule.effective_to is not None and rule.effective_to < on


@dataclass
class Prepared:
    """An uploaded sheet checked against a rule version, compared with the current version."""

    rule: RuleVersion
    upload: Upload
    check: sheets.TreeCheck | None = None
    current: ScoreSheet | None = None
    name: str = ""
    product_set: Any = None
    problems: list[str] = field(default_factory=list)  # blocking, besides the discrepancies
    diff: list[dict] = field(default_factory=list)
    unchanged: bool = False

    @property
    def file_problems(self) -> list[Problem]:
        return self.upload.problems

    @property
    def discrepancies(self) -> list[str]:
        return self.check.discrepancies if self.check else []

    @property
    def may_record_discrepancies(self) -> bool:
        """Discrepancies may be stored (and shown) only on a historical rule version."""
        return bool(self.discrepancies) and is_historical(self.rule)

    def blocked(self, allow_discrepancy: bool = False) -> bool:
        if self.file_problems or self.problems or self.check is None or self.unchanged:
            return True
        return bool(self.discrepancies) and not (allow_discrepancy and self.may_record_discrepancies)


def _product_set(rule: RuleVersion, code: str | None):
    from ocop.registry.models import ProductCategory

    if not code or rule.category_scheme_id is None:
        return None
    return ProductCategory.objects.filter(scheme_id=rule.category_scheme_id, level=3, code=code).first()


def prepare(rule: RuleVersion, content: bytes) -> Prepared:
    """Read and check an uploaded file against `rule`; nothing is written."""
    upload = read_upload(content)
    prepared = Prepared(rule=rule, upload=upload)
    if upload.data is None:
        return prepared
    data = upload.data
    check = prepared.check = sheets.check_sheet(rule, data)
    prepared.problems = list(check.problems)
    if check.sheet is None:
        return prepared
    code = check.sheet["code"]
    current = prepared.current = (
        ScoreSheet.objects.filter(rule_version=rule, code=code)
        .select_related("rule_version", "product_set")
        .order_by("-version")
        .first()
        if code
        else None
    )
    name = sheets._text(data.get("name")) if isinstance(data.get("name"), str) else ""
    prepared.name = name or (current.name if current else "")
    if not prepared.name:
        prepared.problems.append(
            _("The file gives no name (the product set) for this new sheet: add “name”.")
        )
    elif len(prepared.name) > 300:
        prepared.problems.append(_("The sheet's name is longer than 300 characters."))
    set_code = data.get("product_set")
    if isinstance(set_code, int) and not isinstance(set_code, bool):
        set_code = str(set_code)
    if set_code not in (None, ""):
        prepared.product_set = _product_set(rule, str(set_code).strip())
        if prepared.product_set is None:
            prepared.problems.append(
                _("Product set “%(c)s” is not a product set of %(r)s.") % {"c": set_code, "r": rule.decision}
            )
    elif current is not None:
        prepared.product_set = current.product_set
    if current is not None and not check.problems:
        digest = sheets._digest(check.sheet)
        prepared.unchanged = sheets.same_content(current, digest)
        prepared.diff = diff_trees(sheets.normalise(sheets.export_sheet(current)), check.sheet)
    return prepared


def publish(prepared: Prepared, actor, *, note: str = "", allow_discrepancy: bool = False) -> ScoreSheet:
    """Store the prepared sheet as a new version (through `sheets.import_sheet`, audited)."""
    if prepared.blocked(allow_discrepancy):
        errors = [str(p) for p in prepared.file_problems] + list(prepared.problems)
        if prepared.unchanged:
            errors.append(_("The file is identical to the current version: there is nothing to publish."))
        if prepared.discrepancies and not (allow_discrepancy and prepared.may_record_discrepancies):
            errors += prepared.discrepancies
        raise ValidationError(errors or [_("This sheet cannot be published.")])
    return sheets.import_sheet(
        prepared.rule,
        prepared.upload.data,
        name=prepared.name,
        product_set=prepared.product_set,
        actor=actor,
        allow_discrepancy=allow_discrepancy and prepared.may_record_discrepancies,
        note=note,
    )


# --- Stored uploads ----------------------------------------------------------------------------------------


class StoredSheet(StoredUpload):
    """An uploaded sheet file and its state (ready → published), kept beside the registry's
    imports; the publish step reads the stored file again."""

    namespace = "criteria:"
    subdirectory = "criteria"

    @classmethod
    def create(cls, owner, content: bytes, filename: str, rule: RuleVersion, fmt: str) -> StoredSheet:
        return cls.store(owner, content, filename, rule=rule.code, format=fmt, state="ready", sheet_id=None)

    def read(self) -> bytes | None:
        try:
            return self.read_data()
        except OSError:
            return None
