"""A scorecard's criteria written in Python: a sheet has some 60 criteria and 150 options, and the
template loop over them cost most of the page (make bench, scorecard load). The markup is the
one the template wrote (tests/evaluation/test_views.py compares them)."""

from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def scorecard_criteria(nodes, editable: bool, answer_url: str) -> str:
    """The criteria of one part (`_card_node` items): a form per scored criterion, a heading row
    per group."""
    max_label = escape(gettext("max."))
    comment_label = escape(gettext("Comment and evidence"))
    comment_placeholder = escape(gettext("Comment"))
    evidence_placeholder = escape(gettext("Evidence link (https://…)"))
    evidence_label = escape(gettext("Evidence link"))
    least = gettext("The least a product needs on this criterion for %(n)s stars")
    minimum = gettext("min. %(n)s★")
    disabled = "" if editable else " disabled"
    out = []
    for item in nodes:
        node, answer = item["node"], item["answer"]
        code_label = f"{escape(node.code)}. {escape(node.label)}"
        maximum = (
            '<span class="ms-auto text-secondary small text-nowrap ps-2">'
            f"{max_label} {escape(item['max_text'])}</span>"
        )
        indent = f'style="padding-left: {escape(localize(item["depth"]))}rem"'
        note = escape(node.requirement_note)
        if not node.is_scorable:
            out.append(
                f'<div class="list-group-item bg-light" {indent}>'
                f'<div class="d-flex"><strong>{code_label}</strong>{maximum}</div>'
                + (f'<div class="small text-orange">{note}</div>' if note else "")
                + "</div>"
            )
            continue
        nid = escape(localize(node.id))
        hx = (
            f' hx-post="{escape(answer_url)}" hx-trigger="change" hx-target="#saved-{nid}"'
            ' hx-swap="innerHTML" hx-sync="this:queue last"'
            if editable
            else ""
        )
        parts = [
            f'<form class="list-group-item criterion" id="c-{nid}" data-criterion="{nid}" {indent}{hx}>',
            f'<input type="hidden" name="criterion" value="{nid}">',
            f'<div class="d-flex"><div class="fw-bold">{code_label}</div>{maximum}</div>',
        ]
        if note:
            parts.append(f'<div class="small text-orange mb-1">{note}</div>')
        for option in item["options"]:
            stars = "".join(
                f' <span class="badge bg-yellow-lt" title="{escape(least % {"n": n})}">'
                f"{escape(minimum % {'n': n})}</span>"
                for n in option["stars"]
            )
            checked = " checked" if option["checked"] else ""
            value = escape(localize(option["id"]))
            points = escape(localize(option["points"]))
            parts.append(
                '<label class="form-check mb-1"><input class="form-check-input" type="radio" name="option"'
                f' value="{value}"{checked}{disabled} data-points="{points}">'
                f'<span class="form-check-label">{escape(option["label"])} — '
                f"<strong>{escape(option['points_text'])}</strong>{stars}</span></label>"
            )
        comment = escape(answer.comment) if answer is not None else ""
        evidence = escape(answer.evidence_url) if answer is not None else ""
        opened = " open" if comment or evidence else ""
        parts.append(
            f'<details class="mt-1"{opened}><summary class="small text-secondary">{comment_label}</summary>'
            '<div class="row g-2 mt-1"><div class="col-md-7">'
            '<input class="form-control form-control-sm" name="comment" maxlength="1000"'
            f' value="{comment}" placeholder="{comment_placeholder}"'
            f' aria-label="{comment_placeholder}"{disabled}>'
            '</div><div class="col-md-5">'
            '<input class="form-control form-control-sm" type="url" name="evidence_url" maxlength="500"'
            f' value="{evidence}" placeholder="{evidence_placeholder}"'
            f' aria-label="{evidence_label}"{disabled}>'
            "</div></div></details>"
            f'<span class="saved-mark small" id="saved-{nid}" aria-live="polite"></span></form>'
        )
        out.append("".join(parts))
    return mark_safe("\n".join(out))
