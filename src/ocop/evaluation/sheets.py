"""Importing and exporting score sheets: every sheet is checked against the rule version before it
is stored.

A part whose attainable maximum (the best option of every scored criterion, summed) differs from
its declared maximum — or from the rule version's — is refused with the difference shown. Only a
historical sheet known to differ may be stored with `allow_discrepancy=True`, and then the
difference is recorded on the sheet and shown, never corrected silently.

The format is the JSON tree of `data/26-2026-bo-tieu-chi.json` (see docs/criteria-format.md).
Every sheet is first brought to one normal form (`normalise`): text stripped and in NFC, numbers
as decimals, a missing maximum filled with the attainable one, unknown keys dropped. That normal
form is what is stored, what the checksum is computed over, and what `export_sheet` gives back, so
exporting a sheet and importing the file again finds the same sheet and creates nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ocop.audit import services as audit

from .models import Criterion, CriterionOption, RuleVersion, ScoreSheet, SheetPart

# Limits of one sheet (the largest shipped sheet has 45 criteria and 130 options).
MAX_DEPTH = 8
MAX_CRITERIA = 2_000
MAX_OPTIONS = 10_000
MAX_POINTS = Decimal("9999.99")  # DecimalField(max_digits=6, decimal_places=2)
CODE_RE = re.compile(r"^[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*$")
SHEET_CODE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
# Characters XML (and so a workbook) cannot hold; tab and line breaks are allowed.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Keys of the format. Metadata keys are written by the export and checked (rule_version) or used
# by the screens (name, product_set); they are not part of the sheet's content.
SHEET_KEYS = ("code", "disqualifiers", "star_minimums", "sections")
META_KEYS = ("name", "rule_version", "product_set")
SECTION_KEYS = ("code", "label", "title", "max_score", "criteria")
NODE_KEYS = ("code", "label", "max_score", "requirement_note", "is_scorable", "options", "children")
OPTION_KEYS = ("label", "points")
MINIMUM_KEYS = ("stars", "criterion", "min_points")


def _d(value) -> Decimal:
    return Decimal(str(value if value is not None else 0))


def _n(value: Decimal) -> str:
    """40 → "40", 2.50 → "2.5" (never "4E+1")."""
    return format(value.normalize(), "f")


def _f(value: Decimal | None) -> float | None:
    """The JSON number of the format (40.0, 2.5)."""
    return None if value is None else float(value)


def _text(value) -> str:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else ""


@dataclass
class TreeCheck:
    attainable: dict[str, Decimal]
    problems: list[str]
    discrepancies: list[str]
    ignored: list[str] = field(default_factory=list)
    # The normal form of the sheet (None when its structure could not be read).
    sheet: dict[str, Any] | None = None
    # (part, criterion code) → attainable maximum of that criterion.
    criterion_max: dict[tuple[str, str], Decimal] = field(default_factory=dict)


# --- Normal form ---------------------------------------------------------------------------------


class _Reader:
    """Reads a sheet dict into its normal form, noting every structural problem."""

    def __init__(self):
        self.problems: list[str] = []
        self.ignored: Counter = Counter()
        self.criteria = 0
        self.options = 0

    def unknown(self, obj: dict, known: tuple[str, ...], where: str) -> None:
        for key in obj:
            if key not in known:
                self.ignored[(where, str(key))] += 1

    def number(self, value, where: str, *, allow_none=False) -> Decimal | None:
        if value is None and allow_none:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.problems.append(
                _("%(w)s: “%(v)s” is not a number.") % {"w": where, "v": "" if value is None else value}
            )
            return Decimal(0)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            self.problems.append(_("%(w)s: “%(v)s” is not a number.") % {"w": where, "v": value})
            return Decimal(0)
        if abs(number) > MAX_POINTS:
            self.problems.append(_("%(w)s: %(v)s points is too large.") % {"w": where, "v": _n(number)})
            return Decimal(0)
        if number != number.quantize(Decimal("0.01")):
            self.problems.append(
                _("%(w)s: %(v)s has more than two decimal places.") % {"w": where, "v": _n(number)}
            )
        return number.normalize() if number else Decimal(0)

    def text(self, value, where: str, *, required=True, max_length=None) -> str:
        if value is not None and not isinstance(value, str):
            self.problems.append(_("%(w)s must be text.") % {"w": where})
            return ""
        text = _text(value)
        if _CONTROL_RE.search(text):
            self.problems.append(_("%(w)s contains control characters.") % {"w": where})
            text = _CONTROL_RE.sub("", text)
        if required and not text:
            self.problems.append(_("%(w)s is empty.") % {"w": where})
        if max_length and len(text) > max_length:
            self.problems.append(_("%(w)s is longer than %(n)s characters.") % {"w": where, "n": max_length})
        return text

    def items(self, value, where: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append(_("%(w)s must be a list.") % {"w": where})
            return []
        return value

    def node(self, raw, part: str, depth: int) -> dict | None:
        if not isinstance(raw, dict):
            self.problems.append(_("Part %(p)s: a criterion must be an object.") % {"p": part})
            return None
        self.criteria += 1
        if depth > MAX_DEPTH:
            self.problems.append(
                _("Part %(p)s: criteria are nested more than %(n)s levels deep.")
                % {"p": part, "n": MAX_DEPTH}
            )
            return None
        self.unknown(raw, NODE_KEYS, "criterion")
        code = raw.get("code")
        if isinstance(code, int) and not isinstance(code, bool):
            code = str(code)
        code = self.text(code, _("Part %(p)s: the number of a criterion") % {"p": part}, max_length=20)
        where = f"{part} {code or '?'}"
        if code and not CODE_RE.match(code):
            self.problems.append(
                _(
                    "%(c)s: a criterion's number is made of letters and digits separated by dots "
                    "(1, 1.2, 1.2.a)."
                )
                % {"c": where}
            )
        label = self.text(raw.get("label"), _("%(c)s: the text of the criterion") % {"c": where})
        declared = self.number(raw.get("max_score"), _("%(c)s: the maximum") % {"c": where}, allow_none=True)
        note = self.text(
            raw.get("requirement_note"), _("%(c)s: the requirement") % {"c": where}, required=False
        )
        options = []
        for i, o in enumerate(
            self.items(raw.get("options"), _("%(c)s: the options") % {"c": where}), start=1
        ):
            self.options += 1
            if not isinstance(o, dict):
                self.problems.append(_("%(c)s: option %(n)s must be an object.") % {"c": where, "n": i})
                continue
            self.unknown(o, OPTION_KEYS, "option")
            options.append(
                {
                    "label": self.text(
                        o.get("label"), _("%(c)s: the text of option %(n)s") % {"c": where, "n": i}
                    ),
                    "points": self.number(
                        o.get("points"), _("%(c)s: the points of option %(n)s") % {"c": where, "n": i}
                    ),
                }
            )
        scorable = raw.get("is_scorable")
        if scorable is None:
            scorable = bool(options)
        elif not isinstance(scorable, bool):
            self.problems.append(_("%(c)s: “is_scorable” must be true or false.") % {"c": where})
            scorable = bool(options)
        children = [
            child
            for child in (
                self.node(c, part, depth + 1)
                for c in self.items(raw.get("children"), _("%(c)s: the sub-criteria") % {"c": where})
            )
            if child is not None
        ]
        return {
            "code": code,
            "label": label,
            "declared": declared,
            "requirement_note": note,
            "is_scorable": scorable,
            "options": options,
            "children": children,
        }

    def sheet(self, data) -> dict | None:
        if not isinstance(data, dict):
            self.problems.append(_("A score sheet must be an object with “code” and “sections”."))
            return None
        self.unknown(data, SHEET_KEYS + META_KEYS, "sheet")
        code = _text(data.get("code")) if isinstance(data.get("code"), str) else ""
        if code and (not SHEET_CODE_RE.match(code) or len(code) > 60):
            self.problems.append(
                _("The sheet's code “%(c)s” may only hold letters, digits and hyphens (at most 60).")
                % {"c": code}
            )
        disqualifiers = [
            self.text(d, _("Ground for rejection %(n)s") % {"n": i})
            for i, d in enumerate(
                self.items(data.get("disqualifiers"), _("The grounds for rejection")), start=1
            )
        ]
        minimums = []
        for i, m in enumerate(
            self.items(data.get("star_minimums"), _("The minimum criteria per star")), start=1
        ):
            where = _("Minimum criterion %(n)s") % {"n": i}
            if not isinstance(m, dict):
                self.problems.append(_("%(w)s must be an object.") % {"w": where})
                continue
            self.unknown(m, MINIMUM_KEYS, "star_minimums")
            stars = m.get("stars")
            if isinstance(stars, float) and stars.is_integer():
                stars = int(stars)
            if isinstance(stars, bool) or not isinstance(stars, int):
                self.problems.append(_("%(w)s: the stars must be a whole number.") % {"w": where})
                stars = 0
            criterion = m.get("criterion")
            if isinstance(criterion, int) and not isinstance(criterion, bool):
                criterion = str(criterion)
            minimums.append(
                {
                    "stars": stars,
                    "criterion": self.text(
                        criterion, _("%(w)s: the criterion") % {"w": where}, max_length=20
                    ),
                    "min_points": self.number(
                        m.get("min_points"), _("%(w)s: the minimum points") % {"w": where}
                    ),
                }
            )
        sections = []
        raw_sections = data.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.problems.append(_("The sheet has no parts (“sections”)."))
            raw_sections = []
        for raw in raw_sections:
            if not isinstance(raw, dict):
                self.problems.append(_("A part must be an object."))
                continue
            self.unknown(raw, SECTION_KEYS, "section")
            part_code = raw.get("code")
            part = self.text(part_code, _("The code of a part"), max_length=5)
            label = raw.get("label") if raw.get("label") is not None else raw.get("title")
            sections.append(
                {
                    "code": part,
                    "label": self.text(
                        label, _("Part %(p)s: the title") % {"p": part}, required=False, max_length=255
                    ),
                    "max_score": self.number(
                        raw.get("max_score"), _("Part %(p)s: the maximum") % {"p": part}
                    ),
                    "criteria": [
                        node
                        for node in (
                            self.node(c, part, 1)
                            for c in self.items(
                                raw.get("criteria"), _("Part %(p)s: the criteria") % {"p": part}
                            )
                        )
                        if node is not None
                    ],
                }
            )
        if self.criteria > MAX_CRITERIA or self.options > MAX_OPTIONS:
            self.problems.append(
                _("The sheet is too large: at most %(c)s criteria and %(o)s options.")
                % {"c": MAX_CRITERIA, "o": MAX_OPTIONS}
            )
        return {"code": code, "disqualifiers": disqualifiers, "star_minimums": minimums, "sections": sections}

    def ignored_notes(self) -> list[str]:
        where = {
            "sheet": _("the sheet"),
            "section": _("parts"),
            "criterion": _("criteria"),
            "option": _("options"),
            "star_minimums": _("minimum criteria"),
        }
        return [
            ngettext(
                "“%(k)s” in %(w)s is not part of the format and is not stored (found once).",
                "“%(k)s” in %(w)s is not part of the format and is not stored (found %(n)s times).",
                count,
            )
            % {"k": key, "w": where[level], "n": count}
            for (level, key), count in sorted(self.ignored.items())
        ]


def _best(node: dict) -> Decimal:
    if node["is_scorable"]:
        return max((o["points"] for o in node["options"]), default=Decimal(0))
    return sum((_best(c) for c in node["children"]), Decimal(0))


def _fill(node: dict) -> dict:
    """The stored node: the declared maximum, or the attainable one where none is declared."""
    best = _best(node)
    return {
        "code": node["code"],
        "label": node["label"],
        "max_score": node["declared"] if node["declared"] is not None else best,
        "requirement_note": node["requirement_note"],
        "is_scorable": node["is_scorable"],
        "options": [dict(o) for o in node["options"]],
        "children": [_fill(c) for c in node["children"]],
    }


def _read(data) -> tuple[dict | None, _Reader]:
    reader = _Reader()
    raw = reader.sheet(data)
    return raw, reader


def normalise(data: dict[str, Any]) -> dict[str, Any]:
    """The normal form of a well-formed sheet (decimals; what is stored). Raises ValueError when
    the structure cannot be read (check it with `check_sheet` first)."""
    raw, reader = _read(data)
    if raw is None or reader.problems:
        raise ValueError("; ".join(reader.problems))
    return _normal(raw)


def _normal(raw: dict) -> dict:
    return {
        "code": raw["code"],
        "disqualifiers": list(raw["disqualifiers"]),
        "star_minimums": [dict(m) for m in raw["star_minimums"]],
        "sections": [
            {
                "code": s["code"],
                "label": s["label"],
                "max_score": s["max_score"],
                "criteria": [_fill(c) for c in s["criteria"]],
            }
            for s in raw["sections"]
        ],
    }


def _jsonable(sheet: dict) -> Any:
    """Decimals as normalised strings, so that 0, 0.0 and 0.00 hash alike."""

    def conv(value):
        if isinstance(value, Decimal):
            return _n(value)
        if isinstance(value, dict):
            return {k: conv(v) for k, v in value.items()}
        if isinstance(value, list):
            return [conv(v) for v in value]
        return value

    return conv(sheet)


def _digest(normal: dict) -> str:
    return hashlib.sha256(
        json.dumps(_jsonable(normal), sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def checksum(data: dict[str, Any]) -> str:
    """The checksum of a sheet's content, over its normal form (metadata keys excluded)."""
    return _digest(normalise(data))


