"""The demo quality inspections and funding: loaded on the demo registry's illustrative producers,
idempotent, marked illustrative, removed by reset."""

from __future__ import annotations

import pytest

from ocop.funding import demo as funding_demo
from ocop.funding.models import Disbursement, FundingSource, StateAsset, SupportGrant
from ocop.quality import demo as quality_demo
from ocop.quality.models import Inspection
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent_illustrative_and_reset(db):
    from ocop.registry import demo

    make_user("admin", "system_admin", None)
    demo.load_registry_demo()
    assert "3" in quality_demo.load()
    assert "4" in funding_demo.load()
    quality_demo.load()
    funding_demo.load()
    assert Inspection.objects.count() == 3 and SupportGrant.objects.count() == 4
    assert FundingSource.objects.count() == 3 and StateAsset.objects.count() == 1
    assert all(i.is_illustrative and i.producer.is_illustrative for i in Inspection.objects.all())
    assert all(g.is_illustrative and g.producer.is_illustrative for g in SupportGrant.objects.all())
    assert {g.decision_date.year for g in SupportGrant.objects.all()} == {2024}
    assert "Nghị quyết số 09/2019/NQ-HĐND" in " ".join(
        FundingSource.objects.values_list("legal_basis", flat=True)
    )
    assert not Inspection.objects.filter(cases__isnull=False).exists()  # no certificate touched
    for g in SupportGrant.objects.all():
        assert sum(d.amount for d in g.disbursements.all()) <= g.approved_amount
    # An officer's own records on a demo producer do not block `ocop demo reset`.
    from ocop.funding import services

    grant = SupportGrant.objects.first()
    services.create_grant(
        grant.created_by,
        {
            "producer": grant.producer,
            "kind": "training",
            "decision_number": "Tập huấn 1",
            "decision_date": grant.decision_date,
            "approved_amount": 1_000_000,
            "source": grant.source,
            "responsible_unit": "Sở Công Thương",
        },
    )
    funding_demo.reset()
    quality_demo.reset()
    assert not (Inspection.objects.exists() or SupportGrant.objects.exists() or Disbursement.objects.exists())
    assert not (StateAsset.objects.exists() or FundingSource.objects.exists())
    demo.reset_registry_demo()
