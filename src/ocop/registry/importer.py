"""Import of producers and products from the Excel (or CSV) lists provinces and communes keep.

Three steps, each a function of this module:

1. `parse_file(data)` reads the upload: the format is found from the content (xlsx; xls and
   password-protected workbooks are refused with a message; CSV in UTF-8 with or without BOM,
   UTF-16 or Windows-1258), sheets are recognised by name or by their header row (searched in the
   first 10 rows, column names matched loosely with synonyms), merged cells in a header row, too
   many rows or a file without any recognisable sheet raise `ImportFileError`.
2. `validate(parsed, user)` turns every row into the data the registry services take, resolving
   places (names with or without "Xã/Phường/Huyện…", diacritics optional, disambiguated by the
   district and province columns and by the user's area, legacy names through `UnitSuccession`),
   product sets, producer kinds, dates, numbers and booleans. It calls
   `services.validate_producer`/`validate_product` on unsaved instances and checks the user's
   scope, and finds duplicates inside the file. Reference data (places, product sets, the existing
   producers and products the file refers to) is loaded once, not per row. The result lists every
   problem by sheet, row and column.
3. `write(result, user)` creates the new records through `services.create_producer` /
   `create_product` in one transaction: all or nothing.

Rules (documented for users in the preview page):

- A producer row is **already registered** when a producer with the same tax code exists, or one
  with the same name (compared with `validators.name_key`) in the same commune (the same current
  commune: a record in a legacy commune matches its 2025 successor). Such rows are left unchanged
  and listed as skipped; nothing in the file overwrites registry data.
- A product row is already registered when its producer already has a product of the same name
  (`name_key`); it is skipped likewise.
- Products are linked to producers by tax code (a "Mã số thuế" column, or a tax code written in
  the producer column) or by name (`name_key`), first among the producers of the file, then among
  the registered producers the user may see; several matches are narrowed down by commune.
- A producer's commune is taken as it was on its registration date: a date before 01/07/2025
  resolves to the legacy unit; no date, or a later date, resolves to the 2025 unit, and a legacy
  name is replaced by its default successor (`UnitSuccession.is_default`) with a warning.
  Products are always placed in a current (2025) commune; without a commune column, the
  producer's commune (or its successor) is used.
- Star ratings, years of recognition and decision numbers are read and shown, but not imported:
  certificates belong to the certification module.
- Rows whose name starts with "Ví dụ" (the example rows of the template) and empty rows are
  skipped.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.selectors import user_scope
from ocop.core.text import fold, fold_words
from ocop.core.uploads import StoredUpload

from . import services
from .choices import CategoryLevel, ProducerKind
from .models import Producer, Product, ProductCategory
from .validators import name_key, normalize_tax_code, validate_tax_code

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
WRITE_BATCH = 500  # rows written per call of the batch services
BACKGROUND_ROWS = 200
HEADER_SCAN_ROWS = 10
MAX_COLUMNS = 80
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
# A sheet ends after this many empty rows in a row (formatted-but-empty sheets reach row 1,048,576).
MAX_EMPTY_RUN = 5_000
REFORM_DATE = dt.date(2025, 7, 1)
CATEGORY_SCHEME = "26-2026"
EXAMPLE_MARK = "vi du"
PREVIEW_ROWS = 500
PREVIEW_ISSUES = 2_000

ProgressFn = Callable[[int, int, str], None]


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user, the code for programs."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


class ImportAborted(Exception):
    """A service refused a row while writing; everything was rolled back."""

    def __init__(self, sheet: str, row: int, message: str):
        super().__init__(message)
        self.sheet, self.row, self.message = sheet, row, message


# --- Text helpers ------------------------------------------------------------------------------


def clean_text(value: Any) -> str:
    """A cell as text: NFC, single spaces, numbers without a spurious ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    return " ".join(text.split())


def key(text: Any) -> str:
    """Diacritics, case, spaces and punctuation removed: "Tên HTX/Doanh nghiệp" → "tenhtxdoanhnghiep"."""
    return "".join(fold_words(clean_text(text)))


def _words(text: Any) -> list[str]:
    return fold_words(clean_text(text))


# --- Columns -----------------------------------------------------------------------------------

# For each field: the template's header first, then the spellings found in provinces' lists.
PRODUCER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "Tên chủ thể",
        "Chủ thể",
        "Tên HTX/Doanh nghiệp",
        "Tên HTX",
        "Tên doanh nghiệp",
        "Tên DN",
        "Đơn vị",
        "Tên đơn vị",
        "Tên cơ sở",
        "Tên chủ thể OCOP",
        "Chủ thể OCOP",
        "Tên tổ chức",
        "Tên tổ chức/cá nhân",
        "Tên HTX, doanh nghiệp",
        "Tên HTX/DN",
        "Tên chủ thể sản xuất",
        "Chủ thể sản xuất",
        "Tên cơ sở sản xuất",
        "Tên HTX/THT/DN/Hộ",
    ),
    "kind": (
        "Loại hình",
        "Loại hình chủ thể",
        "Loại hình tổ chức",
        "Hình thức tổ chức",
        "Loại chủ thể",
        "Loại hình doanh nghiệp",
        "Loại hình kinh tế",
    ),
    "tax_code": (
        "Mã số thuế",
        "MST",
        "Mã số DN",
        "Mã số doanh nghiệp",
        "Mã DN",
        "Mã số thuế/Mã số DN",
        "MST/Mã số DN",
    ),
    "registration_number": (
        "Số ĐKKD",
        "Số đăng ký kinh doanh",
        "Số GCN ĐKKD",
        "Giấy ĐKKD",
        "Số giấy ĐKKD",
        "Số giấy phép kinh doanh",
        "Số đăng ký",
        "Số GCNĐKKD",
        "Giấy chứng nhận ĐKKD",
    ),
    "registration_date": (
        "Ngày đăng ký",
        "Ngày ĐKKD",
        "Ngày cấp",
        "Ngày cấp ĐKKD",
        "Ngày đăng ký kinh doanh",
        "Ngày đăng ký lần đầu",
        "Ngày cấp giấy ĐKKD",
    ),
    "legal_representative": (
        "Người đại diện",
        "Người đại diện theo pháp luật",
        "Người đại diện pháp luật",
        "Đại diện",
        "Chủ hộ",
        "Giám đốc",
        "Chủ cơ sở",
        "Người đại diện/Chủ hộ",
        "Họ tên người đại diện",
        "Người đứng đầu",
    ),
    "phone": ("Điện thoại", "Số điện thoại", "SĐT", "ĐT", "Điện thoại liên hệ", "ĐT liên hệ"),
    "email": ("Email", "E-mail", "Thư điện tử", "Địa chỉ email"),
    "address": (
        "Địa chỉ",
        "Địa chỉ trụ sở",
        "Trụ sở",
        "Địa chỉ chi tiết",
        "Thôn/xóm",
        "Thôn, xóm",
        "Thôn",
        "Địa chỉ trụ sở chính",
        "Địa chỉ liên hệ",
    ),
    "commune": (
        "Xã/phường",
        "Xã",
        "Phường",
        "Địa chỉ (xã)",
        "Xã/phường/thị trấn",
        "Xã, phường",
        "Xã, phường, thị trấn",
        "Xã/phường/đặc khu",
        "Đơn vị hành chính cấp xã",
        "Cấp xã",
        "Địa bàn xã",
        "Xã (phường)",
    ),
    "district": (
        "Huyện (cũ)",
        "Huyện",
        "Quận/huyện",
        "Huyện/thị xã/thành phố",
        "Huyện, thị xã, thành phố",
        "Huyện/TP",
        "Huyện/thị",
        "Huyện, thị xã",
        "Đơn vị cấp huyện",
        "Cấp huyện",
        "Huyện cũ",
    ),
    "province": ("Tỉnh", "Tỉnh/thành phố", "Tỉnh, thành phố", "Tỉnh/TP", "Tỉnh/thành"),
    "founded_year": ("Năm thành lập", "Năm TL", "Năm thành lập/đăng ký"),
    "members_count": ("Số thành viên", "Số TV", "Thành viên", "Số lượng thành viên"),
    "employees_count": ("Số lao động", "Lao động", "Số LĐ", "Số lao động thường xuyên", "Số lượng lao động"),
    "women_led": ("Nữ làm chủ", "Chủ thể là nữ", "Nữ", "Do nữ làm chủ", "Nữ giới làm chủ"),
    "ethnic_minority_led": (
        "DTTS làm chủ",
        "Dân tộc thiểu số làm chủ",
        "DTTS",
        "Do DTTS làm chủ",
        "Người DTTS làm chủ",
    ),
    "notes": ("Ghi chú",),
}
PRODUCT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "Tên sản phẩm",
        "Sản phẩm",
        "Tên SP",
        "Tên sản phẩm OCOP",
        "Sản phẩm OCOP",
        "Tên SP OCOP",
        "Tên sản phẩm (theo nhãn)",
        "Tên sản phẩm/dịch vụ",
    ),
    "producer": (
        "Chủ thể",
        "Tên chủ thể",
        "Tên HTX/Doanh nghiệp",
        "Đơn vị",
        "Tên đơn vị",
        "Chủ thể sản xuất",
        "Cơ sở sản xuất",
        "Tên doanh nghiệp",
        "Đơn vị sản xuất",
        "Chủ thể OCOP",
        "Tên chủ thể OCOP",
        "Tên HTX",
        "Tên cơ sở",
        "Tên HTX/DN",
        "Tên HTX, doanh nghiệp",
        "Tên tổ chức/cá nhân",
    ),
    "producer_tax_code": (
        "Mã số thuế",
        "MST",
        "Mã số DN",
        "Mã số doanh nghiệp",
        "MST chủ thể",
        "Mã số thuế chủ thể",
    ),
    "category": (
        "Bộ sản phẩm",
        "Bộ SP",
        "Nhóm sản phẩm",
        "Phân nhóm",
        "Phân nhóm sản phẩm",
        "Nhóm SP",
        "Phân loại",
        "Bộ sản phẩm/Phân nhóm",
    ),
    "commune": (
        "Xã/phường sản xuất",
        "Xã/phường",
        "Xã",
        "Phường",
        "Địa chỉ (xã)",
        "Xã/phường/thị trấn",
        "Xã, phường",
        "Xã, phường, thị trấn",
        "Địa điểm sản xuất",
        "Nơi sản xuất",
        "Địa bàn",
        "Xã/phường/đặc khu",
        "Cấp xã",
    ),
    "address": ("Địa chỉ", "Địa chỉ sản xuất", "Địa chỉ chủ thể", "Địa chỉ trụ sở"),
    "district": PRODUCER_COLUMNS["district"],
    "province": PRODUCER_COLUMNS["province"],
    "stars": (
        "Hạng sao",
        "Số sao",
        "Xếp hạng",
        "Hạng",
        "Sao",
        "Kết quả xếp hạng",
        "Số sao đạt",
        "Hạng OCOP",
        "Xếp hạng sao",
        "Kết quả đánh giá",
    ),
    "year": (
        "Năm công nhận",
        "Năm đạt",
        "Năm",
        "Năm xếp hạng",
        "Năm được công nhận",
        "Năm chứng nhận",
        "Năm đánh giá",
        "Năm công nhận/đánh giá",
    ),
    "decision": (
        "Số quyết định",
        "Quyết định",
        "Số QĐ",
        "QĐ công nhận",
        "Quyết định công nhận",
        "Số quyết định công nhận",
        "Số, ngày quyết định",
    ),
    "description": ("Mô tả", "Mô tả sản phẩm", "Mô tả ngắn"),
    "traceability": (
        "Truy xuất nguồn gốc",
        "Mã truy xuất",
        "Truy xuất",
        "Hệ thống truy xuất",
        "TXNG",
        "Mã QR truy xuất",
        "Truy xuất nguồn gốc (link)",
    ),
}
# Columns a sheet must have to be recognised; the rest are optional.
REQUIRED = {"producer": ("name",), "product": ("name",)}
SHEET_TITLES = {"producer": "Chủ thể", "product": "Sản phẩm"}
LIST_SHEET = "Danh mục"


