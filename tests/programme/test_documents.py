"""The dossier's documents (Mẫu 01, 02, 03 and the proposal letter) hold the data, in Vietnamese
(NFC, diacritics intact), and a province's own template replaces the shipped one."""

import datetime as dt
import io
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from ocop.programme import documents, services
from ocop.programme.doc_templates.build_templates import BUILDERS

from .helpers import certify, commune_complete, fill, through_council, to_province

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def proposed(owner, nari_officer, product):
    dossier = services.start_dossier(owner, {"product": product, "kind": "first"})
    return to_province(owner, nari_officer, dossier)


def test_mau_01_holds_the_registration(proposed):
    version = proposed.versions.get()
    text = text_of(documents.render("mau-01", proposed, version))
    assert unicodedata.is_normalized("NFC", text)
    for expected in (
        "PHIẾU ĐĂNG KÝ",
        "Tham gia đánh giá, phân hạng sản phẩm OCOP",
        "của tỉnh Thái Nguyên năm",
        "Tên đơn vị: HTX Miến dong Tài Hoan",
        "Họ tên người đại diện pháp lý: Triệu Thị Hoan",
        "Chức vụ: Giám đốc",
        "Điện thoại: 0912345678",
        "Tên sản phẩm: Miến dong Tài Hoan",
        "Phân nhóm: Chế biến từ rau, củ, quả, hạt",
        "Lần đầu ☒",
        "Nâng hạng: ☐",
        "Sản phẩm mẫu (số lượng): 05",
        "DÀNH CHO ỦY BAN NHÂN DÂN CẤP XÃ",
        f"Phiếu số: {proposed.receipt_number}",
        "Na Rì, ngày",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text


def test_mau_02_holds_the_self_assessment_and_the_evidence(proposed):
    version = proposed.versions.get()
    text = text_of(documents.render("mau-02", proposed, version))
    for expected in (
        "BÁO CÁO TỰ ĐÁNH GIÁ VỀ SẢN PHẨM",
        "Loại hình tổ chức: Hợp tác xã",
        "Giới tính: Nữ; Dân tộc: Tày",
        "Thành lập năm 2015 từ tổ hợp tác làm miến truyền thống.",
        "Giấy đăng ký kinh doanh: ☒",
        "Củ dong riềng trồng tại xã Na Rì, 20 ha.",
        "ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN THEO BỘ TIÊU CHÍ SẢN PHẨM OCOP",
        "Quyết định số 26/2026/QĐ-TTg",
        "Tổng điểm tự đánh giá:",
        "Giấy chứng nhận đăng ký HTX",
        "Mở rộng vùng nguyên liệu lên 30 ha.",
        version.checksum,
    ):
        assert expected in text, expected
    assert "sao" in text and "{{" not in text


def test_mau_03_and_the_letter_hold_the_communes_assessment(proposed):
    version = proposed.versions.get()
    report = text_of(documents.render("mau-03", proposed, version))
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "XÃ NA RÌ",
        "Số: 12/BC-UBND",
        "Đánh giá một số nội dung của hồ sơ đăng ký tham gia đánh giá, phân hạng sản phẩm OCOP",
        "Chủ thể sử dụng củ dong riềng của 45 hộ trên địa bàn xã.",
        "20 lao động, 18 người thường trú tại xã.",
        "Sản phẩm truyền thống của địa phương. Nghề làm miến truyền thống của đồng bào Tày.",
        "Giống dong riềng địa phương",
        "Ủy ban nhân dân xã Na Rì đề nghị Ủy ban nhân dân tỉnh Thái Nguyên đánh giá, phân hạng sản phẩm OCOP "
        "cho sản phẩm Miến dong Tài Hoan của HTX Miến dong Tài Hoan.",
        "T.M ỦY BAN NHÂN DÂN XÃ NA RÌ",
        "CHỦ TỊCH",
        "Hoàng Văn Xã",
    ):
        assert expected in report, expected
    letter = text_of(documents.render("de-nghi", proposed, version))
    for expected in (
        "Số: 13/UBND-KT",
        "V/v đề nghị đánh giá, phân hạng sản phẩm OCOP",
        "Kính gửi: Ủy ban nhân dân tỉnh Thái Nguyên.",
        "Báo cáo số 12/BC-UBND",
        "05 sản phẩm mẫu",
        "Đánh giá lần đầu",
        "TM. ỦY BAN NHÂN DÂN",
    ):
        assert expected in letter, expected


