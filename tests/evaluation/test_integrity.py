"""Integrity of the evaluation: concurrent members on PostgreSQL lose nothing and give one correct
result; every score change is audited; a scorecard and a result keep the sheet version they used.

The concurrency tests use real connections (one per thread, released together by a barrier) and
run on PostgreSQL only; SQLite serialises writers itself and has no row locks to exercise."""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from ocop.audit import services as audit
from ocop.audit.models import AuditChainHead, AuditEvent
from ocop.evaluation import services
from ocop.evaluation.loader import DATA
from ocop.evaluation.models import Answer, EvaluationResult, RuleVersion, Scorecard, ScoreSheet
from ocop.evaluation.scoring import SheetTree, tally
from ocop.evaluation.sheets import import_sheet
from tests.conftest import THAI_NGUYEN
from tests.factories import make_user

from .golden_helpers import (
    answers_reaching,
    build_council,
    chair_of,
    enter,
    open_session,
    run_together,
    scoring_users,
)
from .helpers import make_product

D = Decimal

ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="concurrency needs real row locks and concurrent connections: run with DATABASE_URL on PostgreSQL",
)


def events(card, action="score"):
    return AuditEvent.objects.filter(
        action=action, object_type="evaluation.scorecard", object_id=str(card.pk)
    ).order_by("seq")


def stored_tally(card):
    """The totals recomputed from the answers stored for the card, on the card's own sheet."""
    tree = SheetTree.load(card.sheet)
    return tally(tree, dict(Answer.objects.filter(scorecard=card).values_list("criterion_id", "option_id")))


# =================================================================================================
# (a) Concurrency (PostgreSQL)
# =================================================================================================


@pytest.fixture
def office(transactional_db, units_loaded):
    """The province's coordination office, in a transactional test. Transactional tests empty every
    table when they end: the score sheets are loaded again if a previous one did (the units come
    from `units_loaded`; roles and classifications are synced after the flush by post_migrate)."""
    from ocop.evaluation.loader import load_criteria

    if not ScoreSheet.objects.exists():
        load_criteria()
    return make_user("tn.office", "province_admin", THAI_NGUYEN)


def fill(user, card, plan, tree):
    """A job: the member saves every answer of their (already opened) scorecard."""

    def job():
        for criterion_id, option_id in plan.items():
            services.save_answer(user, card, criterion_id, option_id, tree=tree)

    return job


def open_cards(entry, users):
    """Each member opens their scorecard, one after the other (opening a scorecard while others save
    answers on the same product can deadlock: see test_opening_a_scorecard_or_adding_a_product_…)."""
    return [services.scorecard_for(u, entry) for u in users]