def _synonym_map(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for field_name, names in columns.items():
        for name in names:
            out.setdefault(key(name), field_name)
    return out


_SYNONYMS = {"producer": _synonym_map(PRODUCER_COLUMNS), "product": _synonym_map(PRODUCT_COLUMNS)}


def match_header(kind: str, text: Any) -> str | None:
    """The field a header names, or None: exact key, then without parentheses or a trailing "(*)"."""
    raw = clean_text(text)
    if not raw:
        return None
    synonyms = _SYNONYMS[kind]
    for candidate in (raw, re.sub(r"\([^)]*\)", " ", raw), re.sub(r"[*:]+", " ", raw)):
        found = synonyms.get(key(candidate))
        if found:
            return found
    return None


def field_label(kind: str, field_name: str) -> str:
    columns = PRODUCER_COLUMNS if kind == "producer" else PRODUCT_COLUMNS
    return columns[field_name][0]


# --- Reading files -----------------------------------------------------------------------------


@dataclass
class RawSheet:
    title: str
    rows: list[list[Any]]  # rows[i] is row i + 1 of the sheet
    merges: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # min_col, min_row, max_col, max_row
    formula_missing: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 1-based
    truncated: bool = False


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_ERRORS = {
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
}


def sniff(data: bytes) -> str:
    """ "xlsx" or "csv" from the content (not the file name); anything else raises ImportFileError."""
    if not data:
        raise ImportFileError(_("The file is empty."), code="empty")
    if data.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data[:200_000] or b"EncryptedPackage" in data[:200_000]:
            raise ImportFileError(
                _("The workbook is protected by a password. Remove the password and upload it again."),
                code="password",
            )
        raise ImportFileError(
            _(
                "This is a workbook in the old Excel format (.xls). Open it in Excel, save it "
                "as “Excel Workbook (.xlsx)” and upload that file."
            ),
            code="xls",
        )
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise ImportFileError(_("The file is damaged and cannot be opened."), code="damaged") from exc
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            raise ImportFileError(
                _(
                    "This is an OpenDocument spreadsheet (.ods). Save it as an Excel workbook "
                    "(.xlsx) and upload that file."
                ),
                code="ods",
            )
        raise ImportFileError(
            _("This file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."),
            code="not_spreadsheet",
        )
    decode_csv(data)  # raises if it is not text
    return "csv"


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in."""
    text, encoding = None, ""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = data.decode("utf-16"), "UTF-16"
    if text is None:
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = data.decode("utf-8-sig"), "UTF-8"
    if text is None and data[:4000].count(b"\x00") > len(data[:4000]) // 4:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                candidate = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if not _binary(candidate):
                text, encoding = candidate, "UTF-16"
                break
    if text is None and b"\x00" not in data:
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = data.decode("cp1258"), "Windows-1258"
    if text is None or _binary(text):
        if text is None and b"\x00" not in data:
            raise ImportFileError(
                _(
                    "The CSV file is not in a text encoding we can read (UTF-8, UTF-16 or "
                    "Windows-1258). In Excel, save it as “CSV UTF-8”, or as .xlsx."
                ),
                code="encoding",
            )
        raise ImportFileError(
            _("This file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."),
            code="not_spreadsheet",
        )
    return unicodedata.normalize("NFC", text), encoding


def _binary(text: str) -> bool:
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return controls > 0


def read_tables(data: bytes, fmt: str) -> tuple[list[RawSheet], list[str]]:
    """The sheets of the file and notes about how it was read."""
    if fmt == "csv":
        text, encoding = decode_csv(data)
        notes = (
            []
            if encoding == "UTF-8"
            else [_("The CSV file was read as %(encoding)s.") % {"encoding": encoding}]
        )
        return [_read_csv(text)], notes
    return _read_xlsx(data), []


def _read_csv(text: str) -> RawSheet:
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[Any]] = []
    non_empty = 0
    truncated = False
    for record in csv.reader(io.StringIO(text), delimiter=delimiter):
        rows.append(record[:MAX_COLUMNS])
        if any(c.strip() for c in record):
            non_empty += 1
            if non_empty > MAX_ROWS + HEADER_SCAN_ROWS:
                truncated = True
                break
    return RawSheet(title="CSV", rows=rows, truncated=truncated)


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"')
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _scan_sheet_xml(archive: zipfile.ZipFile, path: str) -> tuple[list[tuple[int, int, int, int]], bool]:
    """Merged ranges and whether any cell holds a formula, by streaming the sheet's XML."""
    from openpyxl.utils.cell import range_boundaries

    merges: list[tuple[int, int, int, int]] = []
    has_formula = False
    total = 0
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            total += len(chunk)
            if total > MAX_UNPACKED_BYTES:
                raise ImportFileError(
                    _("The file is too large once unpacked. Split it into several files."), code="too_large"
                )
            buffer = tail + chunk
            has_formula = has_formula or bool(_FORMULA_RE.search(buffer))
            for match in _MERGE_RE.finditer(buffer):
                ref = match.group(1).decode() + (":" + match.group(2).decode() if match.group(2) else "")
                merges.append(range_boundaries(ref))
            tail = buffer[-200:]
    return sorted(set(merges)), has_formula


def _read_xlsx(data: bytes) -> list[RawSheet]:
    from openpyxl import load_workbook

    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise ImportFileError(
            _("The workbook cannot be opened: it may be damaged. Open it in Excel and save it again."),
            code="damaged",
        ) from exc
    sheets = []
    formula_book = None
    try:
        for ws in values_book.worksheets:
            path = getattr(ws, "_worksheet_path", None)
            merges, has_formula = _scan_sheet_xml(archive, path) if path else ([], False)
            rows, truncated = _sheet_rows(ws)
            sheet = RawSheet(title=ws.title, rows=rows, merges=merges, truncated=truncated)
            if has_formula:
                if formula_book is None:
                    formula_book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
                sheet.formula_missing = _formulas_without_value(formula_book[ws.title], rows)
            sheets.append(sheet)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(
            _("The workbook cannot be read: it may be damaged. Open it in Excel and save it again."),
            code="damaged",
        ) from exc
    finally:
        values_book.close()
        archive.close()
        if formula_book is not None:
            formula_book.close()
    return sheets


def _sheet_rows(ws) -> tuple[list[list[Any]], bool]:
    rows: list[list[Any]] = []
    non_empty = 0
    empty_run = 0
    for values in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS):
        row = list(values)
        if any(v not in (None, "") for v in row):
            non_empty += 1
            empty_run = 0
            if non_empty > MAX_ROWS + HEADER_SCAN_ROWS:
                return rows, True
        else:
            empty_run += 1
            if empty_run > MAX_EMPTY_RUN:
                break
        rows.append(row)
    while rows and not any(v not in (None, "") for v in rows[-1]):
        rows.pop()
    return rows, False


def _formulas_without_value(ws, rows: list[list[Any]]) -> set[tuple[int, int]]:
    missing = set()
    for r, cells in enumerate(ws.iter_rows(max_row=len(rows), max_col=MAX_COLUMNS), start=1):
        for c, cell in enumerate(cells, start=1):
            if getattr(cell, "data_type", None) == "f":
                value = rows[r - 1][c - 1] if c - 1 < len(rows[r - 1]) else None
                if value is None or value == "":
                    missing.add((r, c))
    return missing


# --- Locating the data ---------------------------------------------------------------------------


@dataclass
class DataSheet:
    """A sheet of producers or products: where its header is and which column holds what."""

    kind: str  # "producer" | "product"
    title: str
    header_row: int
    columns: dict[str, int]  # field → 0-based column index
    headers: dict[int, str]  # 0-based column index → header text as written
    rows: list[tuple[int, list[Any]]]  # (sheet row number, values) after the header
    formula_missing: set[tuple[int, int]] = field(default_factory=set)
    section_rows: set[int] = field(default_factory=set)
    ignored_headers: list[str] = field(default_factory=list)

    def column_label(self, field_name: str | None) -> str:
        if not field_name or field_name not in self.columns:
            return ""
        from openpyxl.utils import get_column_letter

        index = self.columns[field_name]
        header = self.headers.get(index) or field_label(self.kind, field_name)
        return header if self.title == "CSV" else f"{get_column_letter(index + 1)} · {header}"


@dataclass
class ParsedFile:
    fmt: str
    sheets: list[DataSheet]
    notes: list[str]
    row_count: int


def _header_candidates(sheet: RawSheet, kind: str) -> tuple[int, dict[str, int], dict[int, str]] | None:
    best = None
    for r, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS], start=1):
        columns: dict[str, int] = {}
        headers: dict[int, str] = {}
        for c, value in enumerate(row):
            text = clean_text(value)
            if not text:
                continue
            headers[c] = text
            found = match_header(kind, text)
            if found and found not in columns:
                columns[found] = c
        if not all(f in columns for f in REQUIRED[kind]) or len(columns) < 2:
            continue
        if best is None or len(columns) > len(best[1]):
            best = (r, columns, headers)
    return best


