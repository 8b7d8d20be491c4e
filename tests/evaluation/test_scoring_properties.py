"""Property-based tests of the scoring arithmetic (ocop.evaluation.scoring).

Synthetic sheets (random trees of groups and scored criteria, random points) check the arithmetic
in general; one test walks every shipped sheet with random answers. The star-band tests here call
`scoring.stars_for` directly on the bands the loader ships (test_criteria checks the rule version's
own method)."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ocop.evaluation.loader import BANDS
from ocop.evaluation.scoring import (
    MinimumFailure,
    Node,
    SheetTree,
    average,
    award,
    criterion_points,
    round2,
    spread_check,
    stars_for,
    tally,
)

FAST = settings(max_examples=100, deadline=None, database=None)


def dec2(lo, hi):
    return st.decimals(min_value=lo, max_value=hi, places=2, allow_nan=False, allow_infinity=False)


# --- synthetic sheets ----------------------------------------------------------------------------


@st.composite
def sheets(draw) -> SheetTree:
    """Three parts; each a few top-level nodes; a node is a scored criterion (1–5 options) or a
    group of 1–3 nodes (at most three levels deep). Ids and option ids are unique."""
    ids = iter(range(1, 10_000))
    option_ids = iter(range(10_001, 99_999))
    nodes: list[Node] = []
    parts: dict[str, Decimal] = {}

    def add(part: str, parent: int | None, code: str, depth: int) -> Decimal:
        node_id = next(ids)
        if depth < 2 and draw(st.booleans()):
            index = len(nodes)
            nodes.append(None)  # keep sheet order: the group before its children
            best = sum(
                (add(part, node_id, f"{code}.{k}", depth + 1) for k in range(1, draw(st.integers(1, 3)) + 1)),
                Decimal(0),
            )
            nodes[index] = Node(node_id, code, f"group {code}", part, parent, False, best)
            return best
        points = draw(st.lists(dec2(0, 10), min_size=1, max_size=5))
        options = tuple((next(option_ids), f"option {i}", p) for i, p in enumerate(points, start=1))
        nodes.append(Node(node_id, code, f"criterion {code}", part, parent, True, max(points), "", options))
        return max(points)

    number = 0
    for part in "ABC":
        total = Decimal(0)
        for _ in range(draw(st.integers(1, 4))):
            number += 1
            total += add(part, None, str(number), 0)
        parts[part] = total
    return SheetTree(parts=parts, part_titles={p: p for p in parts}, nodes=nodes)


@st.composite
def sheet_and_answers(draw):
    """A sheet and one member's answers: per scored criterion an option, None, or nothing."""
    tree = draw(sheets())
    answers: dict[int, int | None] = {}
    for node in tree.scorable:
        kind = draw(st.sampled_from(["option", "option", "none", "absent"]))
        if kind == "option":
            answers[node.id] = draw(st.sampled_from([o[0] for o in node.options]))
        elif kind == "none":
            answers[node.id] = None
    return tree, answers


def chosen_points(tree: SheetTree, answers) -> dict[int, Decimal]:
    """Independently of the engine: criterion id → points of its chosen option."""
    out = {}
    for node in tree.scorable:
        option_id = answers.get(node.id)
        if option_id is not None:
            out[node.id] = next(o[2] for o in node.options if o[0] == option_id)
    return out


@FAST
@given(sheet_and_answers())
def test_a_tally_is_the_sum_of_its_parts_and_of_the_chosen_points(case):
    tree, answers = case
    result = tally(tree, answers)
    chosen = chosen_points(tree, answers)
    assert set(result.parts) == set(tree.parts)  # every part reported, even when nothing is answered
    assert result.total == sum(result.parts.values(), Decimal(0))
    assert result.total == sum(chosen.values(), Decimal(0))
    for part in tree.parts:
        in_part = [n.id for n in tree.scorable if n.part == part]
        assert result.parts[part] == sum((chosen.get(i, Decimal(0)) for i in in_part), Decimal(0))


