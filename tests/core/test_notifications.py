"""In-app notifications: once per key, e-mailed after commit, own only."""

import pytest
from django.core import mail
from django.db import transaction

from ocop.core.models import Notification
from ocop.core.notifications import notify
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_keyed_notice_is_sent_once_and_emailed_after_commit(
    nari_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = notify(
            [nari_officer], "Giấy chứng nhận sắp hết hạn", "Nộp hồ sơ đánh giá lại", "/x/", key="k1"
        )
        again = notify([nari_officer], "Giấy chứng nhận sắp hết hạn", key="k1")
    assert len(first) == 1 and again == []
    assert Notification.objects.filter(recipient=nari_officer).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [nari_officer.email]
    assert Notification.objects.get().emailed_at is not None


def test_users_see_and_mark_only_their_own(client, nari_officer, chodon_officer):
    notify([nari_officer], "Của Na Rì")
    notify([chodon_officer], "Của Chợ Đồn")
    client.force_login(chodon_officer)
    page = client.get("/notifications/")
    body = page.content.decode()
    assert "Của Chợ Đồn" in body and "Của Na Rì" not in body
    other = Notification.objects.get(recipient=nari_officer)
    client.post("/notifications/", {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None
    client.post("/notifications/")
    assert Notification.objects.get(recipient=chodon_officer).read_at is not None


def test_the_header_counts_unread_notices(client):
    user = make_user("thongbao", "province_officer", "2025/19/")
    notify([user], "Một"), notify([user], "Hai")
    client.force_login(user)
    assert 'data-testid="unread-count">2<' in client.get("/").content.decode()
