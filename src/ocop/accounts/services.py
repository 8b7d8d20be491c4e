"""Writes for accounts. Each function validates first, then writes in one transaction and audits.

Rules: an administrator creates users and grants roles only inside their own area subtree, and
only roles they hold themselves there; global roles only by global administrators.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.audit import services as audit
from ocop.core.text import fold, nfc

from . import selectors
from .models import ApiToken, LoginThrottle, Role, RoleAssignment, User

USER_FIELDS = ("full_name", "email", "phone", "organisation", "position")


def _check_area_right(actor, permission: str, area) -> None:
    scope = selectors.user_scope(actor, permission)
    if area is None:
        if not scope.everything:
            raise PermissionDenied(
                _("Only a system-wide administrator can grant a role for the whole system.")
            )
    elif not scope.covers_unit(area):
        raise PermissionDenied(_("%(area)s is outside your area.") % {"area": area.name})


def actor_holds_role(actor, role: Role, area) -> bool:
    """May `actor` hand out `role` over `area`?

    Only roles they hold: either the role itself over that area (globally, or over an area
    containing it), or a role all of whose permissions they hold there — so nobody can give
    away rights they do not have. A system-wide administrator (a global role granting every
    permission) may grant any role.
    """
    if actor.is_superuser or selectors.user_scope(actor, "*").everything:
        return True
    for assignment in selectors.active_assignments(actor):
        if assignment.role_id != role.pk:
            continue
        if assignment.area_id is None:
            return True
        if area is not None and (
            area.path.startswith(assignment.area.path)
            or (area.current_path and area.current_path.startswith(assignment.area.path))
        ):
            return True
    if area is None or "*" in (role.permissions or []):
        return False
    return all(selectors.user_scope(actor, perm).covers_unit(area) for perm in role.permissions or [])


def _validate_grant(actor, user: User | None, role: Role, area, valid_until: dt.date | None) -> None:
    _check_area_right(actor, "accounts.add_roleassignment", area)
    errors = {}
    if role.global_only and area is not None:
        errors["area"] = _("The role “%(role)s” can only be granted for the whole system.") % {"role": role}
    if not actor_holds_role(actor, role, area):
        errors["role"] = _("You can only grant roles you hold yourself over that area.")
    if valid_until is not None and valid_until < timezone.localdate():
        errors["valid_until"] = _("The end date is in the past.")
    if user is not None and RoleAssignment.objects.filter(user=user, role=role, area=area).exists():
        errors["role"] = _("The user already holds this role over this area.")
    if errors:
        raise ValidationError(errors)


def _clean_user_fields(data: dict, *, instance: User | None = None) -> dict:
    cleaned = {k: nfc(str(data.get(k) or "")) for k in USER_FIELDS if k in data}
    errors = {}
    if "full_name" in cleaned and not cleaned["full_name"]:
        errors["full_name"] = _("Enter the person's full name.")
    email = cleaned.get("email")
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
        else:
            clash = User.objects.filter(email__iexact=email)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["email"] = _("Another account already uses this e-mail address.")
    for key, limit in (("full_name", 150), ("phone", 20), ("organisation", 200), ("position", 150)):
        if len(cleaned.get(key, "")) > limit:
            errors[key] = _("At most %(n)s characters.") % {"n": limit}
    if errors:
        raise ValidationError(errors)
    return cleaned


def create_user(
    actor,
    *,
    username: str,
    password: str,
    role: Role,
    area,
    valid_until: dt.date | None = None,
    **fields,
) -> User:
    """Create an account together with its first role assignment."""
    username = nfc(username).lower()
    errors = {}
    if not username:
        errors["username"] = _("Enter a username.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This username is taken.")
    try:
        cleaned = _clean_user_fields({**fields, "full_name": fields.get("full_name", "")})
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = {}
    try:
        validate_password(password, User(username=username, **cleaned))
    except ValidationError as exc:
        errors["password"] = exc.messages
    try:
        _validate_grant(actor, None, role, area, valid_until)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User(username=username, **cleaned)
        user.set_password(password)
        user.save()
        audit.record(actor=actor, action="create", obj=user, after=audit.snapshot(user), area=area)
        _grant(actor, user, role, area, valid_until)
    return user


def update_user(actor, user: User, data: dict) -> User:
    if not User.objects.for_user(actor, "change").filter(pk=user.pk).exists():
        raise PermissionDenied
    cleaned = _clean_user_fields(data, instance=user)
    before = audit.snapshot(user)
    with transaction.atomic():
        for key, value in cleaned.items():
            setattr(user, key, value)
        user.save()
        audit.record(
            actor=actor,
            action="update",
            obj=user,
            before=before,
            after=audit.snapshot(user),
            area=_primary_area(user),
        )
    return user


def set_active(actor, user: User, active: bool, reason: str = "") -> User:
    if not User.objects.for_user(actor, "change").filter(pk=user.pk).exists() or user.pk == actor.pk:
        raise PermissionDenied
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="state",
            obj=user,
            changes={"is_active": [not active, active]},
            message=reason,
            area=_primary_area(user),
        )
    return user


def _primary_area(user: User):
    first = user.role_assignments.select_related("area").exclude(area=None).first()
    return first.area if first else None


def _grant(actor, user, role, area, valid_until) -> RoleAssignment:
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role,
        area=area,
        valid_until=valid_until,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="grant",
        obj=user,
        changes={
            "role": [None, role.code],
            "area": [None, area.name if area else None],
            "valid_until": [None, valid_until.isoformat() if valid_until else None],
        },
        area=area,
    )
    selectors.clear_cache(user)
    return assignment


def grant_role(actor, user: User, role: Role, area, valid_until: dt.date | None = None) -> RoleAssignment:
    # The target must be someone the actor manages, or an account with no area roles yet.
    manageable = User.objects.for_user(actor, "change").filter(pk=user.pk).exists()
    has_area_roles = user.role_assignments.exists()
    if not manageable and has_area_roles:
        raise PermissionDenied
    _validate_grant(actor, user, role, area, valid_until)
    with transaction.atomic():
        return _grant(actor, user, role, area, valid_until)


def revoke_role(actor, assignment: RoleAssignment, reason: str = "") -> None:
    _check_area_right(actor, "accounts.delete_roleassignment", assignment.area)
    if assignment.user_id == actor.pk and not actor.is_superuser:
        raise PermissionDenied(_("You cannot revoke your own roles."))
    with transaction.atomic():
        user = assignment.user
        audit.record(
            actor=actor,
            action="revoke",
            obj=user,
            changes={
                "role": [assignment.role.code, None],
                "area": [assignment.area.name if assignment.area else None, None],
            },
            message=reason,
            area=assignment.area,
        )
        assignment.delete()
        selectors.clear_cache(user)


def create_token(actor, *, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    name = nfc(name)
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the client that will use it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("At most %(n)s characters.") % {"n": 100}})
    if expires_in_days is not None and not (1 <= expires_in_days <= 3650):
        raise ValidationError({"expires_in_days": _("Between 1 and 3650 days.")})
    raw, prefix, digest = ApiToken.generate()
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name, key_prefix=prefix, digest=digest, expires_at=expires_at
        )
        audit.record(
            actor=actor,
            action="create",
            obj=token,
            after={"name": name, "prefix": prefix, "expires_at": expires_at},
        )
    return token, raw


def revoke_token(actor, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="state", obj=token, changes={"revoked": [False, True]})


# --- Sign-in throttling ---------------------------------------------------------------------------


def throttle_key(username: str | None) -> str:
    return fold(username or "")[:150]


def is_locked(username: str | None) -> bool:
    throttle = LoginThrottle.objects.filter(username=throttle_key(username)).first()
    return bool(throttle and throttle.is_locked)


def register_failure(username: str | None, ip: str | None) -> LoginThrottle:
    from django.conf import settings

    key = throttle_key(username)
    now = timezone.now()
    with transaction.atomic():
        throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(username=key)
        if throttle.locked_until and throttle.locked_until <= now:
            throttle.failures = 0
            throttle.locked_until = None
        throttle.failures += 1
        throttle.last_failure_at = now
        throttle.last_ip = ip
        newly_locked = False
        if throttle.failures >= settings.OCOP_LOGIN_MAX_FAILURES and not throttle.is_locked:
            throttle.locked_until = now + dt.timedelta(minutes=settings.OCOP_LOGIN_LOCKOUT_MINUTES)
            newly_locked = True
        throttle.save()
        user = User.objects.filter(username__iexact=username or "").first()
        audit.record(
            actor=None,
            action="locked" if newly_locked else "login_failed",
            object_type="accounts.user",
            object_id=str(user.pk) if user else "",
            object_repr=(username or "")[:150],
            message=f"ip={ip or '-'} failures={throttle.failures}",
            area=_primary_area(user) if user else None,
        )
    return throttle


def register_success(user: User, ip: str | None) -> None:
    with transaction.atomic():
        LoginThrottle.objects.filter(username=throttle_key(user.get_username())).delete()
        audit.record(
            actor=user, action="login", obj=user, message=f"ip={ip or '-'}", area=_primary_area(user)
        )


def record_logout(user: User, ip: str | None) -> None:
    with transaction.atomic():
        audit.record(
            actor=user, action="logout", obj=user, message=f"ip={ip or '-'}", area=_primary_area(user)
        )


def record_password_change(actor, user: User, how: str) -> None:
    with transaction.atomic():
        audit.record(actor=actor, action="password", obj=user, message=how, area=_primary_area(user))


def sync_roles() -> int:
    """Bring the Role table up to date with `roles.ROLES` (run after every migrate)."""
    from .roles import ROLES

    changed = 0
    with transaction.atomic():
        for spec in ROLES:
            role = Role.objects.filter(code=spec["code"]).first()
            values = {k: v for k, v in spec.items() if k != "code"}
            if role is None:
                role = Role.objects.create(code=spec["code"], **values)
                audit.record(actor=None, action="create", obj=role, after=audit.snapshot(role))
                changed += 1
                continue
            before = audit.snapshot(role)
            for key, value in values.items():
                setattr(role, key, value)
            after = audit.snapshot(role)
            if before != after:
                role.save()
                audit.record(actor=None, action="update", obj=role, before=before, after=after)
                changed += 1
    return changed


def bootstrap_admin(*, username: str, password: str, full_name: str, email: str = "") -> User:
    """Create the first system administrator (no actor yet). Used by `ocop create-admin` and the
    demo loader; refuses an existing username."""
    from .models import Role

    username = nfc(username).lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    validate_password(password, User(username=username, full_name=full_name, email=email))
    role = Role.objects.get(code="system_admin")
    with transaction.atomic():
        user = User(username=username, full_name=nfc(full_name), email=email)
        user.set_password(password)
        user.save()
        audit.record(
            actor=None,
            action="create",
            obj=user,
            after=audit.snapshot(user),
            message="bootstrap system administrator",
        )
        _grant(None, user, role, None, None)
    return user