def _title_kind(title: str) -> str | None:
    words = " ".join(_words(title))
    if "san pham" in words or re.search(r"\bsp\b", words):
        return "product"
    if any(w in words for w in ("chu the", "htx", "doanh nghiep", "hop tac xa", "co so")):
        return "producer"
    return None


def locate(raw_sheets: list[RawSheet]) -> tuple[list[DataSheet], list[str]]:
    sheets: list[DataSheet] = []
    notes: list[str] = []
    for raw in raw_sheets:
        if key(raw.title) == key(LIST_SHEET):
            continue
        found = {kind: _header_candidates(raw, kind) for kind in ("product", "producer")}
        hinted = _title_kind(raw.title)
        kind = None
        if hinted and found[hinted]:
            kind = hinted
        elif found["product"]:
            kind = "product"
        elif found["producer"]:
            kind = "producer"
        if kind is None:
            if any(any(v not in (None, "") for v in row) for row in raw.rows):
                notes.append(
                    _(
                        "Sheet “%(sheet)s” was not read: no header row of producers or products was found "
                        "in its first %(n)s rows."
                    )
                    % {"sheet": raw.title, "n": HEADER_SCAN_ROWS}
                )
            continue
        header_row, columns, headers = found[kind]
        for min_col, min_row, max_col, max_row in raw.merges:
            if min_row <= header_row <= max_row and (max_col > min_col or max_row > min_row):
                from openpyxl.utils import get_column_letter

                ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
                raise ImportFileError(
                    _(
                        "The header row (row %(row)s) of sheet “%(sheet)s” has merged cells (%(range)s). "
                        "Unmerge them so that each column has its own heading in one row."
                    )
                    % {"row": header_row, "sheet": raw.title, "range": ref},
                    code="merged_header",
                )
        if raw.truncated:
            raise ImportFileError(
                _(
                    "The file has more than %(max)s rows. Split it into several files of at most "
                    "%(max)s rows each."
                )
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")},
                code="too_many_rows",
            )
        mapped = set(columns.values())
        ignored = [h for c, h in sorted(headers.items()) if c not in mapped]
        section_rows = set()
        for min_col, min_row, max_col, max_row in raw.merges:
            if min_row > header_row and max_col - min_col >= 2:
                section_rows.update(range(min_row, max_row + 1))
        rows = [(r, values) for r, values in enumerate(raw.rows[header_row:], start=header_row + 1)]
        sheets.append(
            DataSheet(
                kind=kind,
                title=raw.title,
                header_row=header_row,
                columns=columns,
                headers=headers,
                rows=rows,
                formula_missing=raw.formula_missing,
                section_rows=section_rows,
                ignored_headers=ignored,
            )
        )
    if not sheets:
        raise ImportFileError(
            _(
                "No sheet of producers or products was found. The header row must be within the first "
                "%(n)s rows and name the columns, e.g. “Tên chủ thể”, “Xã/phường” for producers or "
                "“Tên sản phẩm”, “Chủ thể”, “Bộ sản phẩm” for products. Download the template "
                "to see them all."
            )
            % {"n": HEADER_SCAN_ROWS},
            code="no_sheet",
        )
    return sheets, notes


def _is_empty(sheet: DataSheet, values: list[Any]) -> bool:
    return not any(clean_text(values[c]) for c in sheet.columns.values() if c < len(values))


def parse_file(data: bytes) -> ParsedFile:
    """Read and locate; raises ImportFileError with a message for the user."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB. Split it into several files.")
            % {"mb": MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    fmt = sniff(data)
    raw, notes = read_tables(data, fmt)
    sheets, locate_notes = locate(raw)
    count = sum(1 for s in sheets for _r, values in s.rows if not _is_empty(s, values))
    if count > MAX_ROWS:
        raise ImportFileError(
            _(
                "The file has more than %(max)s rows. Split it into several files of at most "
                "%(max)s rows each."
            )
            % {"max": f"{MAX_ROWS:,}".replace(",", ".")},
            code="too_many_rows",
        )
    if count == 0:
        raise ImportFileError(_("The file has a header but no rows of data."), code="no_rows")
    return ParsedFile(fmt=fmt, sheets=sheets, notes=notes + locate_notes, row_count=count)


# --- Values --------------------------------------------------------------------------------------


class CellError(Exception):
    pass


def parse_date(value: Any) -> tuple[dt.date | None, str]:
    """A date from a date cell, dd/mm/yyyy, d/m/yy, yyyy-mm-dd or a bare year (→ 1 January, with a note)."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = int(value)
        if 1900 <= number <= 2100:
            return dt.date(number, 1, 1), "year"
        if 20_000 <= number <= 80_000:
            return dt.date(1899, 12, 30) + dt.timedelta(days=number), ""
        raise CellError(
            _("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": clean_text(value)}
        )
    text = clean_text(value)
    if not text:
        return None, ""
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        if 1900 <= year <= 2100:
            return dt.date(year, 1, 1), "year"
    match = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                year += 2000 if year <= timezone.localdate().year % 100 else 1900
            return dt.date(year, month, day), ""
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day), ""
        match = re.fullmatch(
            r"(?:ngày\s*)?(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", text, re.IGNORECASE
        )
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day), ""
    except ValueError as exc:
        raise CellError(_("“%(value)s” is not a valid date.") % {"value": text}) from exc
    raise CellError(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": text})


def parse_year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    text = clean_text(value)
    match = re.search(r"\b(19\d{2}|20\d{2}|2100)\b", text)
    if match:
        return int(match.group(1))
    raise CellError(_("“%(value)s” is not a year.") % {"value": text})


def parse_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, (int, float)):
        if float(value).is_integer() and value >= 0:
            return int(value)
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": clean_text(value)})
    text = clean_text(value)
    match = re.fullmatch(r"(\d{1,3}(?:[.,\s]\d{3})+|\d+)(?:\s*[^\d\s].*)?", text)
    if not match:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(re.sub(r"\D", "", match.group(1)))


_TRUE = {"x", "co", "yes", "true", "1", "dung", "v", "√", "✓", "✔", "nu", "dtts"}
_FALSE = {"", "khong", "no", "false", "0", "-", "k"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    text = clean_text(value)
    folded = " ".join(fold_words(text)) if fold_words(text) else text.strip().lower()
    if folded in _TRUE or text in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(_("“%(value)s” is not yes or no; write “x” or leave it empty.") % {"value": text})


def parse_stars(value: Any) -> int | None:
    """3, "3 sao", "3*", "3★", "★★★", "Hạng 3 sao" → 3."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 5:
            return int(value)
        raise CellError(_("“%(value)s” is not a star rating (1 to 5).") % {"value": clean_text(value)})
    text = clean_text(value)
    if text and set(text.replace(" ", "")) <= {"★", "⭐", "*"} and 1 <= len(text.replace(" ", "")) <= 5:
        return len(text.replace(" ", ""))
    match = re.fullmatch(r"(?:hạng\s*)?([1-5])\s*(?:sao|\*|★|⭐|s)?", text, re.IGNORECASE)
    if match:
        return int(match.group(1))
    raise CellError(_("“%(value)s” is not a star rating (1 to 5).") % {"value": text})


# Producer kinds: leading words (folded) → kind. Longer forms first.
_KIND_WORDS: list[tuple[tuple[str, ...], str]] = [
    (("lien", "hiep", "hop", "tac", "xa"), ProducerKind.COOPERATIVE),
    (("lien", "hiep", "htx"), ProducerKind.COOPERATIVE),
    (("hop", "tac", "xa"), ProducerKind.COOPERATIVE),
    (("htx",), ProducerKind.COOPERATIVE),
    (("to", "hop", "tac"), ProducerKind.COOPERATIVE_GROUP),
    (("tht",), ProducerKind.COOPERATIVE_GROUP),
    (("to", "ht"), ProducerKind.COOPERATIVE_GROUP),
    (("nhom", "ho"), ProducerKind.COOPERATIVE_GROUP),
    (("cong", "ty"), ProducerKind.ENTERPRISE),
    (("cty",), ProducerKind.ENTERPRISE),
    (("doanh", "nghiep"), ProducerKind.ENTERPRISE),
    (("dntn",), ProducerKind.ENTERPRISE),
    (("dn",), ProducerKind.ENTERPRISE),
    (("chi", "nhanh"), ProducerKind.ENTERPRISE),
    (("ho", "kinh", "doanh"), ProducerKind.HOUSEHOLD),
    (("hkd",), ProducerKind.HOUSEHOLD),
    (("ho", "san", "xuat"), ProducerKind.HOUSEHOLD),
    (("ho", "sx"), ProducerKind.HOUSEHOLD),
    (("ho", "gia", "dinh"), ProducerKind.HOUSEHOLD),
    (("co", "so"), ProducerKind.HOUSEHOLD),
    (("cs",), ProducerKind.HOUSEHOLD),
    (("ho",), ProducerKind.HOUSEHOLD),
]
KIND_LABELS_VI = {
    ProducerKind.ENTERPRISE: "Doanh nghiệp",
    ProducerKind.COOPERATIVE: "Hợp tác xã",
    ProducerKind.COOPERATIVE_GROUP: "Tổ hợp tác",
    ProducerKind.HOUSEHOLD: "Hộ kinh doanh, hộ sản xuất",
}


def kind_from_words(text: Any) -> str | None:
    words = _words(text)
    for prefix, kind in _KIND_WORDS:
        if tuple(words[: len(prefix)]) == prefix:
            return kind
    return None


def parse_kind(value: Any) -> str | None:
    text = clean_text(value)
    if not text:
        return None
    if text in ProducerKind.values:
        return text
    found = kind_from_words(text)
    if found:
        return found
    raise CellError(
        _(
            "“%(value)s” is not a kind of producer: write Doanh nghiệp (Công ty, DN), Hợp tác xã (HTX), "
            "Tổ hợp tác (THT) or Hộ kinh doanh (Hộ SX)."
        )
        % {"value": text}
    )


def _fix_leading_zero(value: Any, lengths: Iterable[int]) -> tuple[str, bool]:
    """A code Excel stored as a number lost its leading zero: 100109106 → "0100109106"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        digits = str(int(value))
        if len(digits) + 1 in lengths:
            return "0" + digits, True
        return digits, False
    return clean_text(value), False


def parse_traceability(value: Any) -> dict[str, str]:
    text = clean_text(value)
    if not text:
        return {}
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")):
        return {"traceability_url": text}
    if lowered.startswith("www."):
        return {"traceability_url": "https://" + text}
    folded = " ".join(_words(text))
    if folded in _FALSE:
        return {}
    if folded in _TRUE:
        return {"traceability_system": "Có"}
    return {"traceability_system": text[:150]}


# --- Places ----------------------------------------------------------------------------------------

COMMUNE_PREFIXES = ("thi tran", "dac khu", "phuong", "xa", "tt", "dk", "p", "x")
DISTRICT_PREFIXES = ("thanh pho", "thi xa", "huyen", "quan", "tp", "tx", "h", "q")
PROVINCE_PREFIXES = ("thanh pho", "tinh", "tp", "t")


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_PREFIX_KIND = {
    "thi tran": "township",
    "tt": "township",
    "xa": "commune",
    "x": "commune",
    "phuong": "ward",
    "p": "ward",
    "dac khu": "special_zone",
    "dk": "special_zone",
}


def _place_parts(text: Any, prefixes: tuple[str, ...]) -> tuple[str, list[str]]:
    """The prefix written ("xa", "tt"…) and the remaining words, lower-cased with their diacritics."""
    words = re.sub(r"[^\w\s]", " ", clean_text(text).lower()).split()
    folded = [fold(w) for w in words]
    for prefix in prefixes:
        parts = prefix.split()
        if folded[: len(parts)] == parts and len(words) > len(parts):
            return prefix, words[len(parts) :]
    return "", words


def place_key(text: Any, prefixes: tuple[str, ...]) -> str:
    """ "Xã Côn Minh", "xa con minh", "Côn Minh" → "conminh"; "Phường 01", "P.1" → "#1"."""
    _prefix, words = _place_parts(text, prefixes)
    if len(words) == 1 and words[0].isdigit():
        return f"#{int(words[0])}"
    return "".join(fold(w) for w in words)


def exact_place_key(text: Any, prefixes: tuple[str, ...]) -> str:
    """Like `place_key` but keeping the diacritics (tone marks moved to the end of each word, so that
    "Thủy" and "Thuỷ" are the same): tells "Yến Lạc" from "Yên Lạc"."""
    _prefix, words = _place_parts(text, prefixes)
    out = []
    for word in words:
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(c for c in decomposed if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES)) + tones)
    return "".join(out)