# --- Checking --------------------------------------------------------------------------------------


def check_sheet(rule: RuleVersion, data: dict[str, Any]) -> TreeCheck:
    """Structural problems (always refused) and maxima discrepancies (refused unless allowed)."""
    raw, reader = _read(data)
    if raw is None or reader.problems:
        return TreeCheck({}, reader.problems, [], reader.ignored_notes())
    problems: list[str] = []
    discrepancies: list[str] = []
    attainable: dict[str, Decimal] = {}
    criterion_max: dict[tuple[str, str], Decimal] = {}

    if isinstance(data, dict) and data.get("rule_version") not in (None, "", rule.code):
        problems.append(
            _("The file is a sheet of the rule version “%(f)s”, not of %(r)s.")
            % {"f": data.get("rule_version"), "r": rule.decision}
        )
    if not raw["code"]:
        problems.append(_("The sheet has no code."))

    def node_max(node: dict, part: str, parent: dict | None, codes: set[str]) -> Decimal:
        code = node["code"]
        label = f"{part} {code}"
        options = node["options"]
        children = node["children"]
        expected_parent = _parent_code(code, codes)
        actual_parent = parent["code"] if parent else None
        if expected_parent != actual_parent:
            if actual_parent is None:
                problems.append(
                    _("%(c)s: its number places it under %(p)s, but it is not a sub-criterion of it.")
                    % {"c": label, "p": expected_parent}
                )
            elif expected_parent is None:
                problems.append(
                    _("%(c)s: it is under %(q)s, but its number does not start with “%(q)s.”.")
                    % {"c": label, "q": actual_parent}
                )
            else:
                problems.append(
                    _("%(c)s: its number places it under %(p)s, but it is under %(q)s.")
                    % {"c": label, "p": expected_parent, "q": actual_parent}
                )
        if node["is_scorable"]:
            if children:
                problems.append(_("%(c)s: a scored criterion cannot have sub-criteria.") % {"c": label})
            if not options:
                problems.append(_("%(c)s: a scored criterion needs options.") % {"c": label})
                criterion_max[(part, code)] = Decimal(0)
                return Decimal(0)
            best = max(o["points"] for o in options)
            if any(o["points"] < 0 for o in options):
                problems.append(_("%(c)s: an option has negative points.") % {"c": label})
        else:
            if options:
                problems.append(_("%(c)s: only scored criteria have options.") % {"c": label})
            if not children:
                problems.append(_("%(c)s: a group of criteria needs sub-criteria.") % {"c": label})
            best = sum((node_max(child, part, node, codes) for child in children), Decimal(0))
        criterion_max[(part, code)] = best
        declared = node["declared"]
        if declared is not None and declared != best:
            discrepancies.append(
                _("%(c)s declares %(d)s points but its options reach %(a)s.")
                % {"c": label, "d": _n(declared), "a": _n(best)}
            )
        return best

    seen: set[str] = set()
    for section in raw["sections"]:
        code = section["code"]
        if code in seen:
            problems.append(_("Part %(p)s appears more than once.") % {"p": code})
            continue
        seen.add(code)
        codes = Counter(_all_codes(section["criteria"]))
        for duplicate in sorted(c for c, n in codes.items() if n > 1):
            problems.append(
                _("%(c)s: this number is used by more than one criterion of part %(p)s.")
                % {"c": f"{code} {duplicate}", "p": code}
            )
        total = sum((node_max(c, code, None, set(codes)) for c in section["criteria"]), Decimal(0))
        attainable[code] = total
        declared = section["max_score"]
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

    problems += _check_minimums(rule, raw["star_minimums"], criterion_max)
    for i, text in enumerate(raw["disqualifiers"], start=1):
        if text in raw["disqualifiers"][: i - 1]:
            problems.append(_("Ground for rejection %(n)s repeats an earlier one.") % {"n": i})
    return TreeCheck(
        attainable,
        problems,
        discrepancies,
        reader.ignored_notes(),
        sheet=_normal(raw),
        criterion_max=criterion_max,
    )


