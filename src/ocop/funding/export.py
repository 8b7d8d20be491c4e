"""The totals of support as an .xlsx workbook: one sheet by source, by commune and by year; real
numbers formatted as whole đồng."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ocop.core.export import XLSX_MIME

SHEETS = (
    ("by_source", "Theo nguồn"),
    ("by_area", "Theo địa bàn"),
    ("by_year", "Theo năm"),
)


def workbook(data: dict) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    headers = [_("Group"), _("Grants"), _("Producers"), _("Approved (VND)"), _("Disbursed (VND)")]
    for key, title in SHEETS:
        ws = wb.create_sheet(title)
        ws.append([str(h) for h in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in data[key]:
            ws.append(
                [
                    row["label"],
                    row["n_grants"],
                    row["n_producers"],
                    int(row["approved"]),
                    int(row["disbursed"]),
                ]
            )
        total = data["total"]
        ws.append(
            [
                _("Total"),
                total["n_grants"],
                total["n_producers"],
                int(total["approved"]),
                int(total["disbursed"]),
            ]
        )
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for r in ws.iter_rows(min_row=2, min_col=4, max_col=5):
            for cell in r:
                cell.number_format = "#,##0"
        ws.column_dimensions["A"].width = 60
        for col in "BCDE":
            ws.column_dimensions[col].width = 18
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def totals_response(data: dict) -> HttpResponse:
    response = HttpResponse(workbook(data), content_type=XLSX_MIME)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="tong-hop-ho-tro-{stamp}.xlsx"'
    return response
