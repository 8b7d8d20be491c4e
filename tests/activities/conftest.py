import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OCOP_SITE_URL = "https://ocop.example.gov.vn"


@pytest.fixture
def client(client):
    """The screens in English (their msgids), as chosen with the language switcher."""
    client.cookies["django_language"] = "en"
    return client