def _all_codes(nodes: list[dict]):
    for node in nodes:
        yield node["code"]
        yield from _all_codes(node["children"])


def _parent_code(code: str, codes: set[str]) -> str | None:
    """The longest proper prefix ("1.2" of "1.2.a") that is a criterion of the same part."""
    parts = code.split(".")
    for n in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in codes:
            return prefix
    return None


def _check_minimums(rule: RuleVersion, minimums: list[dict], criterion_max: dict) -> list[str]:
    problems = []
    bands = sorted({int(b["stars"]) for b in rule.star_bands})
    by_code: dict[str, list[str]] = {}
    for part, code in criterion_max:
        by_code.setdefault(code, []).append(part)
    seen = set()
    for i, m in enumerate(minimums, start=1):
        where = _("Minimum criterion %(n)s") % {"n": i}
        if m["stars"] not in bands:
            problems.append(
                _("%(w)s: %(s)s stars is not a star rating of %(r)s (%(b)s).")
                % {"w": where, "s": m["stars"], "r": rule.decision, "b": ", ".join(map(str, bands))}
            )
        code = m["criterion"]
        parts = by_code.get(code, [])
        if not parts:
            problems.append(_("%(w)s: the sheet has no criterion %(c)s.") % {"w": where, "c": code or "?"})
        elif len(parts) > 1:
            problems.append(
                _(
                    "%(w)s: criterion %(c)s exists in several parts (%(p)s); a minimum criterion "
                    "needs a number used only once in the sheet."
                )
                % {"w": where, "c": code, "p": ", ".join(parts)}
            )
        else:
            best = criterion_max[(parts[0], code)]
            if m["min_points"] > best:
                problems.append(
                    _("%(w)s: %(m)s points is above what criterion %(c)s can reach (%(a)s).")
                    % {"w": where, "m": _n(m["min_points"]), "c": code, "a": _n(best)}
                )
        if m["min_points"] < 0:
            problems.append(_("%(w)s: the minimum points cannot be negative.") % {"w": where})
        if (m["stars"], code) in seen:
            problems.append(
                _("%(w)s: criterion %(c)s already has a minimum for %(s)s stars.")
                % {"w": where, "c": code, "s": m["stars"]}
            )
        seen.add((m["stars"], code))
    return problems


