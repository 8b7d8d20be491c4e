"""The OCOP cycle end to end in Chromium: a producer files a product idea, the commune accepts it;
a dossier of the product goes through a council session (the evaluation flow) and the producer
downloads its registration form (Mẫu 01) as PDF; the coordination office drafts and records the
recognition decision; the certificate PDF downloads; its QR code, decoded from the PNG, opens the
public verification page, which says valid."""

import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from ocop.certification.models import Certificate
from ocop.programme.models import ProductIdea
from tests.conftest import NA_RI, THAI_NGUYEN
from tests.factories import PASSWORD, make_user
from tests.programme.helpers import make_product, through_council

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_idea_to_verified_certificate(
    units_loaded, criteria_loaded, live_server, page, output_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    office = make_user("vpdp", "province_admin", THAI_NGUYEN, full_name="Nguyễn Thị Hoa")
    officer = make_user("xa.nari", "commune_officer", NA_RI, full_name="Hoàng Văn Đức")
    owner = make_user("htx.taihoan", "producer", NA_RI, full_name="Triệu Thị Hoan")
    product = make_product(office, name="Miến dong Tài Hoan")
    product.producer.accounts.add(owner)
    page.on("dialog", lambda dialog: dialog.accept())

    # The producer files a product idea.
    sign_in(page, live_server, "htx.taihoan")
    page.goto(f"{live_server.url}/programme/ideas/new/")
    form = page.locator("form[data-testid=object-form]")
    form.locator("select[name=producer]").select_option(str(product.producer_id))
    form.locator("input[name=product_name]").fill("Bánh đa dong Côn Minh")
    form.locator("textarea[name=description]").fill("Bánh đa làm từ tinh bột dong riềng của xã.")
    form.locator("button[name=submit]").click()
    page.wait_for_selector("[data-testid=idea-state]")
    idea = ProductIdea.objects.get(product_name="Bánh đa dong Côn Minh")
    assert idea.state == "submitted"

    # The commune officer accepts it.
    sign_in(page, live_server, "xa.nari")
    page.goto(f"{live_server.url}{idea.get_absolute_url()}")
    review = page.locator("[data-testid=idea-review] form")
    review.locator("select[name=decision]").select_option("accept")
    review.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=idea-state]")
    idea.refresh_from_db()
    assert idea.state == "accepted"
    page.screenshot(path=str(output_dir / "idea-accepted.png"), full_page=True)

    # The product's dossier goes through the commune, the province and a council session (76 points).
    dossier = through_council(office, owner, officer, product, total=76, year=2026)
    result = dossier.entry.result
    assert (result.average, result.stars) == (76, 4)

    # The producer downloads the registration form (Mẫu 01) as PDF from the dossier's Documents menu.
    sign_in(page, live_server, "htx.taihoan")
    page.goto(f"{live_server.url}{dossier.get_absolute_url()}")
    page.locator(".dropdown:has([data-testid=doc-mau-01-pdf]) > button").click()
    with page.expect_download() as download:
        page.click("[data-testid=doc-mau-01-pdf]")
    form_pdf = Path(download.value.path()).read_bytes()
    (output_dir / "mau-01.pdf").write_bytes(form_pdf)
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(form_pdf)).pages))
    assert "PHIẾU ĐĂNG KÝ" in text and "Tên sản phẩm: Miến dong Tài Hoan" in text

    # The office drafts the recognition decision and records it as signed.
    sign_in(page, live_server, "vpdp")
    page.goto(f"{live_server.url}/decisions/new/?result={result.pk}")
    assert page.is_checked(f"[data-testid=result-{result.pk}]")
    page.click("form[data-testid=decision-form] button[type=submit]")
    page.wait_for_selector("[data-testid=sign-form]")
    sign = page.locator("form[data-testid=sign-form]")
    sign.locator("input[name=number]").fill("2616/QĐ-UBND")
    sign.locator("input[name=date]").fill("2026-06-29")
    sign.locator("input[name=signer_name]").fill("Nông Quang Nhất")
    sign.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=issued-certificates]")
    certificate = Certificate.objects.get(result=result)
    assert (certificate.stars, certificate.issued_on) == (4, dt.date(2026, 6, 29))

    # The certificate downloads as PDF; its QR code opens the verification page, which says valid.
    page.click("[data-testid=issued-certificates] a")
    page.wait_for_selector("[data-testid=certificate-status]")
    page.screenshot(path=str(output_dir / "certificate.png"), full_page=True)
    pdf_url = page.get_attribute("[data-testid=certificate-pdf]", "href")
    pdf = page.request.get(f"{live_server.url}{pdf_url}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    (output_dir / "giay-chung-nhan.pdf").write_bytes(pdf.body())
    png = page.request.get(f"{live_server.url}{page.get_attribute('[data-testid=certificate-qr]', 'href')}")
    (decoded,) = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(png.body())), formats=zxingcpp.BarcodeFormat.QRCode
    )
    scanned = urlsplit(decoded.text)
    page.context.clear_cookies()  # anyone scanning the label, not signed in
    page.goto(f"{live_server.url}{scanned.path}?{scanned.query}")
    assert page.get_attribute("[data-testid=verify-status]", "data-status") == "valid"
    assert page.is_visible("[data-testid=label-authentic]")
    assert "Miến dong Tài Hoan" in page.inner_text("[data-testid=verify-product]")
    page.screenshot(path=str(output_dir / "verified.png"), full_page=True)
