from django import template

register = template.Library()


@register.inclusion_tag("activities/_promotion_evidence.html", takes_context=True)
def promotion_evidence(context, product):
    """The product's promotion events by where they were held (evidence for its evaluation)."""
    from ocop.accounts.selectors import has_perm

    from ..selectors import promotion_summary

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "summary": promotion_summary(product),
        "can_view_events": user is not None and has_perm(user, "activities.view_promotionevent"),
    }