def split_address(text: str) -> dict[str, str]:
    """Commune, district and province named in a free-text address ("Thôn A, xã B, huyện C, tỉnh D")."""
    found: dict[str, str] = {}
    for part in re.split(r"[,;\-–]", text or ""):
        words = _words(part)
        if not words:
            continue
        head = " ".join(words[:2])
        if words[0] in ("xa", "phuong", "tt", "x", "p") or head in ("thi tran", "dac khu"):
            found.setdefault("commune", part)
        elif words[0] in ("huyen", "quan", "tx", "h", "q") or head == "thi xa":
            found.setdefault("district", part)
        elif words[0] in ("tinh", "t"):
            found.setdefault("province", part)
        elif head == "thanh pho" or words[0] == "tp":
            found.setdefault("city", part)
    return found


@dataclass
class Resolution:
    unit: Any = None
    error: tuple[str, str] | None = None  # (code, message)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code, message) warnings


class PlaceIndex:
    """Every administrative unit, loaded once, with the lookups the importer needs.

    `PlaceIndex.current()` keeps one index per process until the units are reloaded (`ocop
    load-units` changes the checksum or the time of the `admin_units` reference dataset)."""

    _cached: tuple[tuple, PlaceIndex] | None = None

    @classmethod
    def current(cls) -> PlaceIndex:
        from ocop.core.models import ReferenceDataset
        from ocop.geo.models import AdminUnit

        stamp = (
            tuple(ReferenceDataset.objects.filter(name="admin_units").values_list("checksum", "loaded_at")),
            AdminUnit.objects.count(),
        )
        cached = cls._cached
        if cached is not None and cached[0] == stamp:
            return cached[1]
        index = cls()
        cls._cached = (stamp, index)
        return index

    def __init__(self):
        from ocop.geo.choices import Edition, Level
        from ocop.geo.models import AdminUnit, UnitSuccession

        self.units = {u.pk: u for u in AdminUnit.objects.all()}
        self.by_path = {u.path: u for u in self.units.values()}
        self.communes: dict[str, list] = defaultdict(list)
        self.exact: dict[int, set[str]] = {}
        self.districts: dict[str, set[int]] = defaultdict(set)
        self.provinces: dict[str, set[int]] = defaultdict(set)
        for unit in self.units.values():
            if unit.level == Level.COMMUNE:
                keys = {place_key(unit.name, COMMUNE_PREFIXES), place_key(unit.short_name, COMMUNE_PREFIXES)}
                for k in keys - {""}:
                    self.communes[k].append(unit)
                self.exact[unit.pk] = {
                    exact_place_key(unit.name, COMMUNE_PREFIXES),
                    exact_place_key(unit.short_name, COMMUNE_PREFIXES),
                }
            elif unit.level == Level.DISTRICT and unit.edition == Edition.LEGACY:
                for k in {
                    place_key(unit.name, DISTRICT_PREFIXES),
                    place_key(unit.short_name, DISTRICT_PREFIXES),
                }:
                    self.districts[k].add(unit.pk)
            elif unit.level == Level.PROVINCE:
                for k in {
                    place_key(unit.name, PROVINCE_PREFIXES),
                    place_key(unit.short_name, PROVINCE_PREFIXES),
                }:
                    self.provinces[k].add(unit.pk)
        self.default_successor: dict[int, int] = {}
        self.predecessors: dict[int, list[int]] = defaultdict(list)
        for pred, succ, _is_default in UnitSuccession.objects.values_list(
            "predecessor_id", "successor_id", "is_default"
        ).order_by("-is_default", "successor__path"):
            if self.units[pred].level != Level.COMMUNE:
                continue
            self.default_successor.setdefault(pred, succ)
            self.predecessors[succ].append(pred)
        self._legacy = Edition.LEGACY

    def province_of(self, unit) -> int | None:
        parts = unit.path.strip("/").split("/")
        province = self.by_path.get(f"{parts[0]}/{parts[1]}/")
        return province.pk if province else None

    def successor(self, unit):
        if unit.edition != self._legacy:
            return unit
        succ = self.default_successor.get(unit.pk)
        if succ is None:
            current = self.by_path.get(unit.current_path)
            return current if current is not None and current.edition != self._legacy else None
        return self.units[succ]

    def _districts_of(self, unit) -> set[int]:
        if unit.edition == self._legacy:
            return {unit.parent_id}
        return {self.units[p].parent_id for p in self.predecessors.get(unit.pk, ())}

    def _provinces_of(self, unit) -> set[int]:
        out = {self.province_of(unit)}
        current = self.by_path.get(unit.current_path)
        if current is not None:
            out.add(self.province_of(current))
        out.update(self.province_of(self.units[p]) for p in self.predecessors.get(unit.pk, ()))
        return out

    def describe(self, unit) -> str:
        parent = self.units.get(unit.parent_id)
        if unit.edition == self._legacy and parent is not None:
            province = self.units.get(parent.parent_id)
            return f"{unit.name} ({parent.name}{', ' + province.name if province else ''})"
        return f"{unit.name} ({parent.name})" if parent is not None else unit.name

    def resolve_commune(
        self,
        commune: str,
        district: str = "",
        province: str = "",
        address: str = "",
        on: dt.date | None = None,
        scope=None,
    ) -> Resolution:
        """The commune-level unit meant by these texts, for a record dated `on` (None: today)."""
        res = Resolution()
        if not commune and address:
            parts = split_address(address)
            commune = parts.get("commune", "")
            district = district or parts.get("district", "")
            province = province or parts.get("province", "") or parts.get("city", "")
        if not commune:
            res.error = ("commune_missing", _("Write the commune, ward or township."))
            return res
        candidates = list(self.communes.get(place_key(commune, COMMUNE_PREFIXES), ()))
        if not candidates:
            res.error = (
                "commune_unknown",
                _("No commune, ward or township is named “%(name)s”.") % {"name": commune},
            )
            return res
        if district:
            district_ids = self.districts.get(place_key(district, DISTRICT_PREFIXES))
            if district_ids is None:
                res.notes.append(
                    (
                        "district_unknown",
                        _("District “%(name)s” is not known; it was not used.") % {"name": district},
                    )
                )
            else:
                kept = [c for c in candidates if self._districts_of(c) & district_ids]
                if not kept:
                    res.error = (
                        "commune_not_in_district",
                        _("There is no “%(commune)s” in district “%(district)s”.")
                        % {"commune": commune, "district": district},
                    )
                    return res
                candidates = kept
        if province:
            province_ids = self.provinces.get(place_key(province, PROVINCE_PREFIXES))
            if province_ids is None:
                res.notes.append(
                    (
                        "province_unknown",
                        _("Province “%(name)s” is not known; it was not used.") % {"name": province},
                    )
                )
            else:
                kept = [c for c in candidates if self._provinces_of(c) & province_ids]
                if not kept:
                    res.error = (
                        "commune_not_in_province",
                        _("There is no “%(commune)s” in “%(province)s”.")
                        % {"commune": commune, "province": province},
                    )
                    return res
                candidates = kept
        # Preferences, each applied only when it leaves something: the diacritics as written, then
        # the kind of unit the prefix names ("TT" a township, "Phường" a ward…).
        exact = exact_place_key(commune, COMMUNE_PREFIXES)
        candidates = [c for c in candidates if exact in self.exact.get(c.pk, ())] or candidates
        prefix, _words_left = _place_parts(commune, COMMUNE_PREFIXES)
        if prefix:
            candidates = [c for c in candidates if c.kind == _PREFIX_KIND[prefix]] or candidates
        legacy_era = on is not None and on < REFORM_DATE
        # unit → (note if it replaces a former unit, the unit the name designated)
        options: dict[int, tuple[Any, tuple[str, str] | None, Any]] = {}
        back_mapped: list = []
        for cand in candidates:
            if legacy_era:
                if cand.edition == self._legacy:
                    options.setdefault(cand.pk, (cand, None, cand))
                else:
                    back_mapped.append(cand)
            elif cand.edition != self._legacy:
                options[cand.pk] = (cand, None, cand)
            else:
                succ = self.successor(cand)
                if succ is not None and succ.pk not in options:
                    note = (
                        "legacy_successor",
                        _("%(old)s no longer exists; recorded in its successor %(new)s.")
                        % {"old": self.describe(cand), "new": self.describe(succ)},
                    )
                    options[succ.pk] = (succ, note, cand)
        if not options and back_mapped:
            return self._before_reform(res, back_mapped, on)
        chosen = list(options.values())
        if len(chosen) > 1 and scope is not None:
            inside = [o for o in chosen if scope.covers_unit(o[0])]
            if inside:
                chosen = inside
        if len(chosen) > 1:
            exact = [o for o in chosen if o[1] is None]
            if len(exact) == 1:
                chosen = exact
        if len(chosen) == 1:
            res.unit, note, _source = chosen[0]
            if note:
                res.notes.append(note)
            return res
        names = "; ".join(
            self.describe(source) + (f" → {unit.name}" if unit.pk != source.pk else "")
            for unit, _note, source in chosen[:5]
        ) + ("; …" if len(chosen) > 5 else "")
        res.error = (
            "commune_ambiguous",
            _(
                "“%(name)s” matches several units (%(units)s). Add the district "
                "(“Huyện (cũ)”) or province column."
            )
            % {"name": commune, "units": names},
        )
        return res

    def _before_reform(self, res: Resolution, units: list, on: dt.date) -> Resolution:
        """A 2025 commune name for a record dated before 01/07/2025: its predecessor, if there is one."""
        preds = {p for u in units for p in self.predecessors.get(u.pk, ())}
        if len(preds) == 1:
            res.unit = self.units[preds.pop()]
            res.notes.append(
                (
                    "legacy_predecessor",
                    _("%(new)s did not exist yet on %(day)s; recorded in %(old)s, the unit in force then.")
                    % {"new": units[0].name, "day": on.strftime("%d/%m/%Y"), "old": self.describe(res.unit)},
                )
            )
            return res
        names = ", ".join(self.units[p].name for p in sorted(preds, key=lambda p: self.units[p].path)[:8])
        res.error = (
            "commune_not_in_force",
            _(
                "%(new)s did not exist on %(day)s (it was formed on 01/07/2025 from %(old)s). Write the "
                "commune as it was on that date, with its district in “Huyện (cũ)”."
            )
            % {"new": units[0].name, "day": on.strftime("%d/%m/%Y"), "old": names or "—"},
        )
        return res


