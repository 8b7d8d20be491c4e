"""Working days: weekends and Vietnam's public holidays (Tết included) do not count."""

import datetime as dt

import pytest

from ocop.programme import services
from ocop.programme.workdays import add_working_days, is_working_day, working_days_between

from .helpers import fill

D = dt.date


def test_tet_2026_and_weekends_do_not_count():
    # Lunar New Year 17/02/2026: the holidays run from its eve (16/02) to 20/02, Monday to Friday.
    for day in (D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20)):
        assert not is_working_day(day)
    assert not is_working_day(D(2026, 2, 14))  # Saturday
    assert not is_working_day(D(2026, 2, 22))  # Sunday
    assert is_working_day(D(2026, 2, 23))
    # Received on Friday 13/02: the 15 working days are 23/02–27/02, 02/03–06/03, 09/03–13/03.
    assert add_working_days(D(2026, 2, 13), 15) == D(2026, 3, 13)
    # Without Tết the same count ends a week earlier.
    assert add_working_days(D(2026, 1, 9), 15) == D(2026, 1, 30)
    assert working_days_between(D(2026, 2, 13), D(2026, 3, 13)) == 15
    assert working_days_between(D(2026, 3, 13), D(2026, 2, 13)) == -15


def test_other_holidays_and_the_weekend_after_receipt():
    # Received Wednesday 29/04/2026: 30/04 and 01/05 are holidays, then the weekend.
    assert add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)
    # Received on a Saturday: the count starts on Monday.
    assert add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)
    # National Day 01–02/09/2026 and the substitute day off of 31/08.
    assert add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)


def test_extra_days_off_and_make_up_saturdays(settings):
    settings.OCOP_EXTRA_DAYS_OFF = ["2026-03-09"]
    settings.OCOP_EXTRA_WORKING_DAYS = ["2026-03-07"]
    assert is_working_day(D(2026, 3, 7)) and not is_working_day(D(2026, 3, 9))
    assert add_working_days(D(2026, 3, 6), 2) == D(2026, 3, 10)


@pytest.mark.django_db
def test_the_commune_deadline_counts_15_working_days_across_tet(owner, product):
    dossier = services.start_dossier(owner, {"product": product, "kind": "first"})
    fill(owner, dossier)
    dossier = services.submit_dossier(owner, dossier, day=D(2026, 2, 13))
    assert dossier.received_on == D(2026, 2, 13)
    assert dossier.commune_deadline == D(2026, 3, 13)
    assert dossier.deadline == D(2026, 3, 13)
    assert not dossier.is_overdue(D(2026, 3, 13))
    assert dossier.is_overdue(D(2026, 3, 14))