@FAST
@given(sheet_and_answers())
def test_a_tally_never_exceeds_the_attainable_maxima(case):
    tree, answers = case
    result = tally(tree, answers)
    for part in tree.parts:
        attainable = sum((max(o[2] for o in n.options) for n in tree.scorable if n.part == part), Decimal(0))
        assert Decimal(0) <= result.parts[part] <= attainable
        assert attainable == tree.parts[part]  # the synthetic sheet declares what it attains
    assert result.total <= sum(tree.parts.values(), Decimal(0))


@FAST
@given(sheet_and_answers())
def test_open_criteria_are_exactly_those_without_an_answer(case):
    tree, answers = case
    result = tally(tree, answers)
    expected = tuple(n.id for n in tree.scorable if answers.get(n.id) is None)
    assert result.open == expected  # in sheet order
    assert result.answered == len(tree.scorable) - len(expected)
    assert result.complete is (not expected)


@FAST
@given(sheet_and_answers())
def test_criterion_points_add_up_the_tree(case):
    tree, answers = case
    chosen = chosen_points(tree, answers)
    points = criterion_points(tree, answers)
    result = tally(tree, answers)
    for node in tree.nodes:
        if node.is_scorable:
            assert points[node.code] == chosen.get(node.id, Decimal(0))
        else:
            children = [n for n in tree.nodes if n.parent_id == node.id]
            assert points[node.code] == sum((points[c.code] for c in children), Decimal(0))
    for part in tree.parts:
        top = [n for n in tree.nodes if n.parent_id is None and n.part == part]
        assert sum((points[n.code] for n in top), Decimal(0)) == result.parts[part]


@FAST
@given(sheets(), st.data())
def test_an_option_of_another_criterion_is_refused(tree, data):
    assume(len(tree.scorable) >= 2)
    target, other = data.draw(st.permutations(tree.scorable))[:2]
    foreign = data.draw(st.sampled_from([o[0] for o in other.options]))
    with pytest.raises(ValueError):
        tally(tree, {target.id: foreign})
    with pytest.raises(ValueError):
        tally(tree, {target.id: 10**9})  # not an option of the sheet at all
    with pytest.raises(ValueError):
        tally(tree, {10**9: foreign})  # a criterion that is not on the sheet


# --- the council's average -----------------------------------------------------------------------


def half_up_2(value: Fraction) -> Decimal:
    """Exact half-up rounding to two decimals of a non-negative rational."""
    hundredths = math.floor(value * 100 + Fraction(1, 2))
    return Decimal(hundredths) / 100


@FAST
@given(st.lists(dec2(0, 100), min_size=1, max_size=25))
def test_average_is_the_half_up_two_decimal_mean(values):
    exact = sum((Fraction(v) for v in values), Fraction(0)) / len(values)
    result = average(values)
    assert result == half_up_2(exact)
    assert result.as_tuple().exponent == -2  # always printed with two decimals
    assert min(values) <= result <= max(values)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["70", "70", "69"], "69.67"),  # 69.666…
        (["70", "69"], "69.50"),
        (["89.99", "90.00"], "90.00"),  # 89.995 rounds half up
        (["50.01", "50.00", "50.00"], "50.00"),  # 50.00333…
        (["0.01", "0"], "0.01"),  # 0.005 rounds half up, not to even
        (["0.03", "0"], "0.02"),  # 0.015: half up (banker's rounding would give 0.02 too)
        (["0.05", "0"], "0.03"),  # 0.025: half up (banker's rounding would give 0.02)
    ],
)
def test_average_rounding_examples(values, expected):
    assert average(Decimal(v) for v in values) == Decimal(expected)


def test_average_of_nothing_is_refused():
    with pytest.raises(ValueError):
        average([])
    assert round2(Decimal("2.675")) == Decimal("2.68")


# --- star bands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "stars"),
    [
        ("0", 1),
        ("0.00", 1),
        ("29.99", 1),
        ("30", 2),
        ("30.00", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("70.00", 4),
        ("89.99", 4),
        ("90", 5),
        ("90.00", 5),
        ("100", 5),
    ],
)
def test_every_band_boundary(score, stars):
    assert stars_for(BANDS, Decimal(score)) == stars


