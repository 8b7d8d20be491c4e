"""The audit trail: one hash-chained row per change, written in the same transaction."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocop.core.scope import Scope, ScopedModelMixin, ScopedQuerySet

GENESIS_HASH = "0" * 64


class AuditEventQuerySet(ScopedQuerySet):
    def for_object(self, obj):
        return self.filter(object_type=object_label(obj), object_id=str(obj.pk))


def object_label(obj_or_model) -> str:
    meta = obj_or_model._meta
    return f"{meta.app_label}.{meta.model_name}"


class AuditEvent(ScopedModelMixin, models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        STATE = "state", _("State changed")
        GRANT = "grant", _("Role granted")
        REVOKE = "revoke", _("Role revoked")
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Sign-in failed")
        LOCKED = "locked", _("Account locked")
        LOGOUT = "logout", _("Signed out")
        PASSWORD = "password", _("Password changed")
        IMPORT = "import", _("Imported")
        EXPORT = "export", _("Exported")
        OPEN = "open", pgettext_lazy("audit action", "Opened")
        CLOSE = "close", pgettext_lazy("audit action", "Closed")
        SCORE = "score", _("Scored")
        SUBMIT = "submit", _("Submitted")
        REOPEN = "reopen", _("Reopened")
        ATTENDANCE = "attendance", _("Attendance recorded")
        CONFLICT = "conflict", _("Conflict of interest declared")
        REFER = "refer", _("Referred to a meeting")
        DISQUALIFY = "disqualify", _("Rejected without scoring")
        WITHDRAW = "withdraw", _("Withdrawn")
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        REVOCATION = "revocation", _("Certificate revoked")
        OTHER = "other", _("Other")

    scope_area_field = "area"

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=200, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    area = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        own = Q(actor_id=scope.user_id) if scope.user_id else Q(pk__in=[])
        if scope.nothing:
            return own
        return own | scope.area_q("area__")

    def hash_payload(self) -> dict:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "request_id": self.request_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "area": self.area_id,
            "changes": self.changes,
            "message": self.message,
            "prev": self.prev_hash,
        }

    def compute_hash(self) -> str:
        data = json.dumps(self.hash_payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


class AuditChainHead(models.Model):
    """A single row holding the chain's last sequence number and hash.

    Writers lock it (`select_for_update`) so that concurrent transactions append one at a time;
    it also lets `verify` notice events removed from the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq}"