class CategoryIndex:
    def __init__(self):
        self.sets = list(
            ProductCategory.objects.filter(scheme__code=CATEGORY_SCHEME, level=CategoryLevel.PRODUCT_SET)
            .select_related("scheme")
            .order_by("sort_order", "code")
        )
        self.by_code = {c.code: c for c in self.sets}
        self.by_key = {key(c.name): c for c in self.sets}

    def resolve(self, text: str):
        match = re.fullmatch(
            r"(?:bộ\s*(?:sản phẩm|sp)?\s*(?:số)?\s*)?(\d{1,2})\s*[.):\-–]?\s*(.*)", text, re.IGNORECASE
        )
        if match and match.group(1) in self.by_code:
            category = self.by_code[match.group(1)]
            rest = key(match.group(2))
            if not rest or key(category.name).startswith(rest) or rest.startswith(key(category.name)):
                return category
        k = key(text)
        if k in self.by_key:
            return self.by_key[k]
        partial = [c for c in self.sets if k and len(k) >= 4 and k in key(c.name)]
        if len(partial) == 1:
            return partial[0]
        raise CellError(
            _(
                "“%(value)s” is not one of the 26 product sets; choose one from sheet “%(sheet)s” of the "
                "template (e.g. “7. Chế biến từ rau, củ, quả, hạt”)."
            )
            % {"value": text, "sheet": LIST_SHEET}
        )

    @staticmethod
    def label(category) -> str:
        return f"{category.code}. {category.name}"


# --- Validation ------------------------------------------------------------------------------------


@dataclass
class Issue:
    sheet: str
    row: int | None
    column: str
    message: str
    level: str = "error"  # "error" | "warning"
    code: str = ""


@dataclass
class ProducerRow:
    sheet: str
    row: int
    data: dict[str, Any]
    status: str = "new"  # "new" | "existing" | "error"
    existing: Any = None  # the registered Producer (existing rows the user may see)
    existing_id: int | None = None
    instance: Any = None  # the unsaved Producer used for validation
    note: str = ""
    duplicate: bool = False  # repeats an earlier row of the file

    @property
    def ref(self) -> tuple[str, int]:
        return (self.sheet, self.row)


@dataclass
class ProductRow:
    sheet: str
    row: int
    data: dict[str, Any]
    producer_row: ProducerRow | None = None  # a producer of the file
    producer: Any = None  # a registered Producer
    status: str = "new"
    stars: int | None = None
    year: int | None = None
    decision: str = ""
    note: str = ""
    producer_text: str = ""  # the producer as written: a name or a tax code
    producer_tax: str = ""  # from a tax-code column
    producer_code: str = ""  # the valid tax code found in either


