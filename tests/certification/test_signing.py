"""Signed QR labels: valid, tampered, truncated, wrong key, rotated key; the certificate PDF is the
same each time and its QR, decoded from the image, opens a page saying valid."""

import datetime as dt
import io
import json
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader

from ocop.certification import documents, services, signing
from ocop.certification.models import Certificate
from tests.evaluation.helpers import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(province_admin):
    product = make_product(province_admin, name="Miến dong Tài Hoan")
    return services.record_certificate(
        province_admin,
        product,
        {"stars": 4, "decision_number": "2616/QĐ-UBND", "issued_on": dt.date(2025, 1, 10)},
    )


def test_a_label_verifies_and_is_the_same_each_time(certificate):
    url = signing.label_url(certificate)
    assert url == signing.label_url(Certificate.objects.get(pk=certificate.pk))  # deterministic
    check = signing.check_label(url)
    assert check.ok and check.fields == signing.LabelFields.of(certificate)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda u: u.replace("&n=4&", "&n=5&"), "bad_signature"),  # stars raised
        (lambda u: u.replace("t=20280109", "t=20300109"), "bad_signature"),  # validity stretched
        (lambda u: u[: u.index("&sig=") + 20], "malformed"),  # truncated
        (lambda u: u.split("?")[0], "malformed"),  # no fields at all
        (lambda u: "https://example.com/not-a-label", "malformed"),
    ],
)
def test_a_tampered_or_truncated_label_is_never_valid(certificate, change, reason):
    check = signing.check_label(change(signing.label_url(certificate)))
    assert not check.ok and check.reason == reason


def test_a_label_signed_with_another_key_fails(certificate, tmp_path, settings):
    url = signing.label_url(certificate)
    key_id = signing.check_label(url).key_id
    settings.OCOP_SIGNING_KEYS_DIR = str(tmp_path / "other")
    signing.create_key("kother-0001")
    other_keys = signing.public_keys()
    assert signing.check_label(url, other_keys).reason == "unknown_key"
    forged = {key_id: other_keys["kother-0001"]}  # the right id, someone else's key
    assert signing.check_label(url, forged).reason == "bad_signature"


def test_rotation_keeps_old_labels_verifiable(certificate, province_admin, capsys):
    old_url = signing.label_url(certificate)
    call_command("signing-key", "rotate")
    new = services.record_certificate(
        province_admin,
        make_product(province_admin, name="Chè Shan tuyết"),
        {"stars": 3, "decision_number": "9/QĐ", "issued_on": dt.date(2025, 5, 5)},
    )
    assert new.signing_key != certificate.signing_key
    assert signing.check_label(old_url).ok and signing.check_label(signing.label_url(new)).ok
    assert signing.label_url(certificate) == old_url  # regenerated with its own key
    published = {k["id"] for k in signing.published_keys()["keys"]}
    assert {certificate.signing_key, new.signing_key} <= published


def test_ocop_verify_offline(certificate, tmp_path, capsys):
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(signing.published_keys()))
    call_command("verify", signing.label_url(certificate), "--keys", str(keys))
    assert "AUTHENTIC" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        call_command("verify", signing.label_url(certificate).replace("&n=4&", "&n=5&"), "--keys", str(keys))
    assert exc.value.code == 1 and "NOT AUTHENTIC" in capsys.readouterr().out


def test_the_pdf_is_identical_each_time_and_its_qr_opens_a_valid_page(certificate, client):
    first = documents.certificate_pdf(certificate)
    assert first.startswith(b"%PDF") and first == documents.certificate_pdf(
        Certificate.objects.get(pk=certificate.pk)
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(first)).pages)
    for words in ("GIẤY CHỨNG NHẬN", "Miến dong Tài Hoan", "4 sao", "09/01/2028"):
        assert words in text, words
    # QR only: a label's modules can also read, by chance, as a one-dimensional Codabar (a label
    # signed on 03/12/2026 gave 'D$:B' besides its URL); a phone's camera app looks for QR codes.
    decoded = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(documents.qr_png(certificate))), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert [d.text for d in decoded] == [signing.label_url(certificate)]
    parts = urlsplit(decoded[0].text)
    path = f"{parts.path}?{parts.query}"
    page = client.get(path)
    body = page.content.decode()
    assert (
        page.status_code == 200 and 'data-status="valid"' in body and 'data-testid="label-authentic"' in body
    )
    assert "Miến dong Tài Hoan" in body
    forged = client.get(path.replace("&n=4&", "&n=5&")).content.decode()
    assert 'data-testid="label-invalid"' in forged


def test_the_verify_page_shows_revocation_and_hides_internal_fields(certificate, client, province_admin):
    certificate.product.producer.phone = "0912345678"
    certificate.product.producer.tax_code = "4700256572"
    certificate.product.producer.save()
    services.revoke(
        province_admin,
        certificate,
        {"ground": "mark_misuse", "decision_number": "77/QĐ-UBND", "decision_date": dt.date(2026, 3, 1)},
    )
    body = client.get(f"/verify/{certificate.public_id}/").content.decode()
    assert 'data-status="revoked"' in body and "01/03/2026" in body
    assert "0912345678" not in body and "4700256572" not in body
    assert client.get("/verify/AAAAAAAAAAAA/").status_code == 404
    assert client.get("/verify/not-an-id/").status_code == 404


def test_api_lists_in_scope_and_checks_labels_without_login(
    certificate, client, province_admin, chodon_officer
):
    client.force_login(province_admin)
    items = client.get("/api/v1/certification/certificates").json()["items"]
    assert [i["public_id"] for i in items] == [certificate.public_id] and items[0]["status"] == "valid"
    client.force_login(chodon_officer)
    assert client.get("/api/v1/certification/certificates").json()["items"] == []
    client.logout()
    good = client.post(
        "/api/v1/certification/labels/check",
        json.dumps({"text": signing.label_url(certificate)}),
        content_type="application/json",
    ).json()
    assert good == {"authentic": True, "reason": "", "public_id": certificate.public_id, "status": "valid"}
    bad = client.post(
        "/api/v1/certification/labels/check",
        json.dumps({"text": signing.label_url(certificate).replace("&n=4&", "&n=3&")}),
        content_type="application/json",
    ).json()
    assert bad["authentic"] is False and bad["reason"] == "bad_signature"


def test_rotation_keeps_the_labels_of_certificates_without_a_recorded_key(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(signing_key="")  # e.g. loaded in bulk
    before = signing.label_url(Certificate.objects.get(pk=certificate.pk))
    call_command("signing-key", "rotate")
    after = Certificate.objects.get(pk=certificate.pk)
    assert after.signing_key and signing.label_url(after) == before
