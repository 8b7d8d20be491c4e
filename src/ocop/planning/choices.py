from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitKind(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")
    VND = "vnd", _("VND")
    PER_MONTH = "per_month", _("Per month")


class Method(models.TextChoices):
    COUNTED = "counted", _("Counted from the data")
    ENTERED = "entered", _("Entered by hand")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum of the areas")
    NONE = "none", _("Not summable")


class PlanKind(models.TextChoices):
    PLAN = "plan", _("Plan (kế hoạch)")
    RESOLUTION = "resolution", _("Resolution (nghị quyết)")
    DIRECTIVE = "directive", _("Directive (chỉ thị)")
    PROGRAMME = "programme", _("Programme (chương trình)")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    CLOSED = "closed", pgettext_lazy("plan", "Closed")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Light(models.TextChoices):
    GREEN = "green", _("On track")
    AMBER = "amber", _("Slightly behind")
    RED = "red", _("Behind")
    NONE = "none", _("Not assessed")
