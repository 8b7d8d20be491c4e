"""The arithmetic of evaluation, with no database writes: a member's totals on a sheet, the
council's average, the spread rule, the star band and the per-star minimum criteria.

Everything is Decimal. The council's score is the arithmetic mean of the members' totals rounded
half-up to two decimals, and the star band is read on that rounded score — the figure printed in
the minutes is the one the stars follow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Node:
    id: int
    code: str
    label: str
    part: str
    parent_id: int | None
    is_scorable: bool
    max_score: Decimal
    requirement_note: str = ""
    options: tuple[tuple[int, str, Decimal], ...] = ()  # (id, label, points)


@dataclass
class SheetTree:
    """A score sheet held in memory: parts in order, nodes in sheet order."""

    parts: dict[str, Decimal]  # part code → declared maximum
    part_titles: dict[str, str]
    nodes: list[Node]
    star_minimums: list[dict] = field(default_factory=list)
    disqualifiers: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.by_id = {n.id: n for n in self.nodes}
        # A criterion's key is its code, or "part code" where the sheet numbers each part afresh
        # (the 1048 sheet has an A 1.1, a B 1.1 and a C 1.1): audit entries and minimums use it.
        counts: dict[str, int] = {}
        for n in self.nodes:
            counts[n.code] = counts.get(n.code, 0) + 1
        self.keys = {n.id: n.code if counts[n.code] == 1 else f"{n.part} {n.code}" for n in self.nodes}
        self.by_code = {self.keys[n.id]: n for n in self.nodes}
        self.scorable = [n for n in self.nodes if n.is_scorable]
        self.option_points = {o[0]: (n.id, o[2]) for n in self.scorable for o in n.options}
        self.children: dict[int | None, list[Node]] = {}
        for n in self.nodes:
            self.children.setdefault(n.parent_id, []).append(n)

    @classmethod
    def load(cls, sheet) -> SheetTree:
        """The sheet's tree. A published sheet never changes (a correction is a new version), so
        the tree is kept by sheet and version (core.datacache.kept): every answer saved reads it."""
        from ocop.core.datacache import kept

        return kept("evaluation.sheet_tree", lambda: cls.read(sheet), sheet.pk, sheet.version)

    @classmethod
    def read(cls, sheet) -> SheetTree:
        """Three queries: parts, criteria, options."""
        from .models import Criterion, CriterionOption

        parts = list(sheet.parts.order_by("code"))
        part_code = {p.pk: p.code for p in parts}
        options: dict[int, list[tuple[int, str, Decimal]]] = {}
        for o in CriterionOption.objects.filter(criterion__sheet=sheet).order_by(
            "criterion_id", "sort_order"
        ):
            options.setdefault(o.criterion_id, []).append((o.pk, o.label, o.points))
        nodes = [
            Node(
                id=c.pk,
                code=c.code,
                label=c.label,
                part=part_code[c.part_id],
                parent_id=c.parent_id,
                is_scorable=c.is_scorable,
                max_score=c.max_score,
                requirement_note=c.requirement_note,
                options=tuple(options.get(c.pk, ())),
            )
            for c in Criterion.objects.filter(sheet=sheet).order_by("sort_order")
        ]
        return cls(
            parts={p.code: p.max_score for p in parts},
            part_titles={p.code: p.title for p in parts},
            nodes=nodes,
            star_minimums=list(sheet.star_minimums or []),
            disqualifiers=list(sheet.disqualifiers or []),
        )

    def node_points(self, node: Node, chosen: Mapping[int, Decimal]) -> Decimal:
        """Points of a criterion: its chosen option, or the sum over its sub-criteria."""
        if node.is_scorable:
            return chosen.get(node.id, Decimal(0))
        return sum((self.node_points(c, chosen) for c in self.children.get(node.id, ())), Decimal(0))


@dataclass(frozen=True)
class Tally:
    parts: dict[str, Decimal]
    total: Decimal
    answered: int
    open: tuple[int, ...]  # ids of scored criteria without an option yet

    @property
    def complete(self) -> bool:
        return not self.open


def tally(tree: SheetTree, answers: Mapping[int, int | None]) -> Tally:
    """A member's totals from their answers {criterion id: option id or None}.

    Raises ValueError when an option does not belong to its criterion (or to the sheet)."""
    chosen: dict[int, Decimal] = {}
    for criterion_id, option_id in answers.items():
        if option_id is None:
            continue
        owner = tree.option_points.get(option_id)
        if owner is None or owner[0] != criterion_id:
            raise ValueError(f"option {option_id} is not an option of criterion {criterion_id}")
        chosen[criterion_id] = owner[1]
    parts = dict.fromkeys(tree.parts, Decimal(0))
    for node in tree.scorable:
        if node.id in chosen:
            parts[node.part] += chosen[node.id]
    open_ = tuple(n.id for n in tree.scorable if n.id not in chosen)
    return Tally(
        parts=parts,
        total=sum(parts.values(), Decimal(0)),
        answered=len(tree.scorable) - len(open_),
        open=open_,
    )


def criterion_points(tree: SheetTree, answers: Mapping[int, int | None]) -> dict[str, Decimal]:
    """Points per criterion key (groups included) for one member's answers."""
    chosen = {cid: tree.option_points[oid][1] for cid, oid in answers.items() if oid is not None}
    return {tree.keys[n.id]: tree.node_points(n, chosen) for n in tree.nodes}


