"""Importing score sheets: every sheet is checked against the rule version before it is stored.

A part whose attainable maximum (the best option of every scored criterion, summed) differs from
its declared maximum — or from the rule version's — is refused with the difference shown. Only a
historical sheet known to differ may be stored with `allow_discrepancy=True`, and then the
difference is recorded on the sheet and shown, never corrected silently.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.audit import services as audit

from .models import Criterion, CriterionOption, RuleVersion, ScoreSheet, SheetPart


def _d(value) -> Decimal:
    return Decimal(str(value if value is not None else 0))


def _n(value: Decimal) -> str:
    """40 → "40", 2.50 → "2.5" (never "4E+1")."""
    return format(value.normalize(), "f")


@dataclass
class TreeCheck:
    attainable: dict[str, Decimal]
    problems: list[str]
    discrepancies: list[str]


def check_sheet(rule: RuleVersion, data: dict[str, Any]) -> TreeCheck:
    """Structural problems (always refused) and maxima discrepancies (refused unless allowed)."""
    problems: list[str] = []
    discrepancies: list[str] = []
    attainable: dict[str, Decimal] = {}

    def node_max(node: dict, where: str) -> Decimal:
        code = node.get("code") or "?"
        label = f"{where} {code}"
        options = node.get("options") or []
        children = node.get("children") or []
        if node.get("is_scorable"):
            if children:
                problems.append(_("%(c)s: a scored criterion cannot have sub-criteria.") % {"c": label})
            if not options:
                problems.append(_("%(c)s: a scored criterion needs options.") % {"c": label})
                return Decimal(0)
            best = max(_d(o.get("points")) for o in options)
            if any(_d(o.get("points")) < 0 for o in options):
                problems.append(_("%(c)s: an option has negative points.") % {"c": label})
        else:
            if options:
                problems.append(_("%(c)s: only scored criteria have options.") % {"c": label})
            if not children:
                problems.append(_("%(c)s: a group of criteria needs sub-criteria.") % {"c": label})
            best = sum((node_max(child, where) for child in children), Decimal(0))
        declared = node.get("max_score")
        if declared is not None and _d(declared) != best:
            discrepancies.append(
                _("%(c)s declares %(d)s points but its options reach %(a)s.")
                % {"c": label, "d": _n(_d(declared)), "a": _n(best)}
            )
        return best

    sections = data.get("sections") or []
    seen = set()
    for section in sections:
        code = str(section.get("code") or "")
        seen.add(code)
        total = sum((node_max(c, code) for c in section.get("criteria") or []), Decimal(0))
        attainable[code] = total
        declared = _d(section.get("max_score"))
        expected = _d(rule.part_maxima.get(code)) if code in rule.part_maxima else None
        if expected is None:
            problems.append(_("Part %(p)s is not a part of %(r)s.") % {"p": code, "r": rule.decision})
            continue
        if declared != expected:
            problems.append(
                _("Part %(p)s declares %(d)s points; %(r)s gives it %(e)s.")
                % {"p": code, "d": _n(declared), "r": rule.decision, "e": _n(expected)}
            )
        if total != expected:
            discrepancies.append(
                _("Part %(p)s: its criteria reach %(a)s points, not %(e)s.")
                % {"p": code, "a": _n(total), "e": _n(expected)}
            )
    for missing in sorted(set(rule.part_maxima) - seen):
        problems.append(_("Part %(p)s is missing.") % {"p": missing})
    return TreeCheck(attainable, problems, discrepancies)


def checksum(data: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def import_sheet(
    rule: RuleVersion,
    data: dict[str, Any],
    *,
    name: str,
    product_set=None,
    actor=None,
    allow_discrepancy: bool = False,
    note: str = "",
) -> ScoreSheet:
    """Store a sheet (a new version if its content changed; the same one if not)."""
    code = str(data.get("code") or "").strip()
    if not code:
        raise ValidationError({"code": _("The sheet has no code.")})
    check = check_sheet(rule, data)
    errors = list(check.problems)
    if check.discrepancies and not allow_discrepancy:
        errors += check.discrepancies
    if errors:
        raise ValidationError(errors)
    digest = checksum(data)
    latest = ScoreSheet.objects.filter(rule_version=rule, code=code).order_by("-version").first()
    if latest is not None and latest.checksum == digest:
        return latest
    with transaction.atomic():
        sheet = ScoreSheet.objects.create(
            rule_version=rule,
            code=code,
            version=(latest.version + 1) if latest else 1,
            name=name,
            product_set=product_set,
            disqualifiers=list(data.get("disqualifiers") or []),
            discrepancies=check.discrepancies,
            note=note,
            checksum=digest,
        )
        order = 0
        for section in data["sections"]:
            part = SheetPart.objects.create(
                sheet=sheet,
                code=section["code"],
                title=section.get("label") or section.get("title") or "",
                max_score=_d(section.get("max_score")),
                attainable=check.attainable[section["code"]],
            )

            def store(node, parent, part=part):
                nonlocal order
                order += 1
                criterion = Criterion.objects.create(
                    sheet=sheet,
                    part=part,
                    parent=parent,
                    code=str(node.get("code") or ""),
                    label=node.get("label") or "",
                    max_score=_d(node.get("max_score")),
                    requirement_note=node.get("requirement_note") or "",
                    is_scorable=bool(node.get("is_scorable")),
                    sort_order=order,
                )
                CriterionOption.objects.bulk_create(
                    [
                        CriterionOption(
                            criterion=criterion,
                            label=o.get("label") or "",
                            points=_d(o.get("points")),
                            sort_order=i,
                        )
                        for i, o in enumerate(node.get("options") or [], start=1)
                    ]
                )
                for child in node.get("children") or []:
                    store(child, criterion)

            for node in section.get("criteria") or []:
                store(node, None)
        if latest is not None:
            latest.superseded_by = sheet
            latest.save(update_fields=["superseded_by"])
        audit.record(
            actor=actor,
            action="import",
            obj=sheet,
            changes={"version": [latest.version if latest else None, sheet.version]},
            message="; ".join(check.discrepancies),
        )
    return sheet