def test_bands_on_every_score_of_the_scale_are_monotonic_and_match_article_3():
    """All 10,001 scores 0.00 … 100.00: the band is the one Điều 3.3 gives, and never drops."""
    previous = 0
    for hundredths in range(0, 10_001):
        score = Decimal(hundredths) / 100
        stars = stars_for(BANDS, score)
        expected = 5 if score >= 90 else 4 if score >= 70 else 3 if score >= 50 else 2 if score >= 30 else 1
        assert stars == expected, score
        assert stars >= previous
        previous = stars


@FAST
@given(dec2(0, 100), st.randoms(use_true_random=False))
def test_bands_do_not_depend_on_their_order(score, rnd: random.Random):
    shuffled = list(BANDS)
    rnd.shuffle(shuffled)
    assert stars_for(shuffled, score) == stars_for(BANDS, score)


# --- spread --------------------------------------------------------------------------------------


def exact_median(values) -> Fraction:
    ordered = sorted(Fraction(v) for v in values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


@FAST
@given(st.lists(dec2(0, 100), min_size=1, max_size=25), dec2(0, 20))
def test_spread_ok_iff_max_minus_min_within_allowed(totals, allowed):
    result = spread_check(totals, allowed)
    assert result.spread == max(totals) - min(totals)
    assert result.allowed == allowed
    assert result.ok is (max(totals) - min(totals) <= allowed)
    if result.ok:
        assert result.outliers == ()


@FAST
@given(st.lists(dec2(0, 100), min_size=2, max_size=25), dec2(0, 20))
def test_outliers_when_the_spread_is_exceeded(totals, allowed):
    assume(max(totals) - min(totals) > allowed)
    result = spread_check(totals, allowed)
    assert not result.ok
    assert result.outliers, "someone must be named"
    assert list(result.outliers) == sorted(set(result.outliers))
    assert all(0 <= i < len(totals) for i in result.outliers)
    extremes = {i for i, t in enumerate(totals) if t in (min(totals), max(totals))}
    assert extremes & set(result.outliers), "at least one extreme is named"
    median = exact_median(totals)
    half = Fraction(allowed) / 2
    for i in result.outliers:
        assert abs(Fraction(totals[i]) - median) > half, "a member within allowed/2 of the median is named"


@pytest.mark.parametrize(
    ("totals", "allowed", "outliers"),
    [
        (["60", "62", "75"], "10", (2,)),  # median 62: 75 is 13 away, 60 only 2
        (["60", "70.01"], "10", (0, 1)),  # two members: both 5.005 from their median
        (["60", "70"], "10", ()),  # exactly the allowed spread is fine
        (["50", "55", "55", "56", "90"], "10", (4,)),
    ],
)
def test_spread_examples(totals, allowed, outliers):
    assert spread_check([Decimal(t) for t in totals], Decimal(allowed)).outliers == outliers


def test_no_totals_no_spread():
    result = spread_check([], Decimal(10))
    assert result.ok and result.outliers == () and result.spread == 0


# --- award: the band and the per-star minimum criteria --------------------------------------------

CODES = ["1.1", "1.5", "2.3", "6.2", "9"]

minimums_st = st.lists(
    st.fixed_dictionaries(
        {
            "stars": st.integers(1, 5),
            "criterion": st.sampled_from(CODES),
            "min_points": st.one_of(dec2(0, 5), st.integers(0, 5), st.sampled_from(["1", "2.5"])),
        }
    ),
    max_size=6,
)
means_st = st.dictionaries(st.sampled_from(CODES), st.decimals(0, 5, places=4), max_size=len(CODES))


@FAST
@given(dec2(0, 100), minimums_st, means_st)
def test_award_follows_the_band_and_the_lowest_failed_minimum(score, minimums, means):
    band, awarded, failures = award(BANDS, score, minimums, means)
    assert band == stars_for(BANDS, score)
    assert 0 <= awarded <= band
    expected = sorted(
        (
            MinimumFailure(
                int(m["stars"]),
                m["criterion"],
                Decimal(str(m["min_points"])),
                means.get(m["criterion"], Decimal(0)),  # a criterion nobody scored counts as 0
            )
            for m in minimums
            if m["stars"] <= band and means.get(m["criterion"], Decimal(0)) < Decimal(str(m["min_points"]))
        ),
        key=lambda f: (f.stars, f.criterion),
    )
    assert failures == expected
    if failures:
        assert awarded == max(min(f.stars for f in failures) - 1, 0)
    else:
        assert awarded == band


@FAST
@given(dec2(0, 100), minimums_st, means_st)
def test_minimums_above_the_band_are_ignored_and_no_minimums_means_the_band(score, minimums, means):
    band, awarded, failures = award(BANDS, score, minimums, means)
    within = [m for m in minimums if m["stars"] <= band]
    assert award(BANDS, score, within, means) == (band, awarded, failures)
    impossible = [{"stars": s, "criterion": "1.1", "min_points": 1000} for s in range(band + 1, 6)]
    assert award(BANDS, score, minimums + impossible, means) == (band, awarded, failures)
    assert award(BANDS, score, [], means) == (band, band, [])


@FAST
@given(
    dec2(0, 100), minimums_st, means_st, st.dictionaries(st.sampled_from(CODES), st.decimals(0, 3, places=2))
)
def test_better_criterion_levels_never_lower_the_award(score, minimums, means, gains):
    better = dict(means)
    for code, gain in gains.items():
        better[code] = better.get(code, Decimal(0)) + gain
    assert award(BANDS, score, minimums, better)[1] >= award(BANDS, score, minimums, means)[1]


def test_award_examples():
    four_star = [{"stars": 4, "criterion": "1.5", "min_points": 2}]
    assert award(BANDS, Decimal("72.00"), four_star, {"1.5": Decimal(0)})[:2] == (4, 3)
    assert award(BANDS, Decimal("72.00"), four_star, {"1.5": Decimal(2)})[:2] == (4, 4)
    assert award(BANDS, Decimal("69.99"), four_star, {"1.5": Decimal(0)}) == (3, 3, [])
    # failing both a 3★ and a 4★ minimum on a 5★ score leaves 2★ (no certificate)
    both = [*four_star, {"stars": 3, "criterion": "9", "min_points": 2}]
    assert award(BANDS, Decimal("95"), both, {})[:2] == (5, 2)


# --- every shipped sheet, random answers ---------------------------------------------------------

_TREES: dict[str, SheetTree] = {}


def shipped_trees() -> dict[str, SheetTree]:
    if not _TREES:
        from ocop.evaluation.models import ScoreSheet

        for sheet in ScoreSheet.objects.select_related("rule_version").order_by("pk"):
            _TREES[f"{sheet.rule_version.code}/{sheet.code}/v{sheet.version}"] = SheetTree.load(sheet)
    return _TREES


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_every_shipped_sheet_tallies_random_answers_within_its_maxima(data):
    trees = shipped_trees()
    assert len(trees) == 27  # 26 sheets of 26/2026 and the 1048 fresh-produce sheet
    name = data.draw(st.sampled_from(sorted(trees)))
    tree = trees[name]
    answers = {
        n.id: data.draw(st.one_of(st.none(), st.sampled_from([o[0] for o in n.options])))
        for n in tree.scorable
    }
    result = tally(tree, answers)
    chosen = chosen_points(tree, answers)
    assert result.total == sum(chosen.values(), Decimal(0))
    if name.startswith("26-2026/"):
        assert {p: result.parts[p] <= tree.parts[p] for p in tree.parts} == dict.fromkeys(tree.parts, True)
        assert result.total <= 100
        points = criterion_points(tree, answers)
        for part in tree.parts:
            top = [n for n in tree.nodes if n.parent_id is None and n.part == part]
            assert sum((points[n.code] for n in top), Decimal(0)) == result.parts[part], name
    else:  # 1048: part A attains 36 against the 35 it declares (kept as found)
        assert result.parts["A"] <= 36 and result.parts["B"] <= 25 and result.parts["C"] <= 40
