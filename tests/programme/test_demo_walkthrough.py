"""The README's walk through the OCOP cycle works on the demo data: the demo producer account
(`htx.taihoan`, HTX Tài Hoan in Xã Côn Minh) files an idea, and the demo commune officer of its
commune (`xa.conminh`) is told and accepts it — a business plan is started for the producer."""

import pytest
from django.core.exceptions import PermissionDenied

from ocop.accounts.models import User
from ocop.core.demo import load_demo_accounts
from ocop.core.models import Notification
from ocop.programme import services
from ocop.programme.choices import IdeaState
from ocop.programme.models import BusinessPlan
from ocop.registry.demo import load_registry_demo

from .helpers import category

pytestmark = pytest.mark.django_db


def test_the_demo_producers_idea_reaches_the_demo_officer_of_its_commune():
    load_demo_accounts()
    load_registry_demo()
    owner = User.objects.get(username="htx.taihoan")
    (producer,) = owner.producers.all()
    idea = services.create_idea(
        owner,
        {
            "producer": producer,
            "product_name": "Bún dong Tài Hoan",
            "category": category("7"),
            "description": "Bún làm từ tinh bột dong riềng của vùng nguyên liệu Côn Minh.",
        },
        submit=True,
    )
    officer = User.objects.get(username="xa.conminh")
    assert Notification.objects.filter(recipient=officer, url=idea.get_absolute_url()).exists()
    # The officers of other communes neither hear of it nor may decide it.
    assert not Notification.objects.filter(recipient__username="xa.nari").exists()
    with pytest.raises(PermissionDenied):
        services.review_idea(User.objects.get(username="xa.nari"), idea, "accept")
    services.review_idea(officer, idea, "accept")
    idea.refresh_from_db()
    assert idea.state == IdeaState.ACCEPTED
    assert BusinessPlan.objects.get(idea=idea).producer == producer
