"""Rules as data: the shipped criteria sets, the star bands, and refusal of malformed sheets."""

import copy
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ocop.evaluation.loader import DATA, load_criteria, sheet_1048_fresh_produce
from ocop.evaluation.models import Criterion, RuleVersion, ScoreSheet
from ocop.evaluation.sheets import check_sheet, import_sheet

pytestmark = pytest.mark.django_db


def rule(code="26-2026"):
    return RuleVersion.objects.get(code=code)


def sheet_data(number=1):
    return copy.deepcopy(
        json.loads((DATA / "26-2026-bo-tieu-chi.json").read_text(encoding="utf-8"))[number - 1]
    )


def test_every_26_2026_sheet_reaches_40_25_35_exactly():
    sheets = ScoreSheet.objects.filter(rule_version__code="26-2026")
    assert sheets.count() == 26
    for sheet in sheets.prefetch_related("parts"):
        assert {p.code: p.attainable for p in sheet.parts.all()} == {
            "A": Decimal(40),
            "B": Decimal(25),
            "C": Decimal(35),
        }, sheet.name
        assert sheet.discrepancies == []
        assert sheet.product_set.scheme.code == "26-2026"


def test_each_scored_criterion_takes_one_option_and_maxima_add_up():
    for criterion in Criterion.objects.filter(sheet__rule_version__code="26-2026").prefetch_related(
        "options", "children"
    ):
        if criterion.is_scorable:
            assert criterion.max_score == max(o.points for o in criterion.options.all())
        else:
            assert criterion.max_score == sum(c.max_score for c in criterion.children.all())


def test_the_1048_sheet_is_kept_with_its_discrepancy_shown():
    sheet = ScoreSheet.objects.get(rule_version__code="1048-2019")
    parts = {p.code: (p.max_score, p.attainable) for p in sheet.parts.all()}
    assert parts["A"] == (Decimal(35), Decimal(36))
    assert parts["B"] == (Decimal(25), Decimal(25)) and parts["C"] == (Decimal(40), Decimal(40))
    assert any("36" in d for d in sheet.discrepancies)
    sub = Criterion.objects.get(sheet=sheet, label__startswith="Sự tham gia của cộng đồng", is_scorable=False)
    assert sub.children.count() == 2  # two sub-questions whose points add up


def test_loading_again_changes_nothing():
    before = ScoreSheet.objects.count(), Criterion.objects.count()
    load_criteria()
    assert (ScoreSheet.objects.count(), Criterion.objects.count()) == before


@pytest.mark.parametrize(
    ("score", "stars"),
    [(0, 1), (29.99, 1), (30, 2), (49.99, 2), (50, 3), (69.99, 3), (70, 4), (89.99, 4), (90, 5), (100, 5)],
)
def test_star_band_boundaries(score, stars):
    assert rule().stars_for(Decimal(str(score))) == stars


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_bands_are_monotonic_and_cover_0_to_100(score):
    r = RuleVersion(
        star_bands=[
            {"stars": 5, "min": 90},
            {"stars": 4, "min": 70},
            {"stars": 3, "min": 50},
            {"stars": 2, "min": 30},
            {"stars": 1, "min": 0},
        ]
    )
    stars = r.stars_for(score)
    assert 1 <= stars <= 5
    assert r.stars_for(score + Decimal("0.01")) >= stars


def test_a_changed_sheet_is_a_new_version_and_the_old_one_stays():
    data = sheet_data(1)
    option = data["sections"][0]["criteria"][0]["children"][0]["options"][0]
    option["label"] = option["label"] + " (sửa lỗi chính tả)"
    old = ScoreSheet.objects.get(rule_version__code="26-2026", code=data["code"])
    new = import_sheet(rule(), data, name="Rau, củ, quả, hạt tươi")
    old.refresh_from_db()
    assert (new.version, old.superseded_by) == (2, new)
    assert Criterion.objects.filter(sheet=old).count() == Criterion.objects.filter(sheet=new).count()


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        # the expected text names the number or the part, whatever the language
        (lambda d: d["sections"][0]["criteria"][0]["children"][0]["options"][2].update(points=4.0), " 41 "),
        (lambda d: d["sections"][0].update(max_score=45), "45"),
        (lambda d: d["sections"].pop(), " C"),
        (lambda d: d["sections"][0]["criteria"][0]["children"][0].update(options=[]), "A 1.1"),
        (lambda d: d["sections"][0].update(code="D"), " D "),
        (lambda d: d.update(code=""), "code"),
    ],
)
def test_malformed_sheets_are_refused_with_the_difference_shown(mutate, expected):
    data = sheet_data(11)
    mutate(data)
    before = ScoreSheet.objects.count()
    with pytest.raises(ValidationError) as exc:
        import_sheet(rule(), data, name="x")
    if expected == "code":
        assert "code" in exc.value.message_dict
    else:
        assert any(expected in f" {m} " for m in exc.value.messages), exc.value.messages
    assert ScoreSheet.objects.count() == before


def test_the_1048_tree_is_checked_like_any_other():
    check = check_sheet(rule("1048-2019"), sheet_1048_fresh_produce())
    assert check.problems == [] and check.attainable["A"] == Decimal(36)
