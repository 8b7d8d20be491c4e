"""Creating users and granting roles: inside one's own subtree, only roles one holds."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ocop.accounts import services
from ocop.accounts.models import ApiToken, Role, RoleAssignment, User
from ocop.audit.models import AuditEvent
from tests.conftest import CHO_DON, HA_NOI, NA_RI, THAI_NGUYEN

pytestmark = pytest.mark.django_db


def role(code):
    return Role.objects.get(code=code)


def create(actor, unit, username="moi", role_code="commune_officer", area=NA_RI, **extra):
    data = {"full_name": "Nguyễn Văn Mới", "email": f"{username}@example.vn", **extra}
    return services.create_user(
        actor,
        username=username,
        password="Mat-khau-manh-2026",
        role=role(role_code),
        area=unit(area) if area else None,
        **data,
    )


def test_province_admin_creates_a_commune_officer_in_their_province(province_admin, unit):
    user = create(province_admin, unit)
    assert user.check_password("Mat-khau-manh-2026")
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role.code, assignment.area.path, assignment.granted_by) == (
        "commune_officer",
        NA_RI,
        province_admin,
    )
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "grant"]
    created = AuditEvent.objects.get(object_type="accounts.user", object_id=str(user.pk), action="create")
    assert created.actor == province_admin
    assert created.changes["password"] == [None, "***"]  # never the hash


def test_cannot_create_a_user_outside_ones_subtree(province_admin, unit):
    with pytest.raises(PermissionDenied):
        create(province_admin, unit, area=HA_NOI)
    assert not User.objects.filter(username="moi").exists()


def test_cannot_grant_a_role_one_does_not_hold(nari_officer, province_admin, unit):
    # A role carrying a right the province admin lacks cannot be handed out by them…
    Role.objects.create(
        code="inspector", name="Inspector", permissions=["accounts.view_user", "registry.revoke_x"]
    )
    with pytest.raises(ValidationError) as exc:
        create(province_admin, unit, role_code="inspector", area=THAI_NGUYEN)
    assert "role" in exc.value.message_dict
    # …while roles whose rights they hold there can be.
    assert create(province_admin, unit, username="gs", role_code="supervisor", area=THAI_NGUYEN)
    # A commune officer may not create accounts at all.
    with pytest.raises(PermissionDenied):
        create(nari_officer, unit)
    assert not User.objects.filter(username="moi").exists()


def test_global_roles_only_by_global_admins(province_admin, admin_user, unit):
    with pytest.raises(PermissionDenied):
        create(province_admin, unit, role_code="province_admin", area=None)
    with pytest.raises(ValidationError) as exc:
        create(admin_user, unit, role_code="system_admin", area=NA_RI)
    assert "area" in exc.value.message_dict
    user = create(admin_user, unit, role_code="supervisor", area=None)
    assert RoleAssignment.objects.get(user=user).area is None


def test_bad_input_is_refused_whole_and_writes_nothing(province_admin, unit):
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_user(
            province_admin,
            username="",
            password="123",
            role=role("commune_officer"),
            area=unit(NA_RI),
            full_name="",
            email="not-an-email",
            phone="0" * 30,
        )
    errors = exc.value.message_dict
    assert {"username", "password", "full_name", "email", "phone"} <= set(errors)
    assert AuditEvent.objects.count() == events_before


def test_duplicate_username_and_email_are_refused(province_admin, unit, nari_officer):
    with pytest.raises(ValidationError) as exc:
        create(province_admin, unit, username="XA.NARI", email=nari_officer.email.upper())
    assert {"username", "email"} <= set(exc.value.message_dict)


def test_grant_and_revoke_are_audited_and_scoped(province_admin, chodon_officer, hanoi_admin, unit):
    assignment = services.grant_role(
        province_admin,
        chodon_officer,
        role("province_officer"),
        unit(THAI_NGUYEN),
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    assert AuditEvent.objects.filter(action="grant", object_id=str(chodon_officer.pk)).exists()
    with pytest.raises(ValidationError):  # same role, same area twice
        services.grant_role(province_admin, chodon_officer, role("province_officer"), unit(THAI_NGUYEN))
    with pytest.raises(PermissionDenied):  # a user of another province
        services.grant_role(province_admin, hanoi_admin, role("province_officer"), unit(THAI_NGUYEN))
    services.revoke_role(province_admin, assignment, reason="hết nhiệm vụ")
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    revoke = AuditEvent.objects.filter(action="revoke").latest("seq")
    assert revoke.message == "hết nhiệm vụ"


def test_cannot_revoke_own_role_or_outside_area(province_admin, hanoi_admin):
    own = RoleAssignment.objects.get(user=province_admin)
    with pytest.raises(PermissionDenied):
        services.revoke_role(province_admin, own)
    with pytest.raises(PermissionDenied):
        services.revoke_role(province_admin, RoleAssignment.objects.get(user=hanoi_admin))


def test_past_end_date_is_refused(province_admin, chodon_officer, unit):
    with pytest.raises(ValidationError) as exc:
        services.grant_role(
            province_admin,
            chodon_officer,
            role("commune_officer"),
            unit(CHO_DON),
            valid_until=dt.date(2020, 1, 1),
        )
    assert "valid_until" in exc.value.message_dict


def test_update_and_disable_user(province_admin, nari_officer, hanoi_admin):
    services.update_user(
        province_admin, nari_officer, {"full_name": "Hoàng Văn Đức", "position": "Phó Chủ tịch"}
    )
    event = AuditEvent.objects.filter(action="update", object_id=str(nari_officer.pk)).latest("seq")
    assert event.changes["position"] == ["", "Phó Chủ tịch"]
    services.set_active(province_admin, nari_officer, False, "nghỉ hưu")
    nari_officer.refresh_from_db()
    assert not nari_officer.is_active
    with pytest.raises(PermissionDenied):
        services.update_user(province_admin, hanoi_admin, {"full_name": "X"})
    with pytest.raises(PermissionDenied):
        services.set_active(province_admin, province_admin, False)


def test_api_tokens_are_stored_as_digests_and_revocable(nari_officer):
    token, raw = services.create_token(nari_officer, name="báo cáo", expires_in_days=30)
    assert raw.startswith("ocop_") and raw not in token.digest
    assert ApiToken.lookup(raw) == token
    assert ApiToken.lookup(raw + "x") is None
    services.revoke_token(nari_officer, token)
    assert ApiToken.lookup(raw) is None
    with pytest.raises(ValidationError):
        services.create_token(nari_officer, name="  ")
