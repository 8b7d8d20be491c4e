"""Helpers for the hand-worked (golden) and integrity tests of the evaluation engine.

A hand-worked example is written as a *spec*: {criterion: (choice, points)}, where the criterion is
its code ("6.2.3") — or "A 1.1" on a sheet whose codes repeat across parts (1048) — the choice is
the option's exact label as printed in the decision or its 1-based position on the sheet, and the
points are the figure read in the decision for that option. `resolve` finds the option, checks the
sheet gives it exactly those points and that the spec covers every scored criterion once.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from django.db import connection

from ocop.evaluation import services
from ocop.evaluation.demo import answers_for_total
from ocop.evaluation.models import Council, ScoreSheet, SessionProduct
from ocop.evaluation.scoring import Node, SheetTree

from .helpers import SESSION_DAY, make_council

Choice = str | int
Spec = Mapping[str, tuple[Choice, int | str]]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


# --- councils and sessions -----------------------------------------------------------------------


def build_council(office, scorers: int, *, chair_scores: bool = True, **fields) -> Council:
    """A province council with `scorers` scoring members (the chair among them when
    `chair_scores`), plus a secretary who does not score."""
    members = scorers - 1 if chair_scores else scorers
    return make_council(office, members=members, chair_scores=chair_scores, **fields)


def open_session(office, council, products, *, day=SESSION_DAY, sheet: ScoreSheet | None = None, **kw):
    """A session on `day` with the products assigned (on `sheet` when given), opened for scoring."""
    session = services.create_session(
        office,
        {
            "council": council,
            "name": kw.pop("name", f"Phiên đánh giá ngày {day:%d/%m/%Y}"),
            "date": day,
            "mode": kw.pop("mode", "meeting"),
        },
    )
    entries = []
    for product in products:
        data = {"product": product, "kind": kw.get("kind", "first")}
        if sheet is not None:
            data["sheet"] = sheet
        entries.append(services.add_product(office, session, data))
    services.open_session(office, session)
    return session, entries


def chair_of(council):
    return council.members.get(role="chair").user


def scoring_users(council):
    return [m.user for m in council.members.filter(scores=True, is_active=True).order_by("sort_order")]


# --- hand-worked answers -------------------------------------------------------------------------


def find_node(tree: SheetTree, key: str) -> Node:
    part, _, code = key.rpartition(" ")
    found = [n for n in tree.scorable if n.code == code and (not part or n.part == part)]
    assert len(found) == 1, f"{key!r} names {len(found)} scored criteria on the sheet"
    return found[0]


def find_option(node: Node, choice: Choice) -> tuple[int, str, Decimal]:
    if isinstance(choice, int):
        assert 1 <= choice <= len(node.options), f"{node.code} has no option {choice}"
        return node.options[choice - 1]
    matches = [o for o in node.options if nfc(o[1]) == nfc(choice)]
    assert len(matches) == 1, f"{node.code}: no single option labelled {choice!r}"
    return matches[0]


def resolve(
    tree: SheetTree, spec: Spec, *, complete: bool = True
) -> tuple[dict[int, int], dict[str, Decimal]]:
    """({criterion id: option id}, {key: points}) for a spec, checking every literal against the
    sheet: the option exists, it is worth the points read in the decision, every scored criterion is
    answered once."""
    answers: dict[int, int] = {}
    points: dict[str, Decimal] = {}
    for key, (choice, expected) in spec.items():
        node = find_node(tree, key)
        option = find_option(node, choice)
        assert option[2] == Decimal(str(expected)), (
            f"{key}: the sheet gives {option[2]} for {option[1][:60]!r}, the decision {expected}"
        )
        assert node.id not in answers, f"{key} answered twice"
        answers[node.id] = option[0]
        points[key] = option[2]
    if complete:
        missing = [n.code for n in tree.scorable if n.id not in answers]
        assert not missing, f"the spec leaves these criteria open: {missing}"
    return answers, points


def vary(spec: Spec, changes: Spec) -> dict[str, tuple[Choice, int | str]]:
    """A member's answers: the spec with a few criteria answered differently."""
    unknown = set(changes) - set(spec)
    assert not unknown, f"not in the spec: {unknown}"
    return {**spec, **changes}


def enter(user, entry: SessionProduct, answers: Mapping[int, int | None], *, submit: bool = True, tree=None):
    """The member enters every answer through the services (and submits)."""
    card = services.scorecard_for(user, entry)
    tree = tree or SheetTree.load(card.sheet)
    for criterion_id, option_id in answers.items():
        card, _tally = services.save_answer(user, card, criterion_id, option_id, tree=tree)
    if submit:
        card = services.submit_scorecard(user, card)
    return card


def answers_reaching(tree: SheetTree, target, fixed: Mapping[int, int] | None = None) -> dict[int, int]:
    """Answers totalling exactly `target`, meeting the minimum criteria of its star band, with the
    `fixed` options ({criterion id: option id}) kept."""
    return answers_for_total(tree, int(target), fixed=dict(fixed or {}))


# --- threads -------------------------------------------------------------------------------------


def run_together(jobs: Iterable[Callable[[], object]]) -> list[tuple[str, object]]:
    """Run each job in its own thread (its own database connection), all released at the same
    moment by a barrier. Returns ("ok", value) or ("error", exception) per job, in order."""
    jobs = list(jobs)
    barrier = threading.Barrier(len(jobs))
    outcomes: list[tuple[str, object]] = [("error", RuntimeError("not run"))] * len(jobs)

    def work(i, job):
        try:
            barrier.wait(timeout=60)
            outcomes[i] = ("ok", job())
        except BaseException as exc:  # reported to the test
            outcomes[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a worker thread hung"
    return outcomes
