"""CSV and XLSX exports of a table: Vietnamese headers, correct diacritics (CSV carries a UTF-8
byte-order mark so that Excel reads it right; XLSX stores real dates and numbers)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .tables import Table, plain

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(table: Table, chunk_size: int = 2000):
    columns = table.export_columns()
    for obj in table.queryset.iterator(chunk_size=chunk_size) if not _has_prefetch(table) else table.queryset:
        yield [c.value(obj) for c in columns]


def _has_prefetch(table: Table) -> bool:
    return bool(getattr(table.queryset, "_prefetch_related_lookups", ()))


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c.verbose_name) for c in table.export_columns()])
    for row in _rows(table):
        writer.writerow([plain(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell_value(value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (dt.date, int, float, Decimal)) and not isinstance(value, bool):
        return value
    return plain(value)


def to_xlsx(table: Table, title: str) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = (title or "Sheet")[:31]
    columns = table.export_columns()
    ws.append([str(c.verbose_name) for c in columns])
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(str(c.verbose_name)) for c in columns]
    for row in _rows(table):
        values = [_cell_value(v) for v in row]
        ws.append(values)
        r = ws.max_row
        for i, value in enumerate(values):
            if isinstance(value, dt.datetime):
                ws.cell(row=r, column=i + 1).number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, dt.date):
                ws.cell(row=r, column=i + 1).number_format = "dd/mm/yyyy"
            elif isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
                ws.cell(row=r, column=i + 1).number_format = "#,##0" if isinstance(value, int) else "#,##0.00"
            widths[i] = min(60, max(widths[i], len(str(value or ""))))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width + 2
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_response(table: Table, fmt: str, basename: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(table, basename), content_type=XLSX_MIME)
        filename = f"{basename}-{stamp}.xlsx"
    else:
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
        filename = f"{basename}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