@dataclass
class ImportResult:
    producers: list[ProducerRow] = field(default_factory=list)
    products: list[ProductRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sheets: list[dict[str, Any]] = field(default_factory=list)
    row_count: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def has_errors(self) -> bool:
        return any(i.level == "error" for i in self.issues)

    def counts(self) -> dict[str, int]:
        out = {}
        for name, rows in (("producers", self.producers), ("products", self.products)):
            for status in ("new", "existing", "error"):
                out[f"{name}_{status}"] = sum(1 for r in rows if r.status == status)
        out["errors"] = len(self.errors)
        out["warnings"] = len(self.warnings)
        out["stars"] = sum(1 for p in self.products if p.stars or p.year or p.decision)
        return out

    def summary(self) -> dict[str, Any]:
        """What the preview page shows, JSON-serialisable."""
        issues = sorted(self.issues, key=lambda i: (i.level != "error", i.sheet, i.row or 0))
        return {
            "counts": self.counts(),
            "notes": self.notes,
            "sheets": self.sheets,
            "row_count": self.row_count,
            "issues": [asdict(i) for i in issues[:PREVIEW_ISSUES]],
            "issues_total": len(issues),
            "producers": [
                {
                    "sheet": r.sheet,
                    "row": r.row,
                    "name": r.data.get("name", ""),
                    "kind": str(ProducerKind(r.data["kind"]).label)
                    if r.data.get("kind") in ProducerKind.values
                    else "",
                    "commune": r.data["commune"].name if r.data.get("commune") else "",
                    "status": r.status,
                    "note": r.note,
                    "url": r.existing.get_absolute_url() if r.existing is not None else "",
                }
                for r in self.producers[:PREVIEW_ROWS]
            ],
            "products": [
                {
                    "sheet": r.sheet,
                    "row": r.row,
                    "name": r.data.get("name", ""),
                    "producer": (
                        r.producer.name
                        if r.producer is not None
                        else r.producer_row.data.get("name", "")
                        if r.producer_row
                        else ""
                    ),
                    "category": CategoryIndex.label(r.data["category"]) if r.data.get("category") else "",
                    "commune": r.data["commune"].name if r.data.get("commune") else "",
                    "status": r.status,
                    "stars": r.stars,
                    "year": r.year,
                    "decision": r.decision,
                    "note": r.note,
                }
                for r in self.products[:PREVIEW_ROWS]
            ],
            "more_producers": max(0, len(self.producers) - PREVIEW_ROWS),
            "more_products": max(0, len(self.products) - PREVIEW_ROWS),
        }


_PRODUCER_TEXT_FIELDS = ("registration_number", "legal_representative", "email", "address", "notes")
_MODEL_FIELD_COLUMN = {
    "founded_year": "founded_year",
    "members_count": "members_count",
    "employees_count": "employees_count",
    "registration_date": "registration_date",
    "traceability_url": "traceability",
    "traceability_system": "traceability",
    "traceability_since": "traceability",
    "category": "category",
    "producer": "producer",
}


def _chunks(values: Iterable, size: int = 500):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


class _Validator:
    def __init__(self, parsed: ParsedFile, user, progress: ProgressFn | None):
        self.parsed = parsed
        self.user = user
        self.progress = progress
        self.result = ImportResult(notes=list(parsed.notes), row_count=parsed.row_count)
        self.scope_producer = user_scope(user, "registry.add_producer")
        self.scope_product = user_scope(user, "registry.add_product")
        self.done = 0

    # Issues -------------------------------------------------------------------------------------
    def issue(
        self,
        sheet: DataSheet,
        row: int | None,
        field_name: str | None,
        message: str,
        *,
        level: str = "error",
        code: str = "",
    ) -> None:
        self.result.issues.append(
            Issue(
                sheet=sheet.title,
                row=row,
                column=sheet.column_label(field_name),
                message=str(message),
                level=level,
                code=code,
            )
        )

    def tick(self, message: str = "") -> None:
        self.done += 1
        if self.progress and (self.done % 50 == 0 or self.done == self.parsed.row_count):
            self.progress(self.done, self.parsed.row_count, message)

    # Cells --------------------------------------------------------------------------------------
    @staticmethod
    def cell(sheet: DataSheet, values: list[Any], field_name: str) -> Any:
        index = sheet.columns.get(field_name)
        if index is None or index >= len(values):
            return None
        value = values[index]
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value).strip()
        return value

    def check_cells(self, sheet: DataSheet, row: int, values: list[Any]) -> bool:
        """Formulas without a computed value and Excel error values; False if any."""
        ok = True
        self.bad_fields: set[str] = set()
        self.row_start = len(self.result.issues)
        for field_name, index in sheet.columns.items():
            value = values[index] if index < len(values) else None
            if (row, index + 1) in sheet.formula_missing:
                self.issue(
                    sheet,
                    row,
                    field_name,
                    _(
                        "This cell has a formula without a computed value. Open the "
                        "file in Excel, let it calculate, save it and upload it again."
                    ),
                    code="formula",
                )
                ok = False
                self.bad_fields.add(field_name)
            elif isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
                self.issue(
                    sheet,
                    row,
                    field_name,
                    _("This cell holds the Excel error %(error)s.") % {"error": value.strip()},
                    code="formula",
                )
                ok = False
                self.bad_fields.add(field_name)
        return ok

    def drop_masked(self, sheet: DataSheet) -> None:
        """A cell whose formula has no value gets that one message, not others about its emptiness."""
        if not self.bad_fields:
            return
        masked = {sheet.column_label(f) for f in self.bad_fields}
        head, tail = self.result.issues[: self.row_start], self.result.issues[self.row_start :]
        self.result.issues = head + [i for i in tail if i.code == "formula" or i.column not in masked]

    def service_errors(
        self, sheet: DataSheet, row: int, exc: ValidationError, ignore: set[str] = frozenset()
    ):
        for field_name, messages in exc.message_dict.items():
            if field_name in ("duplicate_of", *ignore):
                continue
            column = _MODEL_FIELD_COLUMN.get(field_name, field_name)
            for message in messages:
                self.issue(sheet, row, column, message, code=f"invalid_{field_name}")

    # Producers ----------------------------------------------------------------------------------
    def read_producer(
        self, sheet: DataSheet, row: int, values: list[Any], places: PlaceIndex
    ) -> ProducerRow | None:
        cell = lambda f: self.cell(sheet, values, f)  # noqa: E731
        name = clean_text(cell("name"))
        if fold(name).startswith(EXAMPLE_MARK):
            return None
        ok = self.check_cells(sheet, row, values)
        data: dict[str, Any] = {"name": name}
        if not name:
            self.issue(sheet, row, "name", _("Enter the producer's name."), code="name_missing")
            ok = False
        try:
            kind = parse_kind(cell("kind")) if "kind" in sheet.columns else None
            kind = kind or kind_from_words(name)
            if kind is None:
                self.issue(
                    sheet,
                    row,
                    "kind" if "kind" in sheet.columns else "name",
                    _(
                        "Write the kind of producer (Doanh nghiệp, Hợp tác xã, Tổ hợp tác, Hộ kinh doanh); "
                        "it cannot be told from the name."
                    ),
                    code="kind_missing",
                )
                ok = False
            data["kind"] = kind or ""
        except CellError as exc:
            self.issue(sheet, row, "kind", str(exc), code="kind_invalid")
            ok = False
        tax, padded = _fix_leading_zero(cell("tax_code"), (10, 12))
        if padded:
            self.issue(
                sheet,
                row,
                "tax_code",
                _("The tax code was stored as a number and had lost its leading zero; read as %(code)s.")
                % {"code": tax},
                level="warning",
                code="leading_zero",
            )
        data["tax_code"] = normalize_tax_code(tax) if tax else ""
        phone, _padded = _fix_leading_zero(cell("phone"), (10, 11))
        data["phone"] = clean_text(phone)[:20]
        for f in _PRODUCER_TEXT_FIELDS:
            data[f] = clean_text(cell(f))
        for f, parser in (
            ("founded_year", parse_year),
            ("members_count", parse_int),
            ("employees_count", parse_int),
        ):
            try:
                data[f] = parser(cell(f))
            except CellError as exc:
                self.issue(sheet, row, f, str(exc), code="number_invalid")
                ok = False
        for f in ("women_led", "ethnic_minority_led"):
            try:
                data[f] = parse_bool(cell(f))
            except CellError as exc:
                self.issue(sheet, row, f, str(exc), code="bool_invalid")
                ok = False
        try:
            day, how = parse_date(cell("registration_date"))
            data["registration_date"] = day
            if how == "year":
                self.issue(
                    sheet,
                    row,
                    "registration_date",
                    _("Only the year was given; recorded as %(day)s.") % {"day": day.strftime("%d/%m/%Y")},
                    level="warning",
                    code="year_only",
                )
        except CellError as exc:
            self.issue(sheet, row, "registration_date", str(exc), code="date_invalid")
            data["registration_date"] = None
            ok = False
        place = places.resolve_commune(
            clean_text(cell("commune")),
            clean_text(cell("district")),
            clean_text(cell("province")),
            address=data["address"],
            on=data["registration_date"],
            scope=self.scope_producer,
        )
        commune_field = "commune" if "commune" in sheet.columns else "address"
        for code, message in place.notes:
            self.issue(sheet, row, commune_field, message, level="warning", code=code)
        if place.error:
            self.issue(sheet, row, commune_field, place.error[1], code=place.error[0])
            ok = False
        data["commune"] = place.unit
        self.drop_masked(sheet)
        return ProducerRow(sheet=sheet.title, row=row, data=data, status="new" if ok else "error")

    # Products -----------------------------------------------------------------------------------
    def read_product(
        self, sheet: DataSheet, row: int, values: list[Any], places: PlaceIndex, categories: CategoryIndex
    ) -> ProductRow | None:
        cell = lambda f: self.cell(sheet, values, f)  # noqa: E731
        name = clean_text(cell("name"))
        if fold(name).startswith(EXAMPLE_MARK) or fold(clean_text(cell("producer"))).startswith(EXAMPLE_MARK):
            return None
        ok = self.check_cells(sheet, row, values)
        data: dict[str, Any] = {"name": name, "description": clean_text(cell("description"))}
        item = ProductRow(sheet=sheet.title, row=row, data=data)
        if not name:
            self.issue(sheet, row, "name", _("Enter the product's name."), code="name_missing")
            ok = False
        category_text = clean_text(cell("category"))
        if not category_text:
            self.issue(
                sheet,
                row,
                "category" if "category" in sheet.columns else "name",
                _("Write the product set (Bộ sản phẩm)."),
                code="category_missing",
            )
            ok = False
        else:
            try:
                data["category"] = categories.resolve(category_text)
            except CellError as exc:
                self.issue(sheet, row, "category", str(exc), code="category_unknown")
                ok = False
        data.update(parse_traceability(cell("traceability")))
        try:
            item.stars = parse_stars(cell("stars"))
        except CellError as exc:
            self.issue(sheet, row, "stars", str(exc), level="warning", code="stars_invalid")
        try:
            item.year = parse_year(cell("year"))
        except CellError as exc:
            self.issue(sheet, row, "year", str(exc), level="warning", code="year_invalid")
        item.decision = clean_text(cell("decision"))
        commune_text = clean_text(cell("commune"))
        address = clean_text(cell("address"))
        if commune_text or split_address(address).get("commune"):
            place = places.resolve_commune(
                commune_text,
                clean_text(cell("district")),
                clean_text(cell("province")),
                address=address,
                on=None,
                scope=self.scope_product,
            )
            commune_field = "commune" if "commune" in sheet.columns else "address"
            for code, message in place.notes:
                self.issue(sheet, row, commune_field, message, level="warning", code=code)
            if place.error:
                self.issue(sheet, row, commune_field, place.error[1], code=place.error[0])
                ok = False
            data["commune"] = place.unit
        item.producer_text = clean_text(cell("producer"))
        tax, _padded = _fix_leading_zero(cell("producer_tax_code"), (10, 12))
        item.producer_tax = normalize_tax_code(tax) if tax else ""
        if not item.producer_text and not item.producer_tax:
            self.issue(
                sheet,
                row,
                "producer" if "producer" in sheet.columns else "name",
                _("Write the producer (its name or tax code)."),
                code="producer_missing",
            )
            ok = False
        item.status = "new" if ok else "error"
        self.drop_masked(sheet)
        return item

    # The whole file -----------------------------------------------------------------------------
    def run(self) -> ImportResult:
        places = PlaceIndex.current()
        categories = CategoryIndex()
        sheets_by_kind: dict[str, list[DataSheet]] = defaultdict(list)
        for sheet in self.parsed.sheets:
            sheets_by_kind[sheet.kind].append(sheet)
            self.result.sheets.append(
                {
                    "title": sheet.title,
                    "kind": sheet.kind,
                    "header_row": sheet.header_row,
                    "columns": [sheet.column_label(f) for f in sheet.columns],
                    "ignored": sheet.ignored_headers,
                }
            )
            if sheet.kind == "producer" and "kind" not in sheet.columns:
                self.result.notes.append(
                    _(
                        "Sheet “%(sheet)s” has no “Loại hình” column: each producer's kind is "
                        "taken from its name (HTX…, Công ty…, Hộ…)."
                    )
                    % {"sheet": sheet.title}
                )
        sheet_of = {s.title: s for s in self.parsed.sheets}

        producers: list[ProducerRow] = []
        for sheet in sheets_by_kind["producer"]:
            for row, values in sheet.rows:
                if _is_empty(sheet, values) or (row in sheet.section_rows and self._section(sheet, values)):
                    continue
                item = self.read_producer(sheet, row, values, places)
                self.tick(_("Checking producers"))
                if item is not None:
                    producers.append(item)
        products: list[ProductRow] = []
        for sheet in sheets_by_kind["product"]:
            for row, values in sheet.rows:
                if _is_empty(sheet, values) or (row in sheet.section_rows and self._section(sheet, values)):
                    continue
                item = self.read_product(sheet, row, values, places, categories)
                self.tick(_("Checking products"))
                if item is not None:
                    products.append(item)
        self.result.producers, self.result.products = producers, products

        self.match_producers(producers, sheet_of)
        self.link_products(products, producers, places, sheet_of)
        if self.progress:
            self.progress(self.parsed.row_count, self.parsed.row_count, _("Checked"))
        return self.result

    @staticmethod
    def _section(sheet: DataSheet, values: list[Any]) -> bool:
        """A heading row across the table ("I. Huyện Na Rì"): one value, in a merged range."""
        return sum(1 for v in values if clean_text(v)) <= 1

    def _visible(self, ids: Iterable[int]) -> dict[int, Producer]:
        out: dict[int, Producer] = {}
        for chunk in _chunks(set(ids)):
            for p in (
                Producer.objects.for_user(self.user, "view").filter(pk__in=chunk).select_related("commune")
            ):
                out[p.pk] = p
        return out

    def match_producers(self, producers: list[ProducerRow], sheet_of: dict[str, DataSheet]) -> None:
        """Existing producers (skipped), duplicates within the file, then the services' checks."""
        codes, keys = set(), set()
        for item in producers:
            item.data["tax_code"] = _valid_tax(item.data.get("tax_code", "")) or item.data.get("tax_code", "")
            if item.data["tax_code"]:
                codes.add(item.data["tax_code"])
            keys.add(name_key(item.data["name"]))
        by_code: dict[str, list] = defaultdict(list)
        by_key: dict[str, list] = defaultdict(list)
        for chunk in _chunks(codes):
            for row in Producer.objects.filter(tax_code__in=chunk).values(
                "pk", "tax_code", "name_key", "commune_id", "commune__current_path"
            ):
                by_code[row["tax_code"]].append(row)
        for chunk in _chunks(keys - {""}):
            for row in Producer.objects.filter(name_key__in=chunk).values(
                "pk", "tax_code", "name_key", "commune_id", "commune__current_path"
            ):
                by_key[row["name_key"]].append(row)

        skipped: set[tuple[str, int]] = set()
        for item in producers:
            unit = item.data.get("commune")
            found = None
            if item.data["tax_code"] and by_code.get(item.data["tax_code"]):
                found = by_code[item.data["tax_code"]][0]
            elif unit is not None:
                nk = name_key(item.data["name"])
                found = next(
                    (
                        r
                        for r in by_key.get(nk, ())
                        if r["commune_id"] == unit.pk
                        or (r["commune__current_path"] and r["commune__current_path"] == unit.current_path)
                    ),
                    None,
                )
            if found is not None:
                item.status, item.existing_id = "existing", found["pk"]
                skipped.add(item.ref)
        # Problems in rows that are not imported do not matter.
        self.result.issues = [i for i in self.result.issues if (i.sheet, i.row) not in skipped]
        visible = self._visible(i.existing_id for i in producers if i.existing_id)
        for item in producers:
            if item.status == "existing":
                item.existing = visible.get(item.existing_id)
                item.note = (
                    _("Already registered as “%(name)s” (%(commune)s): left unchanged.")
                    % {"name": item.existing.name, "commune": item.existing.commune.name}
                    if item.existing is not None
                    else _("Already registered, outside your area: left unchanged.")
                )

        seen_code: dict[str, ProducerRow] = {}
        seen_name: dict[tuple[str, str], ProducerRow] = {}
        for item in producers:
            if item.status == "error":
                continue
            sheet = sheet_of[item.sheet]
            code = item.data["tax_code"]
            unit = item.data.get("commune")
            nk = (unit.current_path if unit is not None else "", name_key(item.data["name"]))
            first = (seen_code.get(code) if code else None) or seen_name.get(nk)
            if first is not None:
                self.issue(
                    sheet,
                    item.row,
                    "tax_code" if code and code in seen_code else "name",
                    _("The same producer as row %(row)s of sheet “%(sheet)s”.")
                    % {"row": first.row, "sheet": first.sheet},
                    code="duplicate_in_file",
                )
                item.status, item.duplicate = "error", True
                continue
            if code:
                seen_code[code] = item
            seen_name[nk] = item
            if item.status != "new":
                continue
            instance = Producer(**item.data)
            try:
                services.validate_producer(instance)
            except ValidationError as exc:
                self.service_errors(sheet, item.row, exc)
                item.status = "error"
                continue
            item.data["tax_code"] = instance.tax_code
            item.instance = instance
            if not self.scope_producer.covers_unit(instance.commune):
                self.issue(
                    sheet,
                    item.row,
                    "commune" if "commune" in sheet.columns else "address",
                    _("%(name)s is outside your area.") % {"name": instance.commune.name},
                    code="scope",
                )
                item.status = "error"

    def link_products(
        self,
        products: list[ProductRow],
        producers: list[ProducerRow],
        places: PlaceIndex,
        sheet_of: dict[str, DataSheet],
    ) -> None:
        file_by_code: dict[str, list[ProducerRow]] = defaultdict(list)
        file_by_key: dict[str, list[ProducerRow]] = defaultdict(list)
        for item in producers:
            if item.duplicate:
                continue
            if item.data.get("tax_code"):
                file_by_code[item.data["tax_code"]].append(item)
            file_by_key[name_key(item.data["name"])].append(item)
        codes, keys = set(), set()
        for item in products:
            text, tax = item.producer_text, item.producer_tax
            code = _valid_tax(tax) or _valid_tax(text)
            item.producer_code = code
            if code:
                codes.add(code)
            if text:
                keys.add(name_key(text))
        visible = Producer.objects.for_user(self.user, "view").select_related("commune")
        db_by_code: dict[str, list[Producer]] = defaultdict(list)
        db_by_key: dict[str, list[Producer]] = defaultdict(list)
        for chunk in _chunks(codes):
            for p in visible.filter(tax_code__in=chunk):
                db_by_code[p.tax_code].append(p)
        for chunk in _chunks(keys - {""}):
            for p in visible.filter(name_key__in=chunk):
                db_by_key[p.name_key].append(p)

        def narrow(candidates: list, unit, commune_of):
            if len(candidates) > 1 and unit is not None:
                same = [
                    c
                    for c in candidates
                    if commune_of(c) is not None
                    and places.successor(commune_of(c)) is not None
                    and places.successor(commune_of(c)).pk == unit.pk
                ]
                if same:
                    return same
            return candidates

        for item in products:
            if item.status == "error" and not item.data.get("name"):
                continue
            sheet = sheet_of[item.sheet]
            unit = item.data.get("commune")
            code, text = item.producer_code, item.producer_text
            field_name = "producer" if "producer" in sheet.columns else "producer_tax_code"
            file_match: list[ProducerRow] = []
            db_match: list[Producer] = []
            if code:
                file_match = file_by_code.get(code, [])
                db_match = [] if file_match else db_by_code.get(code, [])
            if not file_match and not db_match and text:
                nk = name_key(text)
                file_match = narrow(file_by_key.get(nk, []), unit, lambda r: r.data.get("commune"))
                db_match = [] if file_match else narrow(db_by_key.get(nk, []), unit, lambda p: p.commune)
            if not file_match and not db_match:
                if text or code:
                    self.issue(
                        sheet,
                        item.row,
                        field_name,
                        _(
                            "Producer “%(name)s” is neither in the file nor among the registered "
                            "producers of your area. Add it to the producers sheet."
                        )
                        % {"name": text or code},
                        code="producer_unknown",
                    )
                item.status = "error"
                continue
            if len(file_match) > 1 or len(db_match) > 1:
                self.issue(
                    sheet,
                    item.row,
                    field_name,
                    _(
                        "Several producers are named “%(name)s”; write the tax code or the commune to tell "
                        "them apart."
                    )
                    % {"name": text},
                    code="producer_ambiguous",
                )
                item.status = "error"
                continue
            if file_match:
                row = file_match[0]
                if row.status == "error":
                    self.issue(
                        sheet,
                        item.row,
                        field_name,
                        _("Its producer (row %(row)s of sheet “%(sheet)s”) has errors; correct them first.")
                        % {"row": row.row, "sheet": row.sheet},
                        code="producer_row_error",
                    )
                    item.status = "error"
                    continue
                if row.status == "existing":
                    if row.existing is None:
                        self.issue(
                            sheet,
                            item.row,
                            field_name,
                            _("Its producer is registered outside your area."),
                            code="producer_out_of_scope",
                        )
                        item.status = "error"
                        continue
                    item.producer = row.existing
                else:
                    item.producer_row = row
            else:
                item.producer = db_match[0]
        # Existing products of the registered producers, loaded once.
        existing_products: set[tuple[int, str]] = set()
        for chunk in _chunks({i.producer.pk for i in products if i.producer is not None}):
            existing_products.update(
                Product.objects.filter(producer_id__in=chunk).values_list("producer_id", "name_key")
            )
        seen: dict[tuple, ProductRow] = {}
        for item in products:
            if item.status == "error":
                continue
            sheet = sheet_of[item.sheet]
            producer_ref = (
                ("db", item.producer.pk) if item.producer is not None else ("file", item.producer_row.ref)
            )
            nk = name_key(item.data["name"])
            if item.producer is not None and (item.producer.pk, nk) in existing_products:
                item.status = "existing"
                item.note = _("Already registered for “%(producer)s”: left unchanged.") % {
                    "producer": item.producer.name
                }
                continue
            if (producer_ref, nk) in seen:
                first = seen[(producer_ref, nk)]
                self.issue(
                    sheet,
                    item.row,
                    "name",
                    _("The same product as row %(row)s of sheet “%(sheet)s”.")
                    % {"row": first.row, "sheet": first.sheet},
                    code="duplicate_in_file",
                )
                item.status = "error"
                continue
            seen[(producer_ref, nk)] = item
            if item.data.get("commune") is None:
                producer_unit = (
                    item.producer.commune
                    if item.producer is not None
                    else item.producer_row.data.get("commune")
                )
                current = places.successor(producer_unit) if producer_unit is not None else None
                item.data["commune"] = current
                if current is not None and producer_unit is not None and current.pk != producer_unit.pk:
                    self.issue(
                        sheet,
                        item.row,
                        "commune" if "commune" in sheet.columns else "name",
                        _("Produced in %(new)s, the successor of the producer's commune %(old)s.")
                        % {"new": current.name, "old": places.describe(producer_unit)},
                        level="warning",
                        code="legacy_successor",
                    )
            producer = item.producer if item.producer is not None else item.producer_row.instance
            instance = Product(**{k: v for k, v in item.data.items() if k != "producer"})
            instance.producer = producer
            try:
                services.validate_product(instance)
            except ValidationError as exc:
                ignore = {"producer"} if item.producer is None else set()
                self.service_errors(sheet, item.row, exc, ignore=ignore)
                if set(exc.message_dict) - {"duplicate_of", *ignore}:
                    item.status = "error"
                    continue
            if not self.scope_product.covers_unit(instance.commune):
                self.issue(
                    sheet,
                    item.row,
                    "commune" if "commune" in sheet.columns else "producer",
                    _("%(name)s is outside your area.") % {"name": instance.commune.name},
                    code="scope",
                )
                item.status = "error"


