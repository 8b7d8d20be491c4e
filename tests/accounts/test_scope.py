"""One scoping mechanism: for_user(user, action) on every scoped model."""

import pytest

from ocop.accounts.models import RoleAssignment, User
from ocop.accounts.selectors import has_perm, user_scope
from ocop.audit.models import AuditEvent
from ocop.geo.models import AdminUnit
from tests.conftest import CHO_DON, CON_MINH_LEGACY, NA_RI, NA_RI_DISTRICT
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_anonymous_and_inactive_users_see_nothing(nari_officer):
    from django.contrib.auth.models import AnonymousUser

    assert not User.objects.for_user(AnonymousUser(), "view").exists()
    assert not AdminUnit.objects.for_user(AnonymousUser(), "view").exists()
    nari_officer.is_active = False
    assert user_scope(nari_officer, "accounts.view_user").nothing


def test_places_are_reference_data_readable_by_every_signed_in_user(nari_officer):
    assert AdminUnit.objects.for_user(nari_officer, "view").count() == AdminUnit.objects.count()
    # …but changing them is for global administrators only.
    assert not AdminUnit.objects.for_user(nari_officer, "manage").exists()


def test_commune_officer_sees_users_of_their_commune_only(nari_officer, chodon_officer, province_admin):
    colleague = make_user("xa.nari.2", "commune_officer", NA_RI)
    visible = set(User.objects.for_user(nari_officer, "view"))
    assert colleague in visible and nari_officer in visible
    assert chodon_officer not in visible
    assert province_admin not in visible  # the province role covers more than Na Rì


def test_province_admin_sees_the_whole_province_subtree(
    province_admin, nari_officer, chodon_officer, hanoi_admin
):
    visible = set(User.objects.for_user(province_admin, "view"))
    assert {province_admin, nari_officer, chodon_officer} <= visible
    assert hanoi_admin not in visible


def test_global_admin_sees_everyone(admin_user, nari_officer, hanoi_admin):
    assert set(User.objects.for_user(admin_user, "view")) >= {admin_user, nari_officer, hanoi_admin}


def test_legacy_records_are_in_scope_through_their_successor(province_admin, nari_officer, unit):
    """An officer of the new Thái Nguyên sees what was recorded in a former Bắc Kạn commune."""
    legacy_user = make_user("old.conminh", "commune_officer", CON_MINH_LEGACY)
    assert legacy_user in User.objects.for_user(province_admin, "view")
    # Scope objects answer the same question for a single unit.
    scope = user_scope(province_admin, "accounts.view_user")
    assert scope.covers_unit(unit(CON_MINH_LEGACY))
    assert scope.covers_unit(unit(NA_RI_DISTRICT))  # the former district went to Thái Nguyên
    assert not user_scope(nari_officer, "accounts.view_user").covers_unit(unit(CON_MINH_LEGACY))


def test_a_legacy_area_assignment_covers_the_legacy_subtree(unit):
    historian = make_user("old.nari", "province_officer", NA_RI_DISTRICT)
    scope = user_scope(historian, "audit.view_auditevent")
    assert scope.covers_unit(unit(CON_MINH_LEGACY))
    assert not scope.covers_unit(unit(CHO_DON))


def test_audit_events_are_scoped_by_area_and_own_actions(province_admin, nari_officer, chodon_officer):
    from django.db import transaction

    from ocop.audit import services as audit

    with transaction.atomic():
        in_nari = audit.record(
            actor=None,
            action="other",
            object_type="x.y",
            object_repr="Na Rì thing",
            area=AdminUnit.objects.get(path=NA_RI),
        )
        in_chodon = audit.record(
            actor=None,
            action="other",
            object_type="x.y",
            object_repr="Chợ Đồn thing",
            area=AdminUnit.objects.get(path=CHO_DON),
        )
        global_event = audit.record(actor=None, action="other", object_type="x.y", object_repr="global")
        own = audit.record(actor=nari_officer, action="other", object_type="x.y", object_repr="mine")
    nari_sees = set(AuditEvent.objects.for_user(nari_officer, "view"))
    assert in_nari in nari_sees and own in nari_sees
    assert in_chodon not in nari_sees and global_event not in nari_sees
    province_sees = set(AuditEvent.objects.for_user(province_admin, "view"))
    assert {in_nari, in_chodon} <= province_sees
    assert global_event not in province_sees


def test_expired_role_assignments_grant_nothing(nari_officer):
    import datetime as dt

    RoleAssignment.objects.filter(user=nari_officer).update(valid_until=dt.date(2020, 1, 1))
    fresh = User.objects.get(pk=nari_officer.pk)
    assert not has_perm(fresh, "accounts.view_user")
    assert list(User.objects.for_user(fresh, "view")) == [fresh]  # only themself


def test_scope_is_computed_once_per_request(nari_officer, django_assert_num_queries):
    fresh = User.objects.get(pk=nari_officer.pk)
    with django_assert_num_queries(1):
        user_scope(fresh, "accounts.view_user")
        user_scope(fresh, "audit.view_auditevent")
        has_perm(fresh, "accounts.view_user")
