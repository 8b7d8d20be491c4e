import datetime as dt

import pytest

from ocop.evaluation import services as evaluation
from tests.evaluation.helpers import chair, make_council, make_product, make_session, score_to, scorers


@pytest.fixture
def closed_result(province_admin):
    """A 4★ result (members 74, 76, 78) of a Thái Nguyên council session on 20/06/2026."""
    council = make_council(province_admin, members=2)
    product = make_product(province_admin, name="Miến dong Tài Hoan")
    _session, (entry,) = make_session(province_admin, council, [product])
    for user, total in zip(scorers(council), (74, 76, 78), strict=True):
        score_to(user, entry, total)
    return evaluation.close_product(chair(council), entry).result


SIGNED_ON = dt.date(2026, 6, 29)
