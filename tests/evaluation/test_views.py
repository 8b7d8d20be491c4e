"""The evaluation screens and API: scoring answer by answer, secrecy until the chair closes, the
chair's and the office's actions, query budgets."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.evaluation import services
from ocop.evaluation.models import Council, EvaluationResult, EvaluationSession, Scorecard
from ocop.evaluation.scoring import SheetTree
from ocop.geo.models import AdminUnit
from tests.conftest import THAI_NGUYEN
from tests.factories import make_user

from .helpers import best, chair, make_council, make_product, make_session, score, score_to, scorers

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(province_admin):
    council = make_council(province_admin, members=2)
    product = make_product(province_admin)
    session, (entry,) = make_session(province_admin, council, [product])
    return {"council": council, "session": session, "entry": entry, "users": scorers(council)}


def test_a_member_scores_answer_by_answer_with_htmx(client, setup):
    member = setup["users"][1]
    entry = setup["entry"]
    client.force_login(member)
    page = client.get(reverse("evaluation:my"))
    assert entry.product.name in page.content.decode()
    response = client.get(reverse("evaluation:score", args=[entry.pk]))
    card = Scorecard.objects.get(entry=entry, member__user=member)
    assert response.status_code == 302 and response["Location"] == reverse(
        "evaluation:scorecard", args=[card.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "1.1. Nguồn gốc sản phẩm" in page or "Nguồn gốc" in page
    tree = SheetTree.load(card.sheet)
    node = tree.scorable[0]
    option = max(node.options, key=lambda o: o[2])
    saved = client.post(
        reverse("evaluation:answer", args=[card.pk]),
        {"criterion": node.id, "option": option[0], "comment": "Có hồ sơ minh chứng", "evidence_url": ""},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    body = saved.content.decode()
    assert 'hx-swap-oob="true"' in body and 'data-testid="running-total">' + str(int(option[2])) in body
    card.refresh_from_db()
    assert card.total == option[2] and card.answered == 1
    assert card.answers.get(criterion_id=node.id).comment == "Có hồ sơ minh chứng"
    # an option of another criterion is refused, nothing changes
    other = tree.scorable[1].options[0][0]
    refused = client.post(
        reverse("evaluation:answer", args=[card.pk]), {"criterion": node.id, "option": other}
    )
    assert refused.status_code == 400
    card.refresh_from_db()
    assert card.total == option[2]


def test_submitting_needs_every_criterion_and_then_locks(client, setup):
    member = setup["users"][1]
    entry = setup["entry"]
    client.force_login(member)
    card = services.scorecard_for(member, entry)
    response = client.post(reverse("evaluation:scorecard_action", args=[card.pk, "submit"]), follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "1.1, 1.2" in shown[0]  # the criteria still open are named
    card.refresh_from_db()
    assert card.state == "draft"
    score(member, entry, submit=False)
    response = client.post(reverse("evaluation:scorecard_action", args=[card.pk, "submit"]))
    card.refresh_from_db()
    assert card.state == "submitted"
    node = SheetTree.load(card.sheet).scorable[0]
    locked = client.post(
        reverse("evaluation:answer", args=[card.pk]), {"criterion": node.id, "option": node.options[0][0]}
    )
    assert locked.status_code == 400


def test_members_do_not_see_each_others_scores_until_the_chair_closes(client, setup):
    a, b = setup["users"][1], setup["users"][2]
    entry = setup["entry"]
    card_a = score_to(a, entry, 71)
    client.force_login(b)
    for url in (
        reverse("evaluation:session_detail", args=[setup["session"].pk]),
        reverse("evaluation:entry_detail", args=[entry.pk]),
    ):
        body = client.get(url).content.decode()
        assert ">71<" not in body and "71,00" not in body and "71.00" not in body  # progress only
    assert client.get(reverse("evaluation:scorecard", args=[card_a.pk])).status_code == 404
    assert client.get(reverse("evaluation:scorecard_pdf", args=[card_a.pk])).status_code == 404
    api = client.get(f"/api/v1/evaluation/scorecards/{card_a.pk}")
    assert api.status_code == 404
    # the secretary and the office see progress, not scores
    client.force_login(setup["council"].members.get(role="secretary").user)
    body = client.get(reverse("evaluation:entry_detail", args=[entry.pk])).content.decode()
    assert "submitted" in body or "đã nộp" in body
    assert client.get(reverse("evaluation:scorecard", args=[card_a.pk])).status_code == 404
    score_to(setup["users"][0], entry, 72)
    score_to(b, entry, 73)
    services.close_product(chair(setup["council"]), entry)
    client.force_login(b)
    assert client.get(reverse("evaluation:scorecard", args=[card_a.pk])).status_code == 200
    body = client.get(reverse("evaluation:entry_detail", args=[entry.pk])).content.decode()
    assert "72.00" in body or "72,00" in body


def test_the_chair_closes_and_sees_the_outliers_when_totals_diverge(client, setup):
    users = setup["users"]
    entry = setup["entry"]
    for user, target in zip(users, [60, 61, 80], strict=True):
        score_to(user, entry, target)
    client.force_login(users[1])
    response = client.post(reverse("evaluation:entry_action", args=[entry.pk, "close"]), follow=True)
    assert not EvaluationResult.objects.exists()  # a member is not the chair
    client.force_login(users[0])
    response = client.post(reverse("evaluation:entry_action", args=[entry.pk, "close"]), follow=True)
    body = response.content.decode()
    assert "Thành viên 2 (80" in body and not EvaluationResult.objects.exists()
    card = Scorecard.objects.get(entry=entry, member__user=users[2])
    client.post(reverse("evaluation:scorecard_action", args=[card.pk, "reopen"]), {"reason": "Thảo luận lại"})
    card.refresh_from_db()
    assert card.state == "draft"
    score_to(users[2], entry, 65)
    client.post(reverse("evaluation:entry_action", args=[entry.pk, "close"]))
    result = EvaluationResult.objects.get(entry=entry)
    assert result.average == Decimal("62.00") and result.stars == 3


def test_a_result_is_rejected_on_its_page_and_approved_only_through_a_decision(client, setup, province_admin):
    entry = setup["entry"]
    for user in setup["users"]:
        score_to(user, entry, 75)
    services.close_product(chair(setup["council"]), entry)
    client.force_login(province_admin)
    url = reverse("evaluation:entry_action", args=[entry.pk, "decide"])
    client.post(url, {"decision": "approve", "decision_number": "1/QĐ-UBND", "decision_date": "2026-06-29"})
    assert EvaluationResult.objects.get(entry=entry).state == "proposed"  # recognition needs a decision
    client.post(url, {"decision": "reject", "note": ""})
    assert EvaluationResult.objects.get(entry=entry).state == "proposed"  # a reason is required
    client.post(url, {"decision": "reject", "note": "Hồ sơ minh chứng không đúng thực tế"})
    result = EvaluationResult.objects.get(entry=entry)
    assert (result.state, result.decision_note) == ("rejected", "Hồ sơ minh chứng không đúng thực tế")


def test_office_creates_a_council_and_a_session_through_the_forms(client, province_admin):
    client.force_login(province_admin)
    area = AdminUnit.objects.get(path=THAI_NGUYEN)
    bad = client.post(reverse("evaluation:council_create"), {"name": "Hội đồng", "level": "province"})
    assert bad.status_code == 400 and Council.objects.count() == 0
    response = client.post(
        reverse("evaluation:council_create"),
        {"name": "Hội đồng OCOP tỉnh", "level": "province", "area": area.pk, "max_spread": "8"},
    )
    council = Council.objects.get()
    assert response.status_code == 302 and council.max_spread == Decimal(8)
    user = make_user("tv.moi", "council_member", THAI_NGUYEN, full_name="Hoàng Văn Mới")
    client.post(
        reverse("evaluation:member_add", args=[council.pk]),
        {
            "user": user.pk,
            "role": "chair",
            "organisation": "peoples_committee",
            "scores": "on",
            "sort_order": 1,
        },
    )
    assert council.members.get().full_name == "Hoàng Văn Mới"
    response = client.post(
        reverse("evaluation:session_create"),
        {"council": council.pk, "name": "Phiên 1", "date": "2019-01-01", "mode": "meeting"},
    )
    assert response.status_code == 400 and not EvaluationSession.objects.exists()  # no criteria in force then
    client.post(
        reverse("evaluation:session_create"),
        {"council": council.pk, "name": "Phiên 1", "date": "2026-06-20", "mode": "meeting"},
    )
    assert EvaluationSession.objects.get().rule_version.code == "26-2026"


def test_api_scoring_round_trip(client, setup):
    member = setup["users"][1]
    entry = setup["entry"]
    client.force_login(member)
    card = client.post(f"/api/v1/evaluation/products/{entry.pk}/scorecard").json()
    tree = SheetTree.load(Scorecard.objects.get(pk=card["id"]).sheet)
    for node in tree.scorable:
        response = client.put(
            f"/api/v1/evaluation/scorecards/{card['id']}/answers/{node.id}",
            json.dumps({"option_id": best(node)}),
            content_type="application/json",
        )
        assert response.status_code == 200
    assert response.json()["total"] == "100.00" and response.json()["open_criteria"] == []
    wrong = client.put(
        f"/api/v1/evaluation/scorecards/{card['id']}/answers/{tree.scorable[0].id}",
        json.dumps({"option_id": tree.scorable[1].options[0][0]}),
        content_type="application/json",
    )
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "option"
    submitted = client.post(
        f"/api/v1/evaluation/scorecards/{card['id']}/submit", "{}", content_type="application/json"
    )
    assert submitted.json()["state"] == "submitted"
    work = client.get("/api/v1/evaluation/my-work").json()
    assert work[0]["scorecard_state"] == "submitted"


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_list_query_counts_do_not_grow_with_rows(client, province_admin):
    council = make_council(province_admin, members=1, secretary=False)
    products = [make_product(province_admin, name=f"Sản phẩm {i}") for i in range(3)]
    make_session(province_admin, council, products[:1])
    client.force_login(province_admin)
    urls = [
        reverse("evaluation:session_list"),
        reverse("evaluation:council_list"),
        reverse("evaluation:result_list"),
        "/api/v1/evaluation/sessions",
    ]
    before = [_count(client, u) for u in urls]
    for i in range(4):
        make_session(province_admin, council, products[1:], open_=False)
        make_council(province_admin, members=1, secretary=False, name=f"Hội đồng {i}")
    after = [_count(client, u) for u in urls]
    assert after == before


def test_session_page_query_count_does_not_grow_with_products(client, province_admin):
    council = make_council(province_admin, members=2)
    small, _ = make_session(province_admin, council, [make_product(province_admin, name="A")])
    big, entries = make_session(
        province_admin, council, [make_product(province_admin, name=f"B{i}") for i in range(5)]
    )
    for user in scorers(council):
        score_to(user, entries[0], 70, submit=False)
    client.force_login(province_admin)
    assert _count(client, reverse("evaluation:session_detail", args=[big.pk])) == _count(
        client, reverse("evaluation:session_detail", args=[small.pk])
    )


def test_the_product_page_lists_its_evaluations_and_results(client, setup, province_admin):
    entry = setup["entry"]
    for user in setup["users"]:
        score_to(user, entry, 80)
    services.close_product(chair(setup["council"]), entry)
    client.force_login(province_admin)
    page = client.get(entry.product.get_absolute_url())
    evaluations = page.context["evaluations"]
    assert [e.pk for e in evaluations] == [entry.pk]
    body = page.content.decode()
    assert 'data-testid="evaluations"' in body and "80,00" in body


def test_history_shows_dates_the_vietnamese_way(client, setup, province_admin):
    client.force_login(province_admin)
    history = client.get(reverse("evaluation:session_detail", args=[setup["session"].pk])).context["history"]
    created = history[-1]
    assert {label: after for label, _b, after in created.rows}["ngày"] == "20/06/2026"


def _squeeze(html: str) -> str:
    import re

    return re.sub(r"\s+>", ">", re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))).strip()


@pytest.mark.parametrize("editable", [True, False])
def test_the_criteria_are_written_as_the_template_wrote_them(client, setup, editable):
    """The scorecard's criteria (scorecard_tags) are the markup of the template loop they replace:
    options with their points and star marks, answers checked, comments shown, read-only."""
    from django.template import Context, Template

    from ocop.evaluation import views
    from ocop.evaluation.templatetags.scorecard_tags import scorecard_criteria

    member, entry = setup["users"][1], setup["entry"]
    card = services.scorecard_for(member, entry)
    tree = SheetTree.load(card.sheet)
    node = tree.scorable[0]
    services.save_answer(member, card, node.id, node.options[-1][0], comment='Có <b>"minh chứng"</b> & ảnh')
    context = views._card_context(card, tree, editable)
    url = reverse("evaluation:answer", args=[card.pk])
    from pathlib import Path

    legacy = Template((Path(__file__).parent / "data" / "scorecard_criteria_loop.html").read_text("utf-8"))
    marks = 0
    for part in context["parts"]:
        expected = legacy.render(Context({"part": part, "editable": editable, "answer_url": url}))
        assert _squeeze(scorecard_criteria(part["nodes"], editable, url)) == _squeeze(expected)
        marks += expected.count("bg-yellow-lt")
    assert marks > 0  # the sheet's per-star minimums are drawn
