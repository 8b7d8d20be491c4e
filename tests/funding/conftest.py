import pytest

from tests.conftest import NA_RI
from tests.factories import make_user
from tests.programme.helpers import make_product


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def product(province_admin):
    return make_product(province_admin)


@pytest.fixture
def owner(product):
    user = make_user("htx.taihoan", "producer", NA_RI)
    product.producer.accounts.add(user)
    return user
