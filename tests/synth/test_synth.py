"""The synthetic dataset (`ocop synth`) at its test scale: deterministic, consistent, reusable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum

from ocop.certification.models import Certificate, CertificateState
from ocop.core.dates import add_months
from ocop.evaluation.models import Answer, EvaluationResult, Scorecard
from ocop.evaluation.scoring import average
from ocop.registry.models import Product
from ocop.synth import generate, reset

pytestmark = pytest.mark.django_db


@pytest.fixture
def criteria():
    call_command("load-criteria", verbosity=0)


def signature():
    return sorted(
        Certificate.objects.filter(product__name__startswith="TH ").values_list(
            "product__name", "stars", "issued_on", "state", "public_id"
        )
    )


def test_synth_writes_consistent_records_the_same_for_the_same_seed(criteria, capsys):
    with pytest.raises(CommandError):
        call_command("synth", "--scale", "planet")
    call_command("synth", "--scale", "test", "--seed", "3")
    out = capsys.readouterr().out
    assert "60 producers" in out and "scorecards" in out
    counts = generate("test", seed=3)
    assert counts.reused and counts.producers == 60 and counts.products > 60
    assert counts.scorecards > 0 and counts.answers > counts.scorecards
    certificates = list(Certificate.objects.filter(product__name__startswith="TH "))
    assert len(certificates) == counts.certificates
    for cert in certificates:
        assert cert.valid_until == add_months(cert.issued_on, 36) - dt.timedelta(days=1)
        if cert.state == CertificateState.SUPERSEDED:
            assert cert.superseded_by is not None and cert.ended_on == cert.superseded_by.issued_on
            assert cert.superseded_by.product_id == cert.product_id
    # At most one certificate of a product is in force on any day.
    for product in Product.objects.filter(name__startswith="TH ").annotate(n=Count("certificates")):
        live = [c for c in certificates if c.product_id == product.pk and c.state == CertificateState.VALID]
        for a in live:
            for b in live:
                assert a is b or a.valid_until < b.issued_on or b.valid_until < a.issued_on
    # Scorecards add up to their answers, results to their scorecards.
    assert Answer.objects.count() == counts.answers
    for card in Scorecard.objects.annotate(points=Sum("answers__option__points"), n=Count("answers")):
        assert card.total == card.points and card.answered == card.n
    for result in EvaluationResult.objects.prefetch_related("entry__scorecards"):
        totals = [c.total for c in result.entry.scorecards.all()]
        assert result.average == average(totals)
        assert result.member_totals == [str(t) for t in totals]
        if result.certifiable:
            cert = Certificate.objects.get(result=result)
            assert cert.stars == result.stars and cert.score == result.average
        else:
            assert not Certificate.objects.filter(result=result).exists()
    stars = {r.band_stars for r in EvaluationResult.objects.all()}
    assert stars & {3, 4} and stars & {1, 2}, "both certified and failed evaluations are generated"
    # Deleted and written again: the same records (product codes move on: numbers are never reused).
    before = signature()
    deleted = reset()
    assert deleted["products"] == counts.products
    assert not Product.objects.filter(name__startswith="TH ").exists()
    assert not generate("test", seed=3).reused
    assert signature() == before


def test_plans_and_activities_are_generated_over_a_dataset_written_before_them(criteria):
    """The extra generators (plans, activities) run once per dataset — also over one written
    before they existed — and `reset` deletes what they wrote."""
    from ocop.activities.models import CourseAttendee, EventParticipation, OutreachArticle, SalesPoint
    from ocop.core.models import ReferenceDataset
    from ocop.planning.models import Plan, PlanTask, Target

    counts = generate("test", seed=5)
    assert counts.extra["plans"] == Plan.objects.filter(title__endswith="(tổng hợp)").count() > 0
    assert counts.extra["targets"] == Target.objects.count()
    assert counts.extra["events"] > 0 and counts.extra["participations"] == EventParticipation.objects.count()
    assert counts.extra["attendees"] == CourseAttendee.objects.count() > 0
    # Every plan has its province targets, tasks and commune targets in the province.
    for plan in Plan.objects.filter(title__endswith="(tổng hợp)").select_related("area"):
        targets = list(plan.targets.select_related("area"))
        assert any(t.area_id == plan.area_id for t in targets)
        assert all(t.area.path.startswith(plan.area.path) for t in targets)
        assert PlanTask.objects.filter(plan=plan).count() == 6
    # Activities only involve the province's own synthetic producers and products.
    for point in SalesPoint.objects.prefetch_related("products__commune"):
        for product in point.products.all():
            assert (product.commune.current_path or product.commune.path).startswith(point.area.path)
    assert OutreachArticle.objects.filter(public=True).exists()
    # Written as if before the extras existed: they run again over the reused dataset.
    plans_before = Plan.objects.count()
    Plan.objects.filter(title__endswith="(tổng hợp)").delete()
    ReferenceDataset.objects.filter(name="synth:test:5:planning").delete()
    again = generate("test", seed=5)
    assert again.reused and Plan.objects.count() == plans_before
    assert generate("test", seed=5).extra == again.extra  # and only once
    deleted = reset()
    assert deleted["plans"] == plans_before and deleted["events"] > 0
    assert not Plan.objects.filter(title__endswith="(tổng hợp)").exists()
    assert not SalesPoint.objects.exists() and not EventParticipation.objects.exists()
