"""A filled Word document as PDF, without an office suite on the server: the .docx is written to
HTML (`docx_to_html`) and set by WeasyPrint (`core.pdf.html_to_pdf`: nothing fetched, the same
bytes for the same document).

It serves the dossier's forms (Mẫu 01, 02, 03 and the commune's letter, `ocop.programme.documents`),
whose templates — ours or a province's — are Word files. What it keeps is what such forms are
made of: the first section's page size and margins; paragraphs in order with their alignment,
indent and spacing; runs with bold, italic, underline and size (a run's own, else its paragraph
style's); line breaks, tabs and page breaks; tables with their column widths, borders (none when
the table's borders are nil), header rows repeated on each page, cells spanning columns, and
nested tables. Not kept: pictures, headers and footers, list numbering, text boxes, colours —
the shipped templates use none of them; the .docx remains the document of record.
"""

from __future__ import annotations

import io
from html import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONTS = '"Times New Roman", "Liberation Serif", "DejaVu Serif", serif'
ALIGN = {
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "justify",
    WD_ALIGN_PARAGRAPH.DISTRIBUTE: "justify",
    WD_ALIGN_PARAGRAPH.LEFT: "left",
}
NO_BORDER = {"nil", "none"}


def _mm(length) -> str:
    return f"{length.mm:.1f}mm" if length is not None else "0"


def _pt(length) -> str:
    return f"{length.pt:.1f}pt" if length is not None else "0"


def docx_to_pdf(data: bytes, identifier: bytes | None = None) -> bytes:
    from .pdf import html_to_pdf

    return html_to_pdf(docx_to_html(data), identifier=identifier)


def docx_to_html(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    normal = document.styles["Normal"]
    size = normal.font.size.pt if normal.font.size else 12
    spacing = normal.paragraph_format.line_spacing
    line = spacing if isinstance(spacing, float) else 1.15
    page = (
        f"size: {_mm(section.page_width)} {_mm(section.page_height)}; margin: {_mm(section.top_margin)} "
        f"{_mm(section.right_margin)} {_mm(section.bottom_margin)} {_mm(section.left_margin)};"
    )
    title = escape(document.core_properties.title or "")
    body = "".join(_blocks(document.element.body, document))
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>"
        f"@page {{ {page} }}"
        f"html {{ font-family: {FONTS}; font-size: {size:g}pt; line-height: {line:g}; color: #000; }}"
        "body { margin: 0; } p { margin: 0; orphans: 2; widows: 2; }"
        "table { border-collapse: collapse; table-layout: fixed; margin: 0 0 3pt; }"
        "td, th { vertical-align: top; padding: 1pt 1.9mm; font-weight: normal; text-align: left; }"
        "table.grid > * > tr > td, table.grid > * > tr > th { border: 0.5pt solid #000; }"
        "tr { page-break-inside: avoid; } .page-break { break-after: page; }"
        f"</style></head><body>{body}</body></html>"
    )


def _blocks(container, parent) -> list[str]:
    """The paragraphs and tables of a body or a cell, in order."""
    out = []
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            out.append(_paragraph(Paragraph(child, parent)))
        elif child.tag == qn("w:tbl"):
            out.append(_table(Table(child, parent)))
    return out


def _inherited(own, paragraph, part: str, name: str):
    """A format value: the paragraph's or run's own (`own`), else its paragraph style's (and the
    style's bases). `part` is the style's "paragraph_format" or "font"."""
    value = getattr(own, name)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(getattr(style, part), name)
        style = style.base_style
    return value


def _style_value(paragraph, name: str):
    return _inherited(paragraph.paragraph_format, paragraph, "paragraph_format", name)


def _font_value(run, paragraph, name: str):
    return _inherited(run.font, paragraph, "font", name)


def _paragraph(paragraph: Paragraph) -> str:
    css = []
    align = ALIGN.get(_style_value(paragraph, "alignment"))
    if align and align != "left":
        css.append(f"text-align: {align}")
    before, after = _style_value(paragraph, "space_before"), _style_value(paragraph, "space_after")
    if before or after:
        css.append(f"margin: {_pt(before)} 0 {_pt(after)} 0")
    for name, prop in (("left_indent", "margin-left"), ("right_indent", "margin-right")):
        value = _style_value(paragraph, name)
        if value:
            css.append(f"{prop}: {_mm(value)}")
    indent = _style_value(paragraph, "first_line_indent")
    if indent:
        css.append(f"text-indent: {_mm(indent)}")
    runs, page_break = [], False
    for run in paragraph.runs:
        text, breaks = _run_text(run)
        page_break = page_break or breaks
        if not text:
            continue
        if _font_value(run, paragraph, "bold"):
            text = f"<strong>{text}</strong>"
        if _font_value(run, paragraph, "italic"):
            text = f"<em>{text}</em>"
        if _font_value(run, paragraph, "underline"):
            text = f'<span style="text-decoration: underline">{text}</span>'
        size = run.font.size
        if size is not None:
            text = f'<span style="font-size: {size.pt:g}pt">{text}</span>'
        runs.append(text)
    style = f' style="{"; ".join(css)}"' if css else ""
    html = f"<p{style}>{''.join(runs) or '&nbsp;'}</p>"
    return html + ('<div class="page-break"></div>' if page_break else "")


def _run_text(run) -> tuple[str, bool]:
    """The run's text as HTML (breaks and tabs kept), and whether it breaks the page."""
    parts, page_break = [], False
    for child in run._r.iterchildren():
        if child.tag == qn("w:t"):
            parts.append(escape(child.text or "", quote=False))
        elif child.tag == qn("w:tab"):
            parts.append("&emsp;")
        elif child.tag in (qn("w:br"), qn("w:cr")):
            if child.get(qn("w:type")) == "page":
                page_break = True
            else:
                parts.append("<br>")
    return "".join(parts), page_break


def _borderless(table: Table) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    if borders is not None:
        values = {edge.get(qn("w:val")) for edge in borders}
        return bool(values) and values <= NO_BORDER
    return table.style is None or table.style.name != "Table Grid"


def _table(table: Table) -> str:
    grid = table._tbl.tblGrid
    widths = [col.w for col in grid.gridCol_lst] if grid is not None else []
    cols = "".join(f'<col style="width: {_mm(w)}">' if w else "<col>" for w in widths)
    total = sum((w for w in widths if w), start=0)
    width = f' style="width: {total / 36000:.1f}mm"' if total else ""
    head, body = [], []
    for tr in table._tbl.tr_lst:
        is_header = tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
        cells = []
        for tc in tr.tc_lst:
            span = tc.grid_span
            colspan = f' colspan="{span}"' if span > 1 else ""
            merged = tc.vMerge == "continue"  # the cell above spans this row: left empty here
            inner = "" if merged else "".join(_blocks(tc, _Cell(tc, table)))
            tag = "th" if is_header else "td"
            cells.append(f"<{tag}{colspan}>{inner}</{tag}>")
        (head if is_header and not body else body).append(f"<tr>{''.join(cells)}</tr>")
    kind = "plain" if _borderless(table) else "grid"
    thead = f"<thead>{''.join(head)}</thead>" if head else ""
    rows = "".join(body)
    return f'<table class="{kind}"{width}><colgroup>{cols}</colgroup>{thead}<tbody>{rows}</tbody></table>'
