"""The producer's self-assessment (Mẫu 02, Part III) on the score sheet the council will use.

The producer chooses, criterion by criterion, the option they believe they meet, with a note and
their evidence; the arithmetic is the council's (`ocop.evaluation.scoring`): totals per part, the
star band, the per-star minimum criteria, and — what the producer most needs — where points are
missing. A version stores its answers by criterion key as {key: {"option", "points", "note"}}, so
versions compare without loading the sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ocop.core.text import fold
from ocop.evaluation import scoring


def sheet_for(product, day: dt.date):
    """The current score sheet of the product's set under the rules in force on `day`."""
    from ocop.evaluation.services import default_sheet, rule_in_force

    rule = rule_in_force(day)
    return default_sheet(rule, product) if rule is not None else None


def chosen_options(tree: scoring.SheetTree, assessment: dict) -> dict[int, int]:
    """{criterion id: option id} for the answers that belong to the tree's own criteria."""
    out = {}
    for key, answer in (assessment or {}).items():
        node = tree.by_code.get(key)
        option = (answer or {}).get("option")
        if node is None or not node.is_scorable or option is None:
            continue
        owner = tree.option_points.get(int(option))
        if owner is not None and owner[0] == node.id:
            out[node.id] = int(option)
    return out


def points_by_key(version) -> dict[str, Decimal]:
    out = {}
    for key, answer in (version.assessment or {}).items():
        if answer and answer.get("points") not in (None, ""):
            out[key] = Decimal(str(answer["points"]))
    return out


def answer_entry(tree: scoring.SheetTree, key: str, option_id: int | None, note: str = "") -> dict:
    node = tree.by_code[key]
    points = None
    if option_id is not None:
        owner = tree.option_points.get(option_id)
        if owner is None or owner[0] != node.id:
            raise ValueError(f"option {option_id} is not an option of {key}")
        points = str(owner[1])
    return {"option": option_id, "points": points, "note": note}


def remap(assessment: dict, old_tree: scoring.SheetTree | None, new_tree: scoring.SheetTree) -> dict:
    """Carry answers over to another sheet: the same criterion key and an option with the same
    wording (or, failing that, the same points). Answers without a counterpart are dropped."""
    out = {}
    for key, answer in (assessment or {}).items():
        node = new_tree.by_code.get(key)
        if node is None or not node.is_scorable:
            continue
        note = (answer or {}).get("note", "")
        option_id = (answer or {}).get("option")
        label = points = None
        if old_tree is not None and option_id is not None:
            old_node = old_tree.by_code.get(key)
            for oid, text, pts in old_node.options if old_node else ():
                if oid == option_id:
                    label, points = fold(text), pts
        match = None
        if option_id is not None and new_tree.option_points.get(option_id, (None,))[0] == node.id:
            match = option_id
        elif label is not None:
            match = next((oid for oid, text, _p in node.options if fold(text) == label), None)
            if match is None:
                match = next((oid for oid, _t, pts in node.options if pts == points), None)
        out[key] = (
            answer_entry(new_tree, key, match, note)
            if match is not None
            else {"option": None, "points": None, "note": note}
        )
    return out


@dataclass
class Row:
    node: scoring.Node
    key: str
    depth: int
    option_id: int | None
    points: Decimal | None
    missing: Decimal
    note: str
    evidence: int
    minimum_stars: dict[int, list[int]] = field(default_factory=dict)  # option id → stars


@dataclass
class SelfAssessment:
    tree: scoring.SheetTree
    sheet: object
    rows_by_part: dict[str, list[Row]]
    tally: scoring.Tally
    total_max: Decimal
    band: int
    awarded: int
    failures: list
    missing: list[Row]  # scored criteria below their maximum, most points missing first

    @property
    def complete(self) -> bool:
        return self.tally.complete

    @property
    def open_keys(self) -> list[str]:
        return [self.tree.keys[i] for i in self.tally.open]


def evaluate(version, evidence_counts: dict[str, int] | None = None) -> SelfAssessment | None:
    """The self-assessment of a version on its sheet (None when it has no sheet)."""
    sheet = version.sheet
    if sheet is None:
        return None
    tree = scoring.SheetTree.load(sheet)
    chosen = chosen_options(tree, version.assessment)
    result = scoring.tally(tree, chosen)
    notes = {k: (a or {}).get("note", "") for k, a in (version.assessment or {}).items()}
    evidence_counts = evidence_counts or {}
    marks = _minimum_marks(tree)
    depths: dict[int, int] = {}
    rows_by_part: dict[str, list[Row]] = {code: [] for code in tree.parts}
    chosen_points = {cid: tree.option_points[oid][1] for cid, oid in chosen.items()}
    for node in tree.nodes:
        depths[node.id] = depths.get(node.parent_id, -1) + 1 if node.parent_id else 0
        key = tree.keys[node.id]
        if node.is_scorable:
            points = chosen_points.get(node.id)
            missing = node.max_score - (points or Decimal(0))
        else:
            points = tree.node_points(node, chosen_points)
            missing = node.max_score - points
        rows_by_part.setdefault(node.part, []).append(
            Row(
                node=node,
                key=key,
                depth=depths[node.id],
                option_id=chosen.get(node.id),
                points=points,
                missing=missing,
                note=notes.get(key, ""),
                evidence=evidence_counts.get(key, 0),
                minimum_stars=marks.get(node.id, {}),
            )
        )
    rule = sheet.rule_version
    band, awarded, failures = scoring.award(
        rule.star_bands, result.total, tree.star_minimums, scoring.criterion_points(tree, chosen)
    )
    missing = sorted(
        (r for rows in rows_by_part.values() for r in rows if r.node.is_scorable and r.missing > 0),
        key=lambda r: (-r.missing, r.node.id),
    )
    return SelfAssessment(
        tree=tree,
        sheet=sheet,
        rows_by_part=rows_by_part,
        tally=result,
        total_max=sum(tree.parts.values(), Decimal(0)),
        band=band,
        awarded=awarded,
        failures=failures,
        missing=missing,
    )


def _minimum_marks(tree: scoring.SheetTree) -> dict[int, dict[int, list[int]]]:
    marks: dict[int, dict[int, list[int]]] = {}
    for minimum in tree.star_minimums:
        node = tree.by_code.get(str(minimum["criterion"]))
        if node is None or not node.is_scorable:
            continue
        needed = Decimal(str(minimum["min_points"]))
        option = next((o for o in node.options if o[2] == needed), None)
        if option is not None:
            marks.setdefault(node.id, {}).setdefault(option[0], []).append(int(minimum["stars"]))
    return marks
