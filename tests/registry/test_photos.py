"""Product photos: checked by content and size, re-encoded without metadata, served only in scope."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ocop.registry.models import ProductPhoto

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def image_file(fmt="JPEG", size=(1200, 900), name="anh.jpg", exif=True):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    kwargs = {}
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "Camera maker"  # any tag
        kwargs["exif"] = data
    image.save(buffer, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_upload_makes_a_clean_jpeg_and_a_thumbnail(client, province_admin, product):
    client.force_login(province_admin)
    response = client.post(
        f"/registry/products/{product.pk}/photos/",
        {"image": image_file(size=(3000, 2000)), "caption": "Sợi miến"},
    )
    assert response.status_code == 302
    photo = ProductPhoto.objects.get(product=product)
    full = Image.open(photo.image.path)
    thumb = Image.open(photo.thumbnail.path)
    assert full.format == "JPEG" and max(full.size) == 2000 and max(thumb.size) == 480
    assert not full.getexif()
    served = client.get(f"/registry/products/{product.pk}/photos/{photo.pk}/thumb/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg"),
            "không phải là ảnh",
        ),
        (image_file("GIF", name="x.gif"), "GIF"),
    ],
)
def test_files_that_are_not_accepted_photos_are_refused(client, province_admin, product, upload, message):
    client.force_login(province_admin)
    response = client.post(f"/registry/products/{product.pk}/photos/", {"image": upload}, follow=True)
    assert message in response.content.decode()
    assert not ProductPhoto.objects.exists()


def test_too_large_a_file_is_refused(client, province_admin, product, settings):
    settings.OCOP_MAX_PHOTO_MB = 0
    client.force_login(province_admin)
    response = client.post(f"/registry/products/{product.pk}/photos/", {"image": image_file()}, follow=True)
    assert "MB" in response.content.decode() and not ProductPhoto.objects.exists()


def test_photos_are_not_served_out_of_scope(client, province_admin, chodon_officer, product):
    from ocop.registry import services

    photo = services.add_photo(province_admin, product, image_file())
    client.force_login(chodon_officer)
    assert client.get(f"/registry/products/{product.pk}/photos/{photo.pk}/full/").status_code == 404
    assert client.post(f"/registry/products/{product.pk}/photos/{photo.pk}/delete/").status_code == 404
    assert ProductPhoto.objects.filter(pk=photo.pk).exists()