# --- Storing -----------------------------------------------------------------------------------------


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
    code = _text(data.get("code")) if isinstance(data, dict) and isinstance(data.get("code"), str) else ""
    if not code:
        raise ValidationError({"code": _("The sheet has no code.")})
    name = _text(name)
    if not name or len(name) > 300:
        raise ValidationError(
            {"name": _("The sheet needs a name (the product set) of at most 300 characters.")}
        )
    if len(note or "") > 500:
        raise ValidationError({"note": _("The note is longer than 500 characters.")})
    check = check_sheet(rule, data)
    errors = list(check.problems)
    if check.discrepancies and not allow_discrepancy:
        errors += check.discrepancies
    if errors:
        raise ValidationError(errors)
    normal = check.sheet
    digest = _digest(normal)
    latest = ScoreSheet.objects.filter(rule_version=rule, code=code).order_by("-version").first()
    if latest is not None and same_content(latest, digest):
        return latest
    try:
        with transaction.atomic():
            return _store(rule, normal, check, digest, name, product_set, actor, note)
    except IntegrityError as exc:
        raise ValidationError(
            _(
                "Another version of this sheet was published at the same moment. "
                "Check the sheet and try again."
            )
        ) from exc


def same_content(sheet: ScoreSheet, digest: str) -> bool:
    """Whether `sheet` holds the content whose checksum is `digest` (sheets stored before the normal
    form was introduced carry another kind of checksum: their content is compared instead)."""
    if sheet.checksum == digest:
        return bool(digest)
    try:
        return _digest(normalise(export_sheet(sheet))) == digest
    except ValueError:
        return False


