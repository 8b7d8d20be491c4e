"""Builds the shipped Word template of a recognition decision (`quyet-dinh-cong-nhan.docx`).

Like the council's minutes (ocop.evaluation.doc_templates), the .docx is committed and this script
is how it was made; a province edits the .docx in Word and puts it, with the same name, in
``OCOP_DOCUMENT_TEMPLATES_DIR`` (docs/document-templates.md lists the placeholders).

    .venv/bin/python -m ocop.certification.doc_templates.build_templates
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from ocop.evaluation.doc_templates.build_templates import (
    _cell_para,
    _font,
    _no_borders,
    _para,
    _repeat_header,
    _tag,
    _widths,
)

HERE = Path(__file__).resolve().parent
DECISION = "quyet-dinh-cong-nhan.docx"
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def build_decision(path: Path) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    _font(normal, 13)
    normal.paragraph_format.space_after = Pt(3)
    doc.core_properties.title = "Quyết định công nhận sản phẩm OCOP"
    doc.core_properties.author = "OCOP"

    head = doc.add_table(rows=2, cols=2)
    _no_borders(head)
    _widths(head, [66, 99])
    left, right = head.rows[0].cells
    _cell_para(left, "{{ issuer }}", bold=True, size=12, align=CENTER)
    _cell_para(left, "-------", align=CENTER)
    _cell_para(left, "Số: {{ number }}", size=13, align=CENTER)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=CENTER)
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=CENTER)
    _cell_para(right, "---------------", align=CENTER)
    _cell_para(head.rows[1].cells[1], "{{ place_date }}", italic=True, align=CENTER)

    _para(doc, "", space_after=6)
    _tag(doc, "{%p if is_draft %}")
    _para(doc, "(DỰ THẢO)", italic=True, align=CENTER)
    _tag(doc, "{%p endif %}")
    _para(doc, "QUYẾT ĐỊNH", bold=True, size=14, align=CENTER, space_after=0)
    _para(doc, "{{ title }}", bold=True, align=CENTER)
    _para(doc, "{{ signer_authority }}", bold=True, align=CENTER, space_after=6)
    _tag(doc, "{%p for basis in legal_bases %}")
    _para(doc, "{{ basis }}", italic=True)
    _tag(doc, "{%p endfor %}")
    _para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER, space_after=6)
    _para(doc, "Điều 1. {{ article_1 }}")

    table = doc.add_table(rows=4, cols=6)
    table.style = "Table Grid"
    _widths(table, [10, 50, 40, 30, 15, 20])
    header = ["STT", "Tên sản phẩm", "Chủ thể OCOP", "Địa chỉ", "Số sao", "Điểm"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_para(cell, text, bold=True, size=11, align=CENTER)
    _repeat_header(table.rows[0])
    _cell_para(table.rows[1].cells[0], "{%tr for r in rows %}", size=11)
    cells = table.rows[2].cells
    _cell_para(cells[0], "{{ r.no }}", size=11, align=CENTER)
    _cell_para(cells[1], "{{ r.product }}", size=11)
    _cell_para(cells[2], "{{ r.producer }}", size=11)
    _cell_para(cells[3], "{{ r.place }}", size=11)
    _cell_para(cells[4], "{{ r.stars }}", size=11, align=CENTER)
    _cell_para(cells[5], "{{ r.score }}", size=11, align=CENTER)
    _cell_para(table.rows[3].cells[0], "{%tr endfor %}", size=11)

    _para(doc, "", space_after=3)
    _para(doc, "Điều 2. {{ article_2 }}")
    _para(doc, "Điều 3. {{ article_3 }}")

    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    _widths(sign, [80, 85])
    left, right = sign.rows[0].cells
    _cell_para(left, "Nơi nhận:", bold=True, italic=True, size=12)
    _cell_para(left, "- Như Điều 3;", size=11)
    _cell_para(left, "- Lưu: VT.", size=11)
    _cell_para(right, "{{ signer_title_upper }}", bold=True, align=CENTER)
    _cell_para(right, "", align=CENTER)
    _cell_para(right, "", align=CENTER)
    _cell_para(right, "{{ signer_name }}", bold=True, align=CENTER)
    doc.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else HERE
    target.mkdir(parents=True, exist_ok=True)
    print(build_decision(target / DECISION))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