ORNAMENTAL_FISH = "25"  # Động vật cảnh: the smallest 26/2026 sheet (25 criteria) keeps the runs short


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_members_fill_and_submit_at_the_same_moment_and_one_result(office):
    council = build_council(office, 20, chair_scores=False)  # 20 scoring members and a chair
    product = make_product(office, "Cá chép Koi Hồ Núi Cốc", set_code=ORNAMENTAL_FISH)
    _session, (entry,) = open_session(office, council, [product])
    tree = SheetTree.load(entry.sheet)
    users = scoring_users(council)
    assert len(users) == 20 and chair_of(council) not in users
    targets = [65 + i % 10 for i in range(20)]  # 65 … 74 twice
    plans = [answers_reaching(tree, t) for t in targets]

    # 1. The twenty open their scorecards, then all fill them in at the same moment.
    cards = open_cards(entry, users)
    outcomes = run_together(fill(u, c, p, tree) for u, c, p in zip(users, cards, plans, strict=True))
    assert [kind for kind, _ in outcomes] == ["ok"] * 20, [v for k, v in outcomes if k == "error"]
    assert Scorecard.objects.filter(entry=entry).count() == 20
    n = len(tree.scorable)
    for card, target in zip(cards, targets, strict=True):
        card.refresh_from_db()
        assert Answer.objects.filter(scorecard=card).count() == n
        assert (card.total, card.answered, card.state) == (D(target), n, "draft")
        recomputed = stored_tally(card)
        assert recomputed.total == card.total
        assert {k: D(v) for k, v in card.part_totals.items()} == recomputed.parts
        assert events(card).count() == n  # one audited event per answer
        assert events(card, "create").count() == 1

    # 2. All twenty submit at the same moment.
    outcomes = run_together(
        (lambda u=u, c=c: services.submit_scorecard(u, c)) for u, c in zip(users, cards, strict=True)
    )
    assert [kind for kind, _ in outcomes] == ["ok"] * 20, [v for k, v in outcomes if k == "error"]
    assert Scorecard.objects.filter(entry=entry, state="submitted").count() == 20
    for card in cards:
        assert [e.changes["total"][1] for e in events(card, "submit")] == [str(card.total)]

    # 3. The chair presses "close" three times at once (two tabs and a double click).
    chair = chair_of(council)
    outcomes = run_together([lambda: services.close_product(chair, entry)] * 3)
    assert Counter(kind for kind, _ in outcomes) == {"ok": 1, "error": 2}
    assert all(isinstance(v, ValidationError) for k, v in outcomes if k == "error")
    assert EvaluationResult.objects.filter(entry=entry).count() == 1
    result = EvaluationResult.objects.get(entry=entry)
    # 2 × (65 + 66 + … + 74) / 20 = 2 × 695 / 20 = 1390 / 20 = 69.50
    assert result.average == D("69.50")
    assert sorted(D(m["total"]) for m in result.member_totals) == sorted(D(t) for t in targets)
    assert (result.spread, result.band_stars, result.stars) == (D(9), 3, 3)
    assert AuditEvent.objects.filter(action="close", object_type="evaluation.sessionproduct").count() == 1
    assert audit.verify().ok


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_one_card_and_the_last_submission_racing_the_close(office):
    council = build_council(office, 3)
    chair, first, last = scoring_users(council)
    products = [make_product(office, f"Cá cảnh Bản Thi {i}", set_code=ORNAMENTAL_FISH) for i in range(4)]
    _session, (entry, *raced) = open_session(office, council, products)
    tree = SheetTree.load(entry.sheet)

    # --- Two threads answer the same criterion differently at the same moment: one answer stays,
    # the card's total is that answer's points, and the audit tells both changes in order.
    card = services.scorecard_for(first, entry)
    one, two, *rest = [n for n in tree.scorable if len({o[2] for o in n.options}) >= 2]
    low, high = min(one.options, key=lambda o: o[2]), max(one.options, key=lambda o: o[2])
    outcomes = run_together(
        [
            lambda: services.save_answer(first, card, one.id, low[0], tree=tree),
            lambda: services.save_answer(first, card, one.id, high[0], tree=tree),
        ]
    )
    assert [k for k, _ in outcomes] == ["ok", "ok"], outcomes
    answer = Answer.objects.get(scorecard=card, criterion_id=one.id)
    assert answer.option_id in (low[0], high[0])
    kept, overwritten = (low, high) if answer.option_id == low[0] else (high, low)
    card.refresh_from_db()
    assert (card.total, card.answered) == (kept[2], 1)
    trail = [[D(x) if x is not None else None for x in e.changes[one.code]] for e in events(card)]
    assert trail == [[None, overwritten[2]], [overwritten[2], kept[2]]]

    # Two threads save the same option of another criterion: one answer, one audited event (the
    # second save changes nothing and writes nothing).
    same = max(two.options, key=lambda o: o[2])
    outcomes = run_together([lambda: services.save_answer(first, card, two.id, same[0], tree=tree)] * 2)
    assert [k for k, _ in outcomes] == ["ok", "ok"], outcomes
    assert Answer.objects.filter(scorecard=card, criterion_id=two.id).count() == 1
    assert len([e for e in events(card) if two.code in e.changes]) == 1

    # Ten threads answer ten other criteria of the card at once: no answer and no point is lost.
    ten = rest[:10]
    outcomes = run_together(
        (lambda n=n: services.save_answer(first, card, n.id, n.options[-1][0], tree=tree)) for n in ten
    )
    assert [k for k, _ in outcomes] == ["ok"] * 10, outcomes
    card.refresh_from_db()
    assert card.answered == 12
    assert card.total == kept[2] + same[2] + sum(n.options[-1][2] for n in ten)
    assert stored_tally(card).total == card.total
    assert events(card).count() == 2 + 1 + 10

    # --- The last submission races the chair's close, on three products: either the close is
    # refused (not everyone has submitted) or it counts the submission, never a result that misses
    # a submitted scorecard.
    targets = {chair: 60, first: 61, last: 65}  # (60 + 61 + 65) / 3 = 186 / 3 = 62.00
    jobs = [
        fill(u, c, answers_reaching(tree, targets[u]), tree)
        for e in raced
        for u, c in zip(targets, open_cards(e, list(targets)), strict=True)
    ]
    outcomes = run_together(jobs)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    for e in raced:
        for u in (chair, first):
            services.submit_scorecard(u, Scorecard.objects.get(entry=e, member__user=u))
    for e in raced:
        last_card = Scorecard.objects.get(entry=e, member__user=last)
        (submit_kind, submitted), (close_kind, closed) = run_together(
            [
                lambda c=last_card: services.submit_scorecard(last, c),
                lambda e=e: services.close_product(chair, e),
            ]
        )
        assert submit_kind == "ok", submitted  # the submission is never lost to the close
        if close_kind == "ok":
            assert len(closed.result.member_totals) == 3
        else:
            assert isinstance(closed, ValidationError), closed
            assert not EvaluationResult.objects.filter(entry=e).exists()
            services.close_product(chair, e)
        result = EvaluationResult.objects.get(entry=e)
        assert Scorecard.objects.filter(entry=e, state="submitted").count() == len(result.member_totals) == 3
        assert sorted(D(m["total"]) for m in result.member_totals) == [D(60), D(61), D(65)]
        assert result.average == D("62.00")
    assert audit.verify().ok


