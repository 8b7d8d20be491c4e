"""Users, roles (data), role assignments scoped to an area subtree, API tokens, login lockout."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.scope import Scope, ScopedModelMixin, ScopedQuerySet
from ocop.core.text import search_text


class UserQuerySet(ScopedQuerySet):
    pass


class OcopUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(ScopedModelMixin, AbstractUser):
    """An account. Display name is `full_name` (Vietnamese names do not split into first/last)."""

    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    search_folded = models.CharField(max_length=500, editable=False, blank=True)

    objects = OcopUserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        self.search_folded = search_text(self.username, self.full_name, self.email, self.organisation)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """A user is in scope when one of their role assignments is; users with only global
        roles, or none, are visible to global administrators alone. Everyone sees themself."""
        own = Q(pk=scope.user_id) if scope.user_id else Q(pk__in=[])
        if scope.nothing:
            return own
        inside = RoleAssignment.objects.filter(user=OuterRef("pk"), area__isnull=False).filter(
            scope.area_q("area__")
        )
        return own | Q(Exists(inside))

    def get_absolute_url(self) -> str:
        from ocop.core.links import url_to

        return url_to("accounts:user_detail", self.pk)


class Role(models.Model):
    """A role is data: a code, a name and the permissions it grants.

    Permissions are strings `<app>.<action>_<model>` (e.g. `geo.view_adminunit`) or `*` for
    everything. Roles are loaded from `ocop/accounts/roles.py` by migrations and can be extended.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    permissions = models.JSONField(_("permissions"), default=list)
    global_only = models.BooleanField(
        _("global only"), default=False, help_text=_("Can only be granted without an area.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        from django.utils.translation import gettext

        return gettext(self.name)

    def grants(self, permission: str) -> bool:
        perms = self.permissions or []
        if "*" in perms or permission in perms:
            return True
        app = permission.split(".", 1)[0]
        return f"{app}.*" in perms


class RoleAssignmentQuerySet(ScopedQuerySet):
    def active(self):
        today = timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))


class RoleAssignment(ScopedModelMixin, models.Model):
    """A role held by a user over an area's subtree, or globally (area empty)."""

    scope_area_field = "area"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("role")
    )
    area = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("area"),
        help_text=_("Empty means the whole system."),
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "role__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "area"], name="accounts_assignment_unique"),
        ]

    def __str__(self) -> str:
        from django.utils.translation import gettext

        where = self.area.name if self.area_id else gettext("Whole system")
        return f"{self.role} — {where}"


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for machine clients. Only a digest is stored; the token is shown once."""

    PREFIX = "ocop_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def generate(cls) -> tuple[str, str, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        return raw, raw[:12], _token_digest(raw)

    @classmethod
    def lookup(cls, raw: str) -> ApiToken | None:
        if not raw or not raw.startswith(cls.PREFIX):
            return None
        token = cls.objects.select_related("user").filter(digest=_token_digest(raw)).first()
        if token is None or not token.is_usable:
            return None
        return token

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and self.user.is_active
        )


class LoginThrottle(models.Model):
    """Failed sign-in attempts per (folded) username; a run of failures locks the account."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return self.username

    @property
    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())
