"""Demo evaluation for Thái Nguyên: an illustrative provincial council with its members, a closed
session (round 1 of 2026) with its results, and an open one (round 2) that the demo council members
can score. Everything is written through the services (audited) and flagged illustrative; no
decision number is invented. `ocop demo load` calls `load_evaluation_demo` (idempotent)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from .loader import BANDS
from .scoring import SheetTree, stars_for

COUNCIL_NAME = "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thái Nguyên (minh họa)"
HOME = "2025/19/"
# (username, role, organisation, position): the demo accounts of core.demo that sit on the council.
MEMBERS = [
    ("hoidong.chutich", "chair", "peoples_committee", "Phó Chủ tịch UBND tỉnh"),
    ("hoidong.tv1", "member", "agriculture", "Phó Giám đốc Sở Nông nghiệp và Môi trường"),
    ("hoidong.tv2", "member", "industry_trade", "Phó Giám đốc Sở Công Thương"),
    ("hoidong.tv3", "member", "health", "Trưởng phòng, Sở Y tế"),
    ("hoidong.thuky", "secretary", "ocop_office", "Phó Chánh Văn phòng Điều phối nông thôn mới"),
]
ROUND_1 = dt.date(2026, 6, 24)
ROUND_2 = dt.date(2026, 11, 30)
# Members' totals per product of round 1 (chair, tv1, tv2, tv3): a 4★, a 3★ and a 2★ result.
ROUND_1_TOTALS = [(76, 74, 79, 73), (63, 58, 61, 60), (44, 47, 41, 45)]


def answers_for_total(
    tree: SheetTree, target: int, stars: int | None = None, fixed: dict[int, int] | None = None
) -> dict[int, int]:
    """Answers {criterion id: option id} reaching exactly `target` points and meeting the sheet's
    minimum criteria of every star up to `stars` (by default the band of `target` under 26/2026):
    the `fixed` options ({criterion id: option id}) are kept; every other criterion starts at its
    lowest option (raised to a minimum where one applies), then they are raised in sheet order
    until the target is met."""
    if stars is None:
        stars = stars_for(BANDS, Decimal(target))
    fixed = dict(fixed or {})
    options = {o[0]: o for n in tree.scorable for o in n.options}
    chosen = {
        n.id: options[fixed[n.id]] if n.id in fixed else min(n.options, key=lambda o: o[2])
        for n in tree.scorable
    }
    for minimum in tree.star_minimums:
        node = tree.by_code.get(str(minimum["criterion"]))
        if int(minimum["stars"]) > stars or node is None or not node.is_scorable or node.id in fixed:
            continue
        needed = Decimal(str(minimum["min_points"]))
        if chosen[node.id][2] < needed:
            chosen[node.id] = min((o for o in node.options if o[2] >= needed), key=lambda o: o[2])
    remaining = Decimal(target) - sum(o[2] for o in chosen.values())
    if remaining < 0:
        raise ValueError(f"{target} is below the lowest total meeting the minimums of {stars} stars")
    for node in tree.scorable:
        if node.id in fixed:
            continue
        for option in sorted(node.options, key=lambda o: o[2], reverse=True):
            gain = option[2] - chosen[node.id][2]
            if 0 < gain <= remaining:
                remaining -= gain
                chosen[node.id] = option
                break
    if remaining != 0:
        raise ValueError(f"{target} cannot be reached on this sheet")
    return {cid: option[0] for cid, option in chosen.items()}


def _fill(user, entry, target: int, *, submit: bool = True, upto: int | None = None):
    from . import services

    card = services.scorecard_for(user, entry)
    tree = SheetTree.load(card.sheet)
    answers = answers_for_total(tree, target)
    for node in tree.scorable[:upto]:
        card, _ = services.save_answer(user, card, node.id, answers[node.id], tree=tree)
    if submit:
        card = services.submit_scorecard(user, card)
    return card


def _products(count: int, exclude=()):
    """Illustrative demo products of the home province under a 26/2026 product set, by name."""
    from ocop.registry.models import Product

    return list(
        Product.objects.filter(
            is_illustrative=True,
            category__scheme__code="26-2026",
            commune__current_path__startswith=HOME,
        )
        .exclude(pk__in=exclude)
        .select_related("producer", "commune")
        .order_by("name", "pk")[:count]
    )


def _kind(product) -> str:
    """A product recognised before comes back for re-evaluation; others for the first time."""
    return "reevaluation" if product.certificates.exists() else "first"


def load_evaluation_demo() -> dict[str, int]:
    """Create the demo council and its two sessions if the council does not exist yet."""
    from ocop.accounts.models import User
    from ocop.geo.models import AdminUnit

    from . import services
    from .models import Council

    if Council.objects.filter(name=COUNCIL_NAME).exists():
        return {"councils": 0, "sessions": 0}
    office = User.objects.filter(username="vpdp.thainguyen").first()
    users = {u.username: u for u in User.objects.filter(username__in=[m[0] for m in MEMBERS])}
    if office is None or len(users) != len(MEMBERS):
        return {"councils": 0, "sessions": 0}
    products = _products(5)
    if len(products) < 5:
        return {"councils": 0, "sessions": 0}
    with transaction.atomic():
        council = services.create_council(
            office,
            {
                "name": COUNCIL_NAME,
                "level": "province",
                "area": AdminUnit.objects.get(path=HOME),
                "decided_by": "Chủ tịch UBND tỉnh Thái Nguyên",
                "active_from": dt.date(2026, 6, 1),
                "notes": "Dữ liệu minh họa: thành phần theo Điều 7.3.b Quyết định 26/2026/QĐ-TTg; "
                "chưa có số quyết định thành lập.",
            },
        )
        Council.objects.filter(pk=council.pk).update(is_illustrative=True)
        for order, (username, role, organisation, position) in enumerate(MEMBERS, start=1):
            services.add_member(
                office,
                council,
                {
                    "user": users[username],
                    "role": role,
                    "organisation": organisation,
                    "position": position,
                    "sort_order": order,
                },
            )
        services.add_advisor(
            office,
            council,
            {"full_name": "Nông Thị Mai", "organisation": "Chi cục Phát triển nông thôn", "is_leader": True},
        )
        scorers = [users[m[0]] for m in MEMBERS if m[1] != "secretary"]
        chair = users["hoidong.chutich"]

        # Round 1: closed, with its results proposed to the province chairman.
        first = services.create_session(
            office,
            {
                "council": council,
                "name": "Phiên đánh giá, phân hạng sản phẩm OCOP đợt 1 năm 2026",
                "round_label": "Đợt 1 năm 2026",
                "date": ROUND_1,
                "place": "Hội trường UBND tỉnh Thái Nguyên",
                "mode": "meeting",
                "notes": "Dữ liệu minh họa.",
            },
        )
        entries = [
            services.add_product(office, first, {"product": p, "kind": _kind(p)}) for p in products[:3]
        ]
        services.open_session(office, first)
        services.record_review(
            office,
            entries[0],
            {
                "site_survey_date": ROUND_1 - dt.timedelta(days=10),
                "site_survey_findings": "Cơ sở sản xuất đúng hồ sơ; vùng nguyên liệu tập trung.",
                "report": "Hồ sơ đầy đủ; đề nghị Hội đồng đánh giá, phân hạng.",
                "recommendation": "propose",
            },
        )
        for entry, totals in zip(entries, ROUND_1_TOTALS, strict=True):
            for user, total in zip(scorers, totals, strict=True):
                _fill(user, entry, total)
            services.close_product(chair, entry)
        services.close_session(chair, first)

        # Round 2: open; the chair and one member have submitted, one is half-way, hoidong.tv1 not started.
        second = services.create_session(
            office,
            {
                "council": council,
                "name": "Phiên đánh giá, phân hạng sản phẩm OCOP đợt 2 năm 2026",
                "round_label": "Đợt 2 năm 2026",
                "date": ROUND_2,
                "place": "Hội trường UBND tỉnh Thái Nguyên",
                "mode": "meeting",
                "notes": "Dữ liệu minh họa.",
            },
        )
        open_entries = [
            services.add_product(office, second, {"product": p, "kind": "first"}) for p in products[3:5]
        ]
        services.open_session(office, second)
        _fill(chair, open_entries[0], 72)
        _fill(users["hoidong.tv2"], open_entries[0], 75)
        _fill(users["hoidong.tv3"], open_entries[0], 70, submit=False, upto=10)
        from .models import EvaluationSession

        EvaluationSession.objects.filter(pk__in=[first.pk, second.pk]).update(is_illustrative=True)
    return {"councils": 1, "sessions": 2}


def reset_evaluation_demo() -> int:
    """Delete the demo council with its sessions, scorecards and results (before the demo registry
    is rebuilt, whose products they point at). Returns the number of sessions deleted."""
    from ocop.audit import services as audit

    from .models import (
        Answer,
        Attendance,
        Council,
        EvaluationResult,
        EvaluationSession,
        Scorecard,
        SessionProduct,
    )

    council = Council.objects.filter(name=COUNCIL_NAME, is_illustrative=True).first()
    if council is None:
        return 0
    with transaction.atomic():
        sessions = EvaluationSession.objects.filter(council=council)
        entries = SessionProduct.objects.filter(session__in=sessions)
        # Certificates and decisions someone issued from the demo's results go with them.
        from ocop.certification.models import Certificate, RecognitionDecision

        decisions = list(RecognitionDecision.objects.filter(results__entry__in=entries).distinct())
        Certificate.objects.filter(Q(result__entry__in=entries) | Q(decision__in=decisions)).update(
            superseded_by=None, revocation_decision=None
        )
        Certificate.objects.filter(Q(result__entry__in=entries) | Q(decision__in=decisions)).delete()
        for decision in decisions:
            decision.results.clear()
            decision.delete()
        EvaluationResult.objects.filter(entry__in=entries).delete()
        Answer.objects.filter(scorecard__entry__in=entries).delete()
        Scorecard.objects.filter(entry__in=entries).delete()
        entries.delete()
        Attendance.objects.filter(session__in=sessions).delete()
        count = sessions.count()
        sessions.delete()
        audit.record(
            actor=None,
            action="delete",
            obj=council,
            message=f"ocop demo reset: {count} phiên đánh giá minh họa",
            area=council.area,
        )
        council.delete()
    return count
