"""Sign-in, lockout after repeated failures, password change and reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from ocop.accounts.models import LoginThrottle
from ocop.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_redirects_home_and_home_shows_the_users_scope(client, nari_officer):
    response = login(client, "xa.nari", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    text = home.content.decode()
    assert "Xã Na Rì" in text
    assert AuditEvent.objects.filter(action="login", actor=nari_officer).exists()


def test_pages_require_login(client):
    response = client.get("/places/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_wrong_password_shows_a_message_and_counts(client, nari_officer, settings):
    response = login(client, "xa.nari", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert LoginThrottle.objects.get(username="xa.nari").failures == 1
    assert AuditEvent.objects.filter(action="login_failed", object_repr="xa.nari").exists()


def test_account_locks_after_repeated_failures_even_for_the_right_password(client, nari_officer, settings):
    settings.OCOP_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        login(client, "xa.nari", "wrong")
    assert LoginThrottle.objects.get(username="xa.nari").is_locked
    assert AuditEvent.objects.filter(action="locked", object_repr="xa.nari").count() == 1
    response = login(client, "xa.nari", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].has_error("__all__", code="locked")


def test_lock_expires_and_success_resets_the_counter(client, nari_officer, settings):
    import datetime as dt

    from django.utils import timezone

    settings.OCOP_LOGIN_MAX_FAILURES = 2
    login(client, "xa.nari", "wrong")
    login(client, "xa.nari", "wrong")
    LoginThrottle.objects.filter(username="xa.nari").update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    response = login(client, "xa.nari", PASSWORD)
    assert response.status_code == 302
    assert not LoginThrottle.objects.filter(username="xa.nari").exists()


def test_logout_is_a_post_and_is_audited(client, nari_officer):
    client.force_login(nari_officer)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=nari_officer).exists()


def test_password_change_is_audited(client, nari_officer):
    client.force_login(nari_officer)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    nari_officer.refresh_from_db()
    assert nari_officer.check_password("Mot-mat-khau-moi-2026")
    assert AuditEvent.objects.filter(action="password", object_id=str(nari_officer.pk)).exists()


def test_password_reset_by_email_link(client, nari_officer):
    response = client.post(reverse("accounts:password_reset"), {"email": nari_officer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Dat-lai-mat-khau-2026", "new_password2": "Dat-lai-mat-khau-2026"},
    )
    assert response.status_code == 302
    nari_officer.refresh_from_db()
    assert nari_officer.check_password("Dat-lai-mat-khau-2026")
    assert AuditEvent.objects.filter(action="password", object_id=str(nari_officer.pk)).exists()


def test_password_reset_for_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []
