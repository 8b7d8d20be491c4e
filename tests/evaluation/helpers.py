"""Building councils, sessions and scorecards for the evaluation tests, through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ocop.evaluation import services
from ocop.evaluation.demo import answers_for_total
from ocop.evaluation.models import Council, SessionProduct
from ocop.evaluation.scoring import Node, SheetTree
from ocop.geo.models import AdminUnit
from ocop.registry import services as registry
from ocop.registry.models import ProductCategory
from tests.conftest import NA_RI, THAI_NGUYEN
from tests.factories import make_user

SESSION_DAY = dt.date(2026, 6, 20)


ORGANISATIONS = [
    "agriculture",
    "industry_trade",
    "health",
    "science",
    "culture",
    "food_safety",
    "ocop_office",
]


def make_council(
    office,
    *,
    members: int = 3,
    secretary: bool = True,
    chair_scores: bool = True,
    area_path: str = THAI_NGUYEN,
    **fields,
) -> Council:
    """A province council: a chair (scoring unless `chair_scores` is false), `members` members and,
    with `secretary`, a secretary who does not score."""
    council = services.create_council(
        office,
        {
            "name": fields.pop("name", "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thái Nguyên"),
            "level": fields.pop("level", "province"),
            "area": AdminUnit.objects.get(path=area_path),
            "decision_number": "1234/QĐ-UBND",
            "decision_date": dt.date(2026, 6, 1),
            **fields,
        },
    )
    prefix = f"hd{council.pk}"
    services.add_member(
        office,
        council,
        {
            "user": make_user(f"{prefix}.chair", "council_member", THAI_NGUYEN, full_name="Nguyễn Văn Chủ"),
            "role": "chair",
            "organisation": "peoples_committee",
            "scores": chair_scores,
            "sort_order": 1,
        },
    )
    for i in range(members):
        services.add_member(
            office,
            council,
            {
                "user": make_user(
                    f"{prefix}.tv{i + 1}", "council_member", THAI_NGUYEN, full_name=f"Thành viên {i + 1}"
                ),
                "role": "member",
                "organisation": ORGANISATIONS[i % len(ORGANISATIONS)],
                "sort_order": i + 2,
            },
        )
    if secretary:
        services.add_member(
            office,
            council,
            {
                "user": make_user(f"{prefix}.tk", "council_member", THAI_NGUYEN, full_name="Lê Thị Thư Ký"),
                "role": "secretary",
                "organisation": "ocop_office",
                "sort_order": 99,
            },
        )
    return council


def make_product(office, name: str = "Miến dong Tài Hoan", set_code: str = "7", commune: str = NA_RI):
    area = AdminUnit.objects.get(path=commune)
    producer = registry.create_producer(
        office, {"kind": "cooperative", "name": f"HTX {name}", "commune": area}
    )
    category = ProductCategory.objects.get(scheme__code="26-2026", level=3, code=set_code)
    return registry.create_product(
        office, {"name": name, "producer": producer, "category": category, "commune": area}
    )


def make_session(office, council, products, *, mode="meeting", day=SESSION_DAY, open_=True, kind="first"):
    session = services.create_session(
        office, {"council": council, "name": "Phiên đánh giá đợt 1 năm 2026", "date": day, "mode": mode}
    )
    entries = [services.add_product(office, session, {"product": p, "kind": kind}) for p in products]
    if open_:
        services.open_session(office, session)
    return session, entries


def chair(council):
    return council.members.get(role="chair").user


def scorers(council):
    return [m.user for m in council.members.filter(scores=True, is_active=True).order_by("sort_order")]


Chooser = Callable[[Node], int]


def best(node: Node) -> int:
    return max(node.options, key=lambda o: o[2])[0]


def worst(node: Node) -> int:
    return min(node.options, key=lambda o: o[2])[0]


def score(user, entry: SessionProduct, choose: Chooser = best, *, submit: bool = True):
    """The member fills in every criterion with the option `choose` picks (and submits)."""
    card = services.scorecard_for(user, entry)
    tree = SheetTree.load(card.sheet)
    for node in tree.scorable:
        card, _tally = services.save_answer(user, card, node.id, choose(node), tree=tree)
    if submit:
        card = services.submit_scorecard(user, card)
    return card


def choose_total(tree: SheetTree, target: int) -> dict[int, int]:
    """Answers reaching exactly `target` points."""
    return answers_for_total(tree, target)


def score_to(user, entry: SessionProduct, target: int, *, submit: bool = True):
    card = services.scorecard_for(user, entry)
    tree = SheetTree.load(card.sheet)
    answers = choose_total(tree, target)
    for node in tree.scorable:
        card, _ = services.save_answer(user, card, node.id, answers[node.id], tree=tree)
    if submit:
        card = services.submit_scorecard(user, card)
    return card
