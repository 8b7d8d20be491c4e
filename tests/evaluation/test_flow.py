"""A council scores a product end to end through the services."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.audit.models import AuditEvent
from ocop.evaluation import services
from ocop.evaluation.models import EvaluationResult, Scorecard

from .helpers import chair, make_council, make_product, make_session, score, score_to, scorers

pytestmark = pytest.mark.django_db


def test_three_members_score_and_the_chair_closes(province_admin):
    council = make_council(province_admin, members=3)
    product = make_product(province_admin)
    _session, (entry,) = make_session(province_admin, council, [product])
    totals = [72, 75, 78, 74]
    for user, target in zip(scorers(council), totals, strict=True):
        card = score_to(user, entry, target)
        assert card.total == Decimal(target) and card.is_submitted
    outcome = services.close_product(chair(council), entry)
    result = outcome.result
    assert result.average == Decimal("74.75")
    assert (result.band_stars, result.stars) == (4, 4)
    assert result.certifiable and not result.central_candidate
    assert result.recognising_level == "province"
    assert result.spread == Decimal(6)
    assert EvaluationResult.objects.get(entry=entry).state == "proposed"
    criteria = entry.sheet.criteria.filter(is_scorable=True).count()
    assert AuditEvent.objects.filter(action="score").count() == 4 * criteria


def test_closing_refused_when_totals_diverge_in_a_meeting(province_admin):
    council = make_council(province_admin, members=2)
    _session, (entry,) = make_session(province_admin, council, [make_product(province_admin)])
    users = scorers(council)
    for user, target in zip(users, [60, 62, 75], strict=True):
        score_to(user, entry, target)
    with pytest.raises(services.SpreadExceeded) as exc:
        services.close_product(chair(council), entry)
    assert [c.member.user for c in exc.value.outliers] == [users[2]]
    assert not EvaluationResult.objects.exists()


def test_written_opinions_that_diverge_go_to_a_meeting(province_admin):
    council = make_council(province_admin, members=2)
    product = make_product(province_admin)
    _session, (entry,) = make_session(province_admin, council, [product], mode="written", kind="reevaluation")
    for user, target in zip(scorers(council), [60, 62, 75], strict=True):
        score_to(user, entry, target)
    outcome = services.close_product(chair(council), entry)
    assert outcome.referred and outcome.result is None
    entry.refresh_from_db()
    assert entry.state == "referred"
    # the chair reopens the outlier's scorecard, the member re-scores, the chair closes
    outlier = outcome.outliers[0]
    services.reopen_scorecard(chair(council), outlier, "Thảo luận lại tiêu chí 1.4")
    card = Scorecard.objects.get(pk=outlier.pk)
    assert card.state == "draft" and card.reopen_count == 1
    score_to(outlier.member.user, entry, 64)
    result = services.close_product(chair(council), entry).result
    assert result.average == Decimal("62.00") and result.stars == 3


def test_only_the_member_scores_their_card_and_submitted_cards_are_locked(province_admin):
    council = make_council(province_admin, members=1)
    _session, (entry,) = make_session(province_admin, council, [make_product(province_admin)])
    b, a = scorers(council)  # the chair, then the member
    card = score(a, entry)
    node = card.sheet.criteria.filter(is_scorable=True).first()
    with pytest.raises(ValidationError):
        services.save_answer(a, card, node.pk, node.options.first().pk)
    with pytest.raises(PermissionDenied):
        services.save_answer(b, card, node.pk, node.options.first().pk)
    with pytest.raises(PermissionDenied):
        services.reopen_scorecard(a, card, "x")
    with pytest.raises(ValidationError):
        services.reopen_scorecard(b, card, "  ")
    assert services.reopen_scorecard(b, card, "Sai tiêu chí 2.1").state == "draft"


def test_a_conflicted_member_cannot_score(province_admin):
    council = make_council(province_admin, members=2)
    _session, (entry,) = make_session(province_admin, council, [make_product(province_admin)])
    users = scorers(council)
    services.declare_conflict(users[1], entry, "Người thân là thành viên HTX")
    with pytest.raises(PermissionDenied):
        services.scorecard_for(users[1], entry)
    score_to(users[0], entry, 55)
    score_to(users[2], entry, 58)
    result = services.close_product(chair(council), entry).result
    assert len(result.member_totals) == 2 and result.average == Decimal("56.50")