@dataclass(frozen=True)
class Spread:
    spread: Decimal
    allowed: Decimal
    outliers: tuple[int, ...]  # indexes into the totals given

    @property
    def ok(self) -> bool:
        return self.spread <= self.allowed


def spread_check(totals: Sequence[Decimal], allowed: Decimal) -> Spread:
    """The largest difference between two members' totals against the allowed spread.

    When it is exceeded, the outliers are the members whose total lies more than half the allowed
    spread from the median: at least one of the two extremes always does, and a member close to
    the others is never named."""
    if not totals:
        return Spread(Decimal(0), allowed, ())
    spread = max(totals) - min(totals)
    if spread <= allowed:
        return Spread(spread, allowed, ())
    ordered = sorted(totals)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    half = Decimal(allowed) / 2
    outliers = tuple(i for i, t in enumerate(totals) if abs(t - median) > half)
    return Spread(spread, allowed, outliers)


def average(values: Iterable[Decimal]) -> Decimal:
    values = list(values)
    if not values:
        raise ValueError("no totals to average")
    return round2(sum(values, Decimal(0)) / len(values))


def stars_for(bands: Sequence[Mapping], score: Decimal) -> int:
    """The highest band whose lowest score the score reaches (bands: [{"stars", "min"}])."""
    for band in sorted(bands, key=lambda b: -Decimal(str(b["min"]))):
        if score >= Decimal(str(band["min"])):
            return int(band["stars"])
    return 0


@dataclass(frozen=True)
class MinimumFailure:
    stars: int
    criterion: str
    min_points: Decimal
    reached: Decimal


def award(
    bands: Sequence[Mapping],
    score: Decimal,
    minimums: Sequence[Mapping],
    criterion_means: Mapping[str, Decimal],
) -> tuple[int, int, list[MinimumFailure]]:
    """(band stars, awarded stars, failures). A product receives star N only if every minimum
    criterion of every star up to N is met; a criterion's level is the mean of the members' points
    on it. The award is the band, lowered to the highest star whose minimums all hold."""
    band = stars_for(bands, score)
    failures = []
    for m in minimums:
        stars = int(m["stars"])
        if stars > band:
            continue
        reached = criterion_means.get(str(m["criterion"]), Decimal(0))
        needed = Decimal(str(m["min_points"]))
        if reached < needed:
            failures.append(MinimumFailure(stars, str(m["criterion"]), needed, reached))
    awarded = band
    if failures:
        lowest_failed = min(f.stars for f in failures)
        awarded = lowest_failed - 1
    return band, max(awarded, 0), sorted(failures, key=lambda f: (f.stars, f.criterion))