def _store(rule, normal, check, digest, name, product_set, actor, note) -> ScoreSheet:
    # FOR NO KEY UPDATE: serialises publishers without blocking the foreign-key checks of new
    # scorecards on this sheet (see services._locked).
    latest = (
        ScoreSheet.objects.select_for_update(no_key=True)
        .filter(rule_version=rule, code=normal["code"])
        .order_by("-version")
        .first()
    )
    sheet = ScoreSheet.objects.create(
        rule_version=rule,
        code=normal["code"],
        version=(latest.version + 1) if latest else 1,
        name=name,
        product_set=product_set,
        disqualifiers=list(normal["disqualifiers"]),
        star_minimums=[
            {"stars": m["stars"], "criterion": m["criterion"], "min_points": _f(m["min_points"])}
            for m in normal["star_minimums"]
        ],
        discrepancies=check.discrepancies,
        note=note or "",
        checksum=digest,
    )
    order = 0
    for section in normal["sections"]:
        part = SheetPart.objects.create(
            sheet=sheet,
            code=section["code"],
            title=section["label"],
            max_score=section["max_score"],
            attainable=check.attainable[section["code"]],
        )

        def store(node, parent, part=part):
            nonlocal order
            order += 1
            criterion = Criterion.objects.create(
                sheet=sheet,
                part=part,
                parent=parent,
                code=node["code"],
                label=node["label"],
                max_score=node["max_score"],
                requirement_note=node["requirement_note"],
                is_scorable=node["is_scorable"],
                sort_order=order,
            )
            CriterionOption.objects.bulk_create(
                [
                    CriterionOption(criterion=criterion, label=o["label"], points=o["points"], sort_order=i)
                    for i, o in enumerate(node["options"], start=1)
                ]
            )
            for child in node["children"]:
                store(child, criterion)

        for node in section["criteria"]:
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


