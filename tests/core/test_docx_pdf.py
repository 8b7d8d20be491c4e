"""A Word document as HTML, then PDF (core.docx_pdf): what a form is made of survives."""

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from pypdf import PdfReader

from ocop.core.docx_pdf import docx_to_html, docx_to_pdf


def _saved(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _form() -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    doc.styles["Normal"].font.size = Pt(13)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    body = doc.add_paragraph()
    body.add_run("Tên đơn vị: ")
    name = body.add_run("HTX <Miến dong> & Tài Hoan")
    name.italic = True
    name.font.size = Pt(11)
    body.add_run().add_break()
    body.add_run("Điện thoại: 0912345678")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    grid = doc.add_table(rows=3, cols=3)
    grid.style = doc.styles["Table Grid"]
    for cell, text in zip(grid.rows[0].cells, ("TT", "Tiêu chí", "Điểm"), strict=True):
        cell.text = text
    header = grid.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))
    for cell, text in zip(grid.rows[1].cells, ("1", "Nguyên liệu", "5"), strict=True):
        cell.text = text
    grid.rows[2].cells[0].merge(grid.rows[2].cells[1]).text = "Tổng"
    grid.rows[2].cells[2].text = "5"
    plain = doc.add_table(rows=1, cols=2)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    plain._tbl.tblPr.append(borders)
    plain.rows[0].cells[0].text, plain.rows[0].cells[1].text = "XÃ NA RÌ", "Na Rì, ngày 05 tháng 02 năm 2026"
    return _saved(doc)


def test_the_html_keeps_the_page_the_emphasis_and_the_breaks():
    html = docx_to_html(_form())
    assert "size: 210.0mm 297.0mm" in html and "margin: 25.4mm 15.0mm 25.4mm 30.0mm" in html
    assert "font-size: 13pt" in html
    assert '<p style="text-align: center"><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong></p>' in html
    # What a user typed is text, never markup.
    assert '<span style="font-size: 11pt"><em>HTX &lt;Miến dong&gt; &amp; Tài Hoan</em></span>' in html
    assert "<br>Điện thoại: 0912345678" in html
    assert '<div class="page-break"></div>' in html


def test_tables_keep_their_header_spans_and_borders():
    html = docx_to_html(_form())
    grid, plain = re.findall(r"<table.*?</table>", html)
    assert 'class="grid"' in grid and 'class="plain"' in plain
    head = re.search(r"<thead>(.*?)</thead>", grid).group(1)
    assert re.findall(r"<th>.*?<p>(.*?)</p>.*?</th>", head) == ["TT", "Tiêu chí", "Điểm"]
    assert '<td colspan="2"><p>Tổng</p></td>' in grid
    assert grid.count("<col ") == 3


def test_the_pdf_holds_the_text_in_order_with_its_diacritics():
    data = docx_to_pdf(_form(), identifier=b"form")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2  # the page break
    text = "".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    order = [
        "CỘNGHÒAXÃHỘICHỦNGHĨAVIỆTNAM",
        "HTX<Miếndong>&TàiHoan",
        "Điệnthoại:0912345678",
        "TTTiêuchíĐiểm",
        "1Nguyênliệu5",
        "Tổng5",
        "XÃNARÌ",
        "NaRì,ngày05tháng02năm2026",
    ]
    positions = [flat.find(part) for part in order]
    assert -1 not in positions, order[positions.index(-1)]
    assert positions == sorted(positions)
    assert docx_to_pdf(_form(), identifier=b"form") == data  # the same document, the same bytes