def _valid_tax(text: str) -> str:
    if not text or not re.fullmatch(r"[\d\s.\-]{10,16}", text):
        return ""
    try:
        return validate_tax_code(text)
    except ValidationError:
        return ""


def validate(parsed: ParsedFile, user, progress: ProgressFn | None = None) -> ImportResult:
    """Check every row; nothing is written."""
    return _Validator(parsed, user, progress).run()


def write(
    result: ImportResult, user, progress: ProgressFn | None = None, offset: int = 0, total: int | None = None
) -> dict[str, int]:
    """Create the new producers and products in one transaction; ImportAborted rolls everything back."""
    if result.has_errors:
        raise ValueError("cannot write an import with errors")
    new_producers = [p for p in result.producers if p.status == "new"]
    new_products = [p for p in result.products if p.status == "new"]
    total = total or (len(new_producers) + len(new_products))
    created: dict[tuple[str, int], Producer] = {}
    done = offset
    with transaction.atomic():
        # The batch services check each row as the one-by-one services do and write in bulk.
        for chunk in _chunks(new_producers, WRITE_BATCH):
            try:
                producers = services.create_producers(user, [item.data for item in chunk])
            except services.BatchItemError as exc:
                item = chunk[exc.index]
                raise ImportAborted(item.sheet, item.row, _message(exc.error)) from exc
            for item, producer in zip(chunk, producers, strict=True):
                created[item.ref] = producer
            done += len(chunk)
            if progress:
                progress(done, total, _("Saving"))
        for chunk in _chunks(new_products, WRITE_BATCH):
            rows = [
                {
                    **item.data,
                    "producer": item.producer
                    if item.producer is not None
                    else created[item.producer_row.ref],
                }
                for item in chunk
            ]
            try:
                services.create_products(user, rows)
            except services.BatchItemError as exc:
                item = chunk[exc.index]
                raise ImportAborted(item.sheet, item.row, _message(exc.error)) from exc
            done += len(chunk)
            if progress:
                progress(done, total, _("Saving"))
    return {
        "producers_created": len(new_producers),
        "products_created": len(new_products),
        "producers_skipped": sum(1 for p in result.producers if p.status == "existing"),
        "products_skipped": sum(1 for p in result.products if p.status == "existing"),
    }


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(
            m
            for k, ms in getattr(exc, "message_dict", {"": exc.messages}).items()
            if k != "duplicate_of"
            for m in ms
        )
    return str(exc) or _("You may not do this.")