# --- Reading back --------------------------------------------------------------------------------------


@dataclass
class LoadedTree:
    """A stored sheet's parts and criteria, each criterion with `.child_list` and `.option_list`."""

    parts: list[SheetPart]
    criteria: list[Criterion]


def load_tree(sheet: ScoreSheet) -> LoadedTree:
    """Three queries: parts, criteria, options."""
    parts = list(SheetPart.objects.filter(sheet=sheet).order_by("code"))
    criteria = list(Criterion.objects.filter(sheet=sheet).order_by("sort_order", "pk"))
    by_id = {c.pk: c for c in criteria}
    for c in criteria:
        c.child_list = []
        c.option_list = []
    for o in CriterionOption.objects.filter(criterion__sheet=sheet).order_by(
        "criterion_id", "sort_order", "pk"
    ):
        by_id[o.criterion_id].option_list.append(o)
    by_part = {p.pk: p for p in parts}
    for p in parts:
        p.top_list = []
    for c in criteria:
        if c.parent_id is None:
            by_part[c.part_id].top_list.append(c)
        else:
            by_id[c.parent_id].child_list.append(c)
    return LoadedTree(parts, criteria)


def export_sheet(sheet: ScoreSheet, tree: LoadedTree | None = None) -> dict[str, Any]:
    """The sheet in the JSON tree format of `data/26-2026-bo-tieu-chi.json`, with the metadata keys
    `name`, `rule_version` (its code) and `product_set` (the product set's code, or null).
    Three queries (or none with a `tree` from `load_tree`), besides the sheet's rule and set."""
    tree = tree or load_tree(sheet)

    def node(c: Criterion) -> dict:
        return {
            "code": c.code,
            "label": c.label,
            "max_score": _f(c.max_score),
            "requirement_note": c.requirement_note or None,
            "is_scorable": c.is_scorable,
            "options": [{"label": o.label, "points": _f(o.points)} for o in c.option_list],
            "children": [node(child) for child in c.child_list],
        }

    return {
        "code": sheet.code,
        "name": sheet.name,
        "rule_version": sheet.rule_version.code,
        "product_set": sheet.product_set.code if sheet.product_set_id else None,
        "disqualifiers": list(sheet.disqualifiers or []),
        "star_minimums": [
            {
                "stars": m.get("stars"),
                "criterion": m.get("criterion"),
                "min_points": _f(_d(m.get("min_points"))),
            }
            for m in sheet.star_minimums or []
        ],
        "sections": [
            {
                "code": p.code,
                "label": p.title,
                "max_score": _f(p.max_score),
                "criteria": [node(c) for c in p.top_list],
            }
            for p in tree.parts
        ],
    }
