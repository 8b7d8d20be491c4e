from __future__ import annotations

from django.db import transaction

from ocop.audit import services as audit

PASSWORD = "Test-password-2026"


def make_user(username: str, role_code: str | None, area_path: str | None, **fields):
    """A user with one role assignment, written the way services write (audited)."""
    from ocop.accounts.models import Role, RoleAssignment, User
    from ocop.geo.models import AdminUnit

    with transaction.atomic():
        user = User(
            username=username,
            full_name=fields.pop("full_name", f"Người dùng {username}"),
            email=fields.pop("email", f"{username}@example.vn"),
            **fields,
        )
        user.set_password(PASSWORD)
        user.save()
        audit.record(actor=None, action="create", obj=user, after=audit.snapshot(user))
        if role_code:
            area = AdminUnit.objects.get(path=area_path) if area_path else None
            RoleAssignment.objects.create(user=user, role=Role.objects.get(code=role_code), area=area)
    return user