# --- The template ----------------------------------------------------------------------------------

PRODUCER_TEMPLATE = [
    "name",
    "kind",
    "tax_code",
    "registration_number",
    "registration_date",
    "legal_representative",
    "phone",
    "email",
    "address",
    "commune",
    "district",
    "province",
    "founded_year",
    "members_count",
    "employees_count",
    "women_led",
    "ethnic_minority_led",
]
PRODUCT_TEMPLATE = [
    "name",
    "producer",
    "category",
    "commune",
    "district",
    "stars",
    "year",
    "decision",
    "description",
    "traceability",
]
STAR_CHOICES = ["3 sao", "4 sao", "5 sao"]


def build_template() -> bytes:
    """The workbook users fill in: two data sheets with an example row each and a sheet of allowed values."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    categories = CategoryIndex()
    set_labels = [CategoryIndex.label(c) for c in categories.sets]
    wb = Workbook()
    producers = wb.active
    producers.title = SHEET_TITLES["producer"]
    products = wb.create_sheet(SHEET_TITLES["product"])
    lists = wb.create_sheet(LIST_SHEET)

    kinds = list(KIND_LABELS_VI.values())
    lists.append(["Loại hình", "Bộ sản phẩm", "Hạng sao", "Có/không"])
    for i in range(max(len(kinds), len(set_labels), len(STAR_CHOICES))):
        lists.append(
            [
                kinds[i] if i < len(kinds) else None,
                set_labels[i] if i < len(set_labels) else None,
                STAR_CHOICES[i] if i < len(STAR_CHOICES) else None,
                "x" if i == 0 else None,
            ]
        )
    for col, width in zip("ABCD", (28, 70, 12, 12), strict=True):
        lists.column_dimensions[col].width = width
    lists["F1"] = "Ghi chú"
    lists["F2"] = (
        "Hạng sao, năm công nhận và số quyết định chỉ để đối chiếu; chứng nhận OCOP được cập nhật ở "
        "phân hệ đánh giá, công nhận."
    )
    lists["F3"] = "Các dòng có tên bắt đầu bằng “Ví dụ” không được nhập."

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    today = timezone.localdate()
    example_producer = {
        "name": "Ví dụ: Hợp tác xã Nông nghiệp Côn Minh",
        "kind": "Hợp tác xã",
        "tax_code": "4700256572",
        "registration_number": "1301B000123",
        "registration_date": dt.date(2026, 3, 15),
        "legal_representative": "Triệu Thị Hoan",
        "phone": "0912345678",
        "email": "htxconminh@example.vn",
        "address": "Thôn Nà Đeng",
        "commune": "Xã Côn Minh",
        "district": "",
        "province": "Thái Nguyên",
        "founded_year": 2016,
        "members_count": 12,
        "employees_count": 25,
        "women_led": "x",
        "ethnic_minority_led": "x",
    }
    example_product = {
        "name": "Ví dụ: Miến dong Côn Minh",
        "producer": "Ví dụ: Hợp tác xã Nông nghiệp Côn Minh",
        "category": set_labels[6] if len(set_labels) > 6 else (set_labels[0] if set_labels else ""),
        "commune": "Xã Côn Minh",
        "district": "",
        "stars": "3 sao",
        "year": today.year - 1,
        "decision": "123/QĐ-UBND",
        "description": "Miến làm từ tinh bột dong riềng",
        "traceability": "",
    }
    comments = {
        ("producer", "registration_date"): "dd/mm/yyyy. Trước 01/07/2025: ghi xã, huyện theo địa giới cũ.",
        ("producer", "commune"): "Tên xã/phường hiện nay. Nếu ghi tên cũ, ghi thêm Huyện (cũ).",
        ("producer", "kind"): "Chọn trong danh sách (sheet Danh mục).",
        ("producer", "women_led"): "Ghi x nếu đúng.",
        ("product", "producer"): "Tên chủ thể như ở sheet Chủ thể, hoặc mã số thuế.",
        ("product", "category"): "Chọn một trong 26 bộ sản phẩm (sheet Danh mục).",
        ("product", "commune"): "Để trống nếu là xã của chủ thể.",
        ("product", "stars"): "Không được nhập vào hệ thống; chỉ để đối chiếu.",
    }
    for ws, kind, fields, example in (
        (producers, "producer", PRODUCER_TEMPLATE, example_producer),
        (products, "product", PRODUCT_TEMPLATE, example_product),
    ):
        ws.append([field_label(kind, f) for f in fields])
        ws.append([example[f] if example[f] != "" else None for f in fields])
        for c, f in enumerate(fields, start=1):
            cell = ws.cell(row=1, column=c)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if (kind, f) in comments:
                cell.comment = Comment(comments[(kind, f)], "OCOP")
            example_cell = ws.cell(row=2, column=c)
            example_cell.font = Font(italic=True, color="808080")
            letter = get_column_letter(c)
            width = {
                "name": 40,
                "producer": 40,
                "category": 45,
                "address": 30,
                "description": 40,
                "email": 26,
            }.get(f, max(12, len(field_label(kind, f)) + 4))
            ws.column_dimensions[letter].width = width
            # Column styles (not cell by cell: the sheet stays two rows long until it is filled in).
            if f in ("tax_code", "phone", "registration_number", "decision"):
                ws.column_dimensions[letter].number_format = "@"
                example_cell.number_format = "@"
            if f == "registration_date":
                ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
                example_cell.number_format = "DD/MM/YYYY"
        ws.freeze_panes = "A2"
        ws.row_dimensions[1].height = 32

        def add_list(ws, fields, f, source):
            if f not in fields:
                return
            letter = get_column_letter(fields.index(f) + 1)
            validation = DataValidation(
                type="list", formula1=source, allow_blank=True, showErrorMessage=False
            )
            validation.add(f"{letter}2:{letter}5000")
            ws.add_data_validation(validation)

        if kind == "producer":
            add_list(ws, fields, "kind", f"'{LIST_SHEET}'!$A$2:$A${len(kinds) + 1}")
            add_list(ws, fields, "women_led", f"'{LIST_SHEET}'!$D$2:$D$2")
            add_list(ws, fields, "ethnic_minority_led", f"'{LIST_SHEET}'!$D$2:$D$2")
        else:
            add_list(ws, fields, "category", f"'{LIST_SHEET}'!$B$2:$B${len(set_labels) + 1}")
            add_list(ws, fields, "stars", f"'{LIST_SHEET}'!$C$2:$C${len(STAR_CHOICES) + 1}")
    for cell in lists[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    lists.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Stored uploads ----------------------------------------------------------------------------------


def import_dir() -> Path:
    """Where uploads wait between preview and confirmation (see core.uploads)."""
    return StoredImport.directory()


class StoredImport(StoredUpload):
    """An uploaded list and its state. States: validating → ready → writing → done, or failed."""

    @property
    def lock_path(self) -> Path:
        return self.base.with_suffix(".lock")

    @classmethod
    def create(cls, owner, data: bytes, filename: str, parsed: ParsedFile) -> StoredImport:
        return cls.store(
            owner,
            data,
            filename,
            format=parsed.fmt,
            rows=parsed.row_count,
            state="validating",
            progress_id="",
            preview=None,
            outcome=None,
            error="",
        )

    def claim(self) -> bool:
        """Take the right to write, once (a second confirmation finds the lock)."""
        try:
            fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        os.close(fd)
        return True

    def release(self) -> None:
        self.lock_path.unlink(missing_ok=True)


def run_validation(stored: StoredImport, user, progress: ProgressFn | None = None) -> ImportResult | None:
    """Validate the stored file and keep its preview."""
    try:
        parsed = parse_file(stored.read_data())
        result = validate(parsed, user, progress)
    except ImportFileError as exc:
        stored.update(state="failed", error=str(exc))
        return None
    except OSError:
        stored.update(state="failed", error=_("The uploaded file is no longer available; upload it again."))
        return None
    except Exception:
        stored.update(state="failed", error=_("The file could not be checked because of an internal error."))
        raise
    stored.update(state="ready", preview=result.summary(), error="")
    return result


def run_write(stored: StoredImport, user, progress: ProgressFn | None = None) -> dict[str, Any]:
    """Validate the stored file again (the registry may have changed) and write it if it is still clean."""
    try:
        try:
            parsed = parse_file(stored.read_data())
        except (ImportFileError, OSError):
            stored.update(
                state="failed", error=_("The uploaded file is no longer available; upload it again.")
            )
            return {"written": False}
        total = parsed.row_count * 2

        def validation_progress(done, _total, message):
            if progress:
                progress(done, total, message)

        result = validate(parsed, user, validation_progress)
        if result.has_errors:
            stored.update(
                state="ready",
                preview=result.summary(),
                error=_(
                    "The registry changed since the preview; correct the problems below and "
                    "upload the file again."
                ),
            )
            return {"written": False}
        try:
            outcome = write(result, user, progress, offset=parsed.row_count, total=total)
        except ImportAborted as exc:
            preview = result.summary()
            preview["issues"].insert(
                0, asdict(Issue(sheet=exc.sheet, row=exc.row, column="", message=exc.message, code="aborted"))
            )
            preview["counts"]["errors"] += 1
            preview["issues_total"] += 1
            stored.update(
                state="ready",
                preview=preview,
                error=_("Nothing was imported: row %(row)s of sheet “%(sheet)s” was refused.")
                % {"row": exc.row, "sheet": exc.sheet},
            )
            return {"written": False}
        if progress:
            progress(total, total, _("Done"))
        stored.update(state="done", outcome=outcome, error="")
        stored.discard_data()
        return {"written": True, **outcome}
    except Exception:
        stored.update(state="failed", error=_("Nothing was imported because of an internal error."))
        raise
    finally:
        stored.release()
