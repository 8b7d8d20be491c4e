"""An officer imports an Excel list, fixes the reported error, imports again, and finds an
imported product by typing its name without diacritics."""

import io
import re

import pytest
from openpyxl import Workbook

from ocop.registry.models import Producer, Product
from tests.conftest import THAI_NGUYEN
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def provincial_list(tax_code: str) -> bytes:
    """A list as a province keeps it: a title row, loose headings, "3 sao", communes without "Xã"."""
    wb = Workbook()
    producers = wb.active
    producers.title = "Chủ thể"
    producers.append(["DANH SÁCH CHỦ THỂ OCOP NĂM 2026"])
    producers.append(["STT", "Tên HTX/Doanh nghiệp", "Loại hình", "MST", "Xã", "Tỉnh", "Người đại diện"])
    producers.append(
        [1, "HTX Miến dong Côn Minh", "HTX", tax_code, "con minh", "Thái Nguyên", "Triệu Văn Hải"]
    )
    products = wb.create_sheet("Sản phẩm")
    products.append(["Tên sản phẩm", "Chủ thể", "Bộ sản phẩm", "Xã/phường sản xuất", "Số sao"])
    products.append(
        [
            "Miến dong đỏ Côn Minh",
            "HTX Miến dong Côn Minh",
            "Chế biến từ rau, củ, quả, hạt",
            "Côn Minh",
            "3 sao",
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(page, live_server, output_dir, name: str, data: bytes):
    path = output_dir / name
    path.write_bytes(data)
    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files("form[data-testid=import-form] input[type=file]", str(path))
    page.click("form[data-testid=import-form] button[type=submit]")
    page.wait_for_selector("[data-testid=import-page]")


def test_import_fix_and_find(units_loaded, live_server, page, output_dir):
    make_user("canbo.tinh", "province_officer", THAI_NGUYEN, full_name="Trần Văn Minh")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "canbo.tinh")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # First attempt: the tax code's check digit is wrong. The preview names the row and column.
    upload(page, live_server, output_dir, "danh-sach-loi.xlsx", provincial_list("4700256579"))
    issues = page.inner_text("[data-testid=import-issues]")
    assert "4700256579" in issues and "3" in issues  # row 3 of the sheet
    assert page.locator("[data-testid=import-blocked]").count() == 1
    page.screenshot(path=str(output_dir / "import-error.png"), full_page=True)
    assert not Producer.objects.exists()

    # Fixed file: the preview counts one producer and one product, and the import writes them.
    upload(page, live_server, output_dir, "danh-sach.xlsx", provincial_list("4700256572"))
    assert page.inner_text("[data-testid=producers-new]").strip() == "1"
    assert page.inner_text("[data-testid=products-new]").strip() == "1"
    page.click("form[data-testid=import-confirm] button[type=submit]")
    page.wait_for_selector("[data-testid=import-done]")
    page.screenshot(path=str(output_dir / "import-done.png"), full_page=True)
    product = Product.objects.get()
    assert product.commune.name == "Xã Côn Minh" and product.producer.tax_code == "4700256572"

    # Search without diacritics finds it.
    page.goto(f"{live_server.url}/registry/products/")
    page.fill("[data-testid=filter-form] input[name=q]", "mien dong do con minh")
    page.press("[data-testid=filter-form] input[name=q]", "Enter")
    # The list is filtered in place (htmx): wait for its address and for no request in flight, so
    # that the click below is not undone by a late swap.
    page.wait_for_url(re.compile(r"[?&]q=mien"))
    page.wait_for_function("() => !document.querySelector('[data-testid=filter-form].htmx-request')")
    page.wait_for_selector("[data-testid=object-table] a:has-text('Miến dong đỏ Côn Minh')")
    page.click("[data-testid=object-table] a:has-text('Miến dong đỏ Côn Minh')")
    page.wait_for_url(f"**/registry/products/{product.pk}/")
    assert "HTX Miến dong Côn Minh" in page.inner_text("main, body")
    page.screenshot(path=str(output_dir / "imported-product.png"), full_page=True)