class Step(threading.Thread):
    """A job in its own thread and connection, started on demand; `pid` is its backend's id."""

    def __init__(self, job):
        super().__init__()
        self.job, self.outcome, self.ready, self.pid = job, None, threading.Event(), None

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.ready.set()
            self.outcome = ("ok", self.job())
        except Exception as exc:  # reported to the test
            self.outcome = ("error", exc)
        finally:
            self.ready.set()
            connection.close()

    def launch(self):
        self.start()
        assert self.ready.wait(30)
        return self


def wait_until_blocked(step: Step) -> None:
    """Until the step's backend waits on a lock (polling the server, without sleeping)."""
    with connection.cursor() as cursor:
        for _ in range(1_000_000):
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [step.pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
            if not step.is_alive():
                raise AssertionError(f"the step ended without waiting: {step.outcome}")
    raise AssertionError("the step never waited on a lock")


def queued_behind_the_audit_chain(first, second) -> tuple[tuple, tuple]:
    """Run `first` then `second`, each in its own connection, so that they queue on the audit chain
    head in that order (a third connection holds it until both wait), then let them go."""
    held, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            AuditChainHead.objects.select_for_update().get(pk=1)
            held.set()
            assert release.wait(60)

    holder = Step(hold).launch()
    assert held.wait(30)
    one = Step(first).launch()
    wait_until_blocked(one)
    two = Step(second).launch()
    wait_until_blocked(two)
    release.set()
    for step in (holder, one, two):
        step.join(120)
    assert holder.outcome[0] == "ok", holder.outcome
    return one.outcome, two.outcome


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_opening_a_scorecard_or_adding_a_product_while_a_member_saves_never_deadlocks(office):
    council = build_council(office, 2)
    product = make_product(office, "Cá chép Koi Hồ Núi Cốc", set_code=ORNAMENTAL_FISH)
    session, (entry,) = open_session(office, council, [product])
    late_product = make_product(office, "Cá vàng Ba Bể", set_code=ORNAMENTAL_FISH)
    chair, member = scoring_users(council)
    card = services.scorecard_for(chair, entry)  # the chair's card is already open
    tree = SheetTree.load(card.sheet)
    a, b = tree.scorable[:2]

    outcomes = {
        # a member opens their scorecard while the chair saves an answer on the same product
        "scorecard_for": queued_behind_the_audit_chain(
            lambda: services.scorecard_for(member, entry),
            lambda: services.save_answer(chair, card, a.id, a.options[-1][0], tree=tree),
        ),
        # the office adds a product to the open session while the chair saves an answer
        "add_product": queued_behind_the_audit_chain(
            lambda: services.add_product(office, session, {"product": late_product, "kind": "first"}),
            lambda: services.save_answer(chair, card, b.id, b.options[-1][0], tree=tree),
        ),
    }
    failed = {name: pair for name, pair in outcomes.items() if any(kind != "ok" for kind, _ in pair)}
    assert failed == {}


# =================================================================================================
# (b) Every score change is audited
# =================================================================================================


@pytest.mark.django_db
def test_every_score_change_is_audited_once_and_an_unchanged_save_writes_nothing(province_admin):
    council = build_council(province_admin, 2)
    _session, (entry,) = open_session(
        province_admin, council, [make_product(province_admin, "Chè Bằng Phúc", "11")]
    )
    member = scoring_users(council)[1]
    card = services.scorecard_for(member, entry)
    assert [e.changes for e in events(card, "create")] == [{"sheet": [None, entry.sheet_id]}]
    tree = SheetTree.load(card.sheet)
    node = tree.by_code["6.2.3"]  # Vị nước: 0 / 1 / 3 / 5
    _zero, _one, three, five = (o[0] for o in node.options)

    def score_events():
        return list(events(card))

    services.save_answer(member, card, node.id, three, tree=tree)
    assert [e.changes for e in score_events()] == [{"6.2.3": [None, "3.00"]}]
    services.save_answer(member, card, node.id, five, tree=tree)
    assert [e.changes for e in score_events()][-1] == {"6.2.3": ["3.00", "5.00"]}
    before = AuditEvent.objects.count()
    _card, result = services.save_answer(member, card, node.id, five, tree=tree)  # the same answer again
    assert AuditEvent.objects.count() == before and result.total == D(5)
    services.save_answer(member, card, node.id, five, comment="Hậu vị ngọt rõ", tree=tree)
    assert score_events()[-1].changes == {"6.2.3 comment": ["", "Hậu vị ngọt rõ"]}
    services.save_answer(member, card, node.id, None, tree=tree)  # cleared
    assert score_events()[-1].changes == {"6.2.3": ["5.00", None]}
    assert len(score_events()) == 4
    assert all(e.actor == member and e.area == council.area for e in score_events())
    card.refresh_from_db()
    assert (card.total, card.answered) == (D(0), 0)

    # submitting and the chair's reopening are audited too, with the total
    plan = answers_reaching(tree, 60)
    card = enter(member, entry, plan, tree=tree)
    assert len(score_events()) == 4 + len(plan)
    assert [e.changes for e in events(card, "submit")] == [
        {"state": ["draft", "submitted"], "total": [None, "60.00"]}
    ]
    services.reopen_scorecard(chair_of(council), card, "Xem lại tiêu chí 6.2.3")
    reopen = events(card, "reopen").get()
    assert reopen.actor == chair_of(council) and reopen.message == "Xem lại tiêu chí 6.2.3"
    assert audit.verify().ok


@pytest.mark.django_db
def test_an_audited_change_names_its_criterion_unambiguously(province_admin):
    sheet = ScoreSheet.objects.get(rule_version__code="1048-2019")
    council = build_council(province_admin, 2)
    product = make_product(province_admin, "Hồng không hạt Quang Thuận", "1")
    _session, (entry,) = open_session(
        province_admin, council, [product], sheet=sheet, day=dt.date(2021, 6, 15)
    )
    member = scoring_users(council)[1]
    card = services.scorecard_for(member, entry)
    tree = SheetTree.load(sheet)
    a11, b11 = (next(n for n in tree.scorable if n.part == p and n.code == "1.1") for p in "AB")
    services.save_answer(member, card, a11.id, a11.options[0][0], tree=tree)
    services.save_answer(member, card, b11.id, b11.options[0][0], tree=tree)
    first, second = events(card)
    assert set(first.changes) != set(second.changes)


# =================================================================================================
# (c) A scorecard keeps its sheet version; a result never changes when a newer version is published
# =================================================================================================


def corrected_sheet_7() -> dict:
    """Set 7 with one correction: 1.1 "Sử dụng nguyên liệu … từ 50% đến dưới 75%" worth 1, not 2
    (the criterion's maximum, 3, is unchanged)."""
    data = copy.deepcopy(json.loads((DATA / "26-2026-bo-tieu-chi.json").read_text(encoding="utf-8"))[6])
    option = data["sections"][0]["criteria"][0]["children"][0]["options"][1]
    assert (
        option["label"].startswith("Sử dụng nguyên liệu có nguồn gốc trong tỉnh từ 50%")
        and option["points"] == 2
    )
    option["points"] = 1.0
    return data


@pytest.mark.django_db
def test_a_result_keeps_its_numbers_when_a_newer_sheet_version_is_published(province_admin):
    council = build_council(province_admin, 3)
    noodles, bamboo = (
        make_product(province_admin, "Miến dong Tài Hoan"),
        make_product(province_admin, "Măng khô"),
    )
    _session, (entry, later) = open_session(province_admin, council, [noodles, bamboo])
    v1 = entry.sheet
    tree = SheetTree.load(v1)
    node = tree.by_code["1.1"]
    fifty = node.options[1]  # "… từ 50% đến dưới 75%": 2 points in version 1
    assert fifty[2] == D(2)
    users = scoring_users(council)
    plans = [answers_reaching(tree, t, fixed={node.id: fifty[0]}) for t in (60, 62, 64)]
    cards = [enter(u, entry, p, tree=tree) for u, p in zip(users, plans, strict=True)]
    result = services.close_product(chair_of(council), entry).result
    frozen = EvaluationResult.objects.filter(pk=result.pk).values().get()
    assert (result.average, result.stars) == (D("62.00"), 3)  # (60 + 62 + 64) / 3

    v2 = import_sheet(
        RuleVersion.objects.get(code="26-2026"), corrected_sheet_7(), name=v1.name, product_set=v1.product_set
    )
    v1.refresh_from_db()
    assert (v2.version, v1.superseded_by) == (v1.version + 1, v2)

    # the result and the scorecards are exactly as they were, on version 1
    assert EvaluationResult.objects.filter(pk=result.pk).values().get() == frozen
    for card, target in zip(cards, (60, 62, 64), strict=True):
        card.refresh_from_db()
        assert (card.sheet, card.total) == (v1, D(target))
        assert stored_tally(card).total == D(target)  # its answers still count 2 for 1.1
    # a product assigned before the correction is still scored on the version it was assigned with
    late_card = services.scorecard_for(users[1], later)
    assert late_card.sheet == v1
    _card, late = services.save_answer(users[1], late_card, node.id, fifty[0], tree=tree)
    assert late.total == D(2)

    # a new session uses version 2, where the same answers count one point less
    session2, (entry2,) = open_session(
        province_admin, council, [noodles], day=dt.date(2026, 7, 10), kind="reevaluation"
    )
    assert entry2.sheet == v2
    tree2 = SheetTree.load(v2)
    by_position = {(n.code, i): o[0] for n in tree2.scorable for i, o in enumerate(n.options)}
    position = {o[0]: (n.code, i) for n in tree.scorable for i, o in enumerate(n.options)}
    cards2 = [
        enter(
            u,
            entry2,
            {tree2.by_code[position[o][0]].id: by_position[position[o]] for o in p.values()},
            tree=tree2,
        )
        for u, p in zip(users, plans, strict=True)
    ]
    assert [c.sheet for c in cards2] == [v2] * 3
    assert [c.total for c in cards2] == [D(59), D(61), D(63)]
    result2 = services.close_product(chair_of(council), entry2).result
    assert (result2.average, result2.sheet) == (D("61.00"), v2)
    assert EvaluationResult.objects.filter(pk=result.pk).values().get() == frozen

    # and the superseded version can no longer be chosen for a new assignment
    with pytest.raises(ValidationError):
        services.add_product(province_admin, session2, {"product": bamboo, "kind": "first", "sheet": v1})
