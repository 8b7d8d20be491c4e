"""Reads for accounts, and the one function that computes what a user may see."""

from __future__ import annotations

from django.db.models import Prefetch

from ocop.core.scope import Scope

from .models import RoleAssignment
from .roles import ALWAYS_GRANTED


def active_assignments(user) -> list[RoleAssignment]:
    """The user's active role assignments (role and area loaded), cached on the user object."""
    cached = getattr(user, "_ocop_assignments", None)
    if cached is None:
        cached = list(RoleAssignment.objects.active().filter(user=user).select_related("role", "area"))
        user._ocop_assignments = cached
    return cached


def user_scope(user, permission: str) -> Scope:
    """Where `user` holds `permission`: everywhere, nowhere, or over a set of area subtrees."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.is_superuser or permission in ALWAYS_GRANTED:
        return Scope(everything=True, user_id=user.pk)
    cache = user.__dict__.setdefault("_ocop_scope_cache", {})
    if permission in cache:
        return cache[permission]
    everything = False
    paths: set[str] = set()
    for assignment in active_assignments(user):
        if not assignment.role.grants(permission):
            continue
        if assignment.area_id is None:
            everything = True
        else:
            paths.add(assignment.area.path)
    # Drop paths covered by a shorter one.
    minimal = frozenset(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
    scope = Scope(everything=everything, paths=frozenset() if everything else minimal, user_id=user.pk)
    cache[permission] = scope
    return scope


def has_perm(user, permission: str, unit=None) -> bool:
    """Does `user` hold `permission` anywhere (unit None) or over `unit`?"""
    scope = user_scope(user, permission)
    if unit is None:
        return not scope.nothing
    return scope.covers_unit(unit)


def role_codes(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {a.role.code for a in active_assignments(user)}


def clear_cache(user) -> None:
    for attr in ("_ocop_assignments", "_ocop_scope_cache"):
        user.__dict__.pop(attr, None)


def users_for_list(user):
    from .models import User

    return User.objects.for_user(user, "view").prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("role", "area").order_by("role__sort_order"),
        )
    )
