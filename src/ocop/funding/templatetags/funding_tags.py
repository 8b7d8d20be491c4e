from django import template
from django.utils import formats

register = template.Library()


@register.filter
def vnd(value) -> str:
    """An amount in whole đồng, grouped the Vietnamese way: 1.500.000."""
    if value in (None, ""):
        return "—"
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)