def test_an_upgrade_report_lists_what_changed(owner, nari_officer, province_admin, product):
    first = through_council(province_admin, owner, nari_officer, product, total=60)
    certify(product, 3, timezone.localdate() - dt.timedelta(days=30), result=first.entry.result)
    upgrade = services.start_dossier(owner, {"product": product, "kind": "upgrade"})
    services.update_draft(
        owner, upgrade, {"changes_summary": "Đạt chứng nhận HACCP.", "markets": "Xuất khẩu Nhật Bản."}
    )
    text = text_of(documents.render("mau-02", upgrade, upgrade.versions.get()))
    assert "NHỮNG THAY ĐỔI SO VỚI SẢN PHẨM OCOP ĐÃ ĐƯỢC CÔNG NHẬN" in text
    assert "Đạt chứng nhận HACCP." in text
    assert "Thị trường tiêu thụ: Siêu thị tại Thái Nguyên, Hà Nội; sàn Shopee. → Xuất khẩu Nhật Bản." in text
    assert "(BẢN NHÁP — chưa nộp)" in text
    mau_01 = text_of(documents.render("mau-01", upgrade, upgrade.versions.get()))
    assert "Nâng hạng: ☒" in mau_01 and "Lần đầu ☐" in mau_01


def test_a_province_replaces_a_template(proposed, settings, tmp_path):
    from docx import Document as NewDocument

    own = NewDocument()
    own.add_paragraph("MẪU RIÊNG CỦA TỈNH: {{ producer_name }} — {{ receipt_number }}")
    own.save(tmp_path / documents.TEMPLATES["mau-01"])
    settings.OCOP_DOCUMENT_TEMPLATES_DIR = str(tmp_path)
    text = text_of(documents.render("mau-01", proposed, proposed.versions.get()))
    assert text.strip() == f"MẪU RIÊNG CỦA TỈNH: HTX Miến dong Tài Hoan — {proposed.receipt_number}"
    # The others still come from the shipped templates.
    assert "BÁO CÁO TỰ ĐÁNH GIÁ VỀ SẢN PHẨM" in text_of(
        documents.render("mau-02", proposed, proposed.versions.get())
    )


def test_the_shipped_templates_are_what_the_script_builds(tmp_path):
    for name, build in BUILDERS.items():
        built = text_of(build(tmp_path / name).read_bytes())
        shipped = text_of((documents.SHIPPED_TEMPLATES / name).read_bytes())
        assert built == shipped, name


def test_documents_are_downloaded_by_those_in_scope(client, proposed, owner, chodon_officer):
    client.force_login(owner)
    response = client.get(reverse("programme:dossier_document", args=[proposed.pk, "mau-03"]))
    assert response.status_code == 200 and response["Content-Type"] == documents.DOCX_MIME
    assert "XÃ NA RÌ" in text_of(response.content)
    client.force_login(chodon_officer)
    assert client.get(reverse("programme:dossier_document", args=[proposed.pk, "mau-03"])).status_code == 404
    assert client.get(reverse("programme:dossier_document", args=[proposed.pk, "mau-99"])).status_code == 404


@pytest.mark.parametrize("form", sorted(documents.TEMPLATES))
def test_each_document_downloads_as_pdf_with_all_the_words_of_the_word_file(client, proposed, owner, form):
    import re

    from pypdf import PdfReader

    from ocop.audit.models import AuditEvent

    client.force_login(owner)
    docx = client.get(reverse("programme:dossier_document", args=[proposed.pk, form])).content
    response = client.get(reverse("programme:dossier_document_pdf", args=[proposed.pk, form]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    name = f"{form}-{proposed.code}-v1.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert AuditEvent.objects.filter(action="export", message=name, object_id=str(proposed.pk)).exists()
    pdf = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages))
    words = [re.sub(r"\s+", "", line) for line in text_of(docx).splitlines()]
    missing = [w for w in words if w and w not in pdf]
    assert not missing, missing[:3]
    assert unicodedata.normalize("NFC", "HTXMiếndongTàiHoan") in pdf


def test_community_tourism_letter_sends_no_samples(owner, nari_officer, province_admin):
    from .helpers import make_product

    product = make_product(province_admin, "Du lịch cộng đồng Pác Ngòi", set_code="26")
    product.producer.accounts.add(owner)
    dossier = services.start_dossier(owner, {"product": product, "kind": "first"})
    fill(owner, dossier)
    dossier = services.submit_dossier(owner, dossier)
    commune_complete(nari_officer, dossier, samples=0)
    letter = text_of(documents.render("de-nghi", dossier, dossier.versions.get()))
    assert "không gửi sản phẩm mẫu" in letter
    assert "không áp dụng" in text_of(documents.render("mau-01", dossier, dossier.versions.get()))
