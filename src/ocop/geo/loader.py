"""Loading the administrative units from the `vietnamadminunits` package.

The package ships an SQLite database with the legacy tree (63 provinces, their districts and
communes) and the tree from 01/07/2025 (34 provinces, 3,321 communes), and a JSON file mapping
each legacy unit to its successor(s). `load_units` turns both into `AdminUnit` and
`UnitSuccession` rows. It is idempotent: it matches units by path (edition/province/…/code),
updates what changed, creates what is new, never deletes (records may point at a unit), and
skips everything when the source's checksum matches the last load.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from ocop.core.models import ReferenceDataset
from ocop.core.text import fold, search_text

from .choices import KIND_LEVEL, KIND_PREFIX, Edition, Kind
from .models import AdminUnit, UnitSuccession

DATASET_NAME = "admin_units"
LOADER_VERSION = "8"
LEGACY_VALID_TO = dt.date(2025, 6, 30)
REFORM_DATE = dt.date(2025, 7, 1)
SOURCE = "vietnamadminunits"

ProgressFn = Callable[[int, int, str], None]


def _source_files() -> tuple[Path, Path]:
    import vietnamadminunits

    base = Path(vietnamadminunits.__file__).resolve().parent / "data"
    return base / "dataset.db", base / "converter_2025.json"


def source_checksum() -> str:
    digest = hashlib.sha256(LOADER_VERSION.encode())
    for path in _source_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _key(text: str | None) -> str:
    """The package's keys are folded names without spaces; a few carry diacritics by mistake."""
    return fold(text or "").replace(" ", "")


def _dec(value, places: int = 6) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(round(float(value), places)))


def _kind_of(name: str, type_word: str | None = None) -> str:
    if type_word:
        word = type_word.strip()
        if word.lower() == "thành phố":
            return Kind.PROVINCIAL_CITY
        for prefix, kind in KIND_PREFIX.items():
            if prefix.lower() == word.lower():
                return kind
    for prefix, kind in sorted(KIND_PREFIX.items(), key=lambda kv: -len(kv[0])):
        if name.lower().startswith(prefix.lower() + " "):
            return kind
    raise ValueError(f"unknown kind of administrative unit: {name!r} / {type_word!r}")


def _cap_type(type_word: str) -> str:
    return type_word[:1].upper() + type_word[1:].lower()


@dataclass
class UnitRow:
    path: str
    parent_path: str | None
    code: str
    name: str
    short_name: str
    kind: str
    edition: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    latitude: Decimal | None
    longitude: Decimal | None
    area_km2: Decimal | None
    source_key: str
    current_path: str = ""
    parent_name: str = ""

    @property
    def level(self) -> int:
        return int(KIND_LEVEL[self.kind])

    def values(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "short_name": self.short_name,
            "kind": self.kind,
            "level": self.level,
            "edition": self.edition,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "area_km2": self.area_km2,
            "source_key": self.source_key,
            "current_path": self.current_path,
            "search_folded": search_text(self.name, self.code, self.parent_name),
            "name_folded": search_text(self.name),
        }


@dataclass
class LoadReport:
    skipped: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    successions_deleted: int = 0
    counts: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "skipped": self.skipped,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "successions_created": self.successions_created,
            "successions_updated": self.successions_updated,
            "successions_deleted": self.successions_deleted,
            "counts": self.counts,
            "warnings": self.warnings[:50],
        }


EDITION_DATES = {Edition.LEGACY: (None, LEGACY_VALID_TO), Edition.Y2025: (REFORM_DATE, None)}


def _row(
    r: sqlite3.Row,
    level: str,
    edition: str,
    parent_path: str | None,
    source_key: str,
    *,
    name: str | None = None,
    area_km2: Decimal | None = None,
) -> UnitRow:
    """A unit from one row of the package's tables; `level` is the column prefix
    ("province", "district" or "ward")."""
    code = r[f"{level}Code"]
    type_word = r[f"{level}Type"] if f"{level}Type" in r.keys() else None  # noqa: SIM118 (sqlite3.Row)
    valid_from, valid_to = EDITION_DATES[edition]
    return UnitRow(
        path=f"{parent_path or f'{edition}/'}{code}/",
        parent_path=parent_path,
        code=code,
        name=name or r[level],
        short_name=r[f"{level}Short"],
        kind=_kind_of(r[level], type_word),
        edition=edition,
        valid_from=valid_from,
        valid_to=valid_to,
        latitude=_dec(r[f"{level}Lat"]),
        longitude=_dec(r[f"{level}Lon"]),
        area_km2=area_km2,
        source_key=source_key,
    )


def read_source() -> tuple[dict[str, UnitRow], dict[tuple[str, str], dict], list[str]]:
    """Units by path and successions by (predecessor path, successor path)."""
    db_path, converter_path = _source_files()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    units: dict[str, UnitRow] = {}
    warnings: list[str] = []
    legacy_by_key: dict[str, str] = {}  # "prov_dist_ward" → path
    legacy_province_by_key: dict[str, str] = {}

    for r in conn.execute("SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"):
        p_path = f"legacy/{r['provinceCode']}/"
        if p_path not in units:
            units[p_path] = _row(r, "province", Edition.LEGACY, None, r["provinceKey"])
            legacy_province_by_key[r["provinceKey"]] = p_path
        d_path = f"{p_path}{r['districtCode']}/"
        if d_path not in units:
            d_key = f"{r['provinceKey']}_{r['districtKey']}"
            units[d_path] = _row(
                r,
                "district",
                Edition.LEGACY,
                p_path,
                d_key,
                name=f"{_cap_type(r['districtType'])} {r['districtShort']}",
            )
            legacy_by_key[_key(f"{d_key}_")] = d_path
        if r["wardCode"]:
            w_key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
            units[f"{d_path}{r['wardCode']}/"] = _row(r, "ward", Edition.LEGACY, d_path, w_key)
            legacy_by_key[_key(w_key)] = f"{d_path}{r['wardCode']}/"

    new_by_key: dict[tuple[str, str], str] = {}
    new_province_by_key: dict[str, str] = {}
    for r in conn.execute("SELECT * FROM admin_units ORDER BY provinceCode, wardCode"):
        p_path = f"2025/{r['provinceCode']}/"
        if p_path not in units:
            units[p_path] = _row(r, "province", Edition.Y2025, None, r["provinceKey"])
            new_province_by_key[r["provinceKey"]] = p_path
        w_path = f"{p_path}{r['wardCode']}/"
        units[w_path] = _row(
            r,
            "ward",
            Edition.Y2025,
            p_path,
            f"{r['provinceKey']}_{r['wardKey']}",
            area_km2=_dec(r["wardAreaKm2"], 2),
        )
        new_by_key[(r["provinceKey"], _key(r["wardKey"]))] = w_path
    conn.close()

    conv = json.loads(converter_path.read_text(encoding="utf-8"))
    successions: dict[tuple[str, str], dict] = {}

    def add(pred: str, succ: str, default: bool, partial: bool) -> None:
        entry = successions.setdefault((pred, succ), {"is_default": False, "partial": partial})
        entry["is_default"] = entry["is_default"] or default
        entry["partial"] = entry["partial"] or partial

    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        succ = new_province_by_key.get(new_key)
        for old_key in old_keys:
            pred = legacy_province_by_key.get(old_key)
            if succ and pred:
                add(pred, succ, True, False)
            else:
                warnings.append(f"province mapping not resolved: {old_key} → {new_key}")

    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            succ = new_by_key.get((new_pkey, _key(new_wkey)))
            for old_key in old_keys:
                pred = legacy_by_key.get(_key(old_key))
                if succ and pred:
                    add(pred, succ, True, False)
                else:
                    warnings.append(f"commune mapping not resolved: {old_key} → {new_pkey}/{new_wkey}")

    for new_pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in olds.items():
            pred = legacy_by_key.get(_key(old_key))
            for target in targets:
                succ = new_by_key.get((new_pkey, _key(target["newWardKey"])))
                if succ and pred:
                    add(pred, succ, bool(target.get("isDefaultNewWard")), True)
                else:
                    warnings.append(
                        f"divided commune not resolved: {old_key} → {new_pkey}/{target['newWardKey']}"
                    )

    # A divided unit with no flagged default: take the first successor.
    by_pred: dict[str, list[tuple[str, dict]]] = {}
    for (pred, succ), entry in sorted(successions.items()):
        by_pred.setdefault(pred, []).append((succ, entry))
    for entries in by_pred.values():
        defaults = [s for s, e in entries if e["is_default"]]
        if not defaults:
            entries[0][1]["is_default"] = True
        elif len(defaults) > 1:
            for succ, entry in entries:
                entry["is_default"] = succ == defaults[0]

    for row in units.values():
        if row.parent_path:
            row.parent_name = units[row.parent_path].name

    # A few legacy communes are missing from the package's conversion data: infer their
    # successor inside the successor province, by the same name or else the nearest centroid.
    province_successor = {pred: succ for (pred, succ) in successions if units[pred].parent_path is None}
    new_communes_by_province: dict[str, list[UnitRow]] = {}
    for row in units.values():
        if row.edition == Edition.Y2025 and row.parent_path:
            new_communes_by_province.setdefault(row.parent_path, []).append(row)
    for row in list(units.values()):
        if row.edition != Edition.LEGACY or KIND_LEVEL[row.kind] != 3 or row.path in by_pred:
            continue
        legacy_province = row.path.split("/")[1]
        new_province = province_successor.get(f"legacy/{legacy_province}/")
        candidates = new_communes_by_province.get(new_province or "", [])
        same_name = [c for c in candidates if c.short_name.casefold() == row.short_name.casefold()]
        if same_name:
            target, how = same_name[0], "same name"
        elif candidates and row.latitude is not None:
            target = min(
                (c for c in candidates if c.latitude is not None),
                key=lambda c: (c.latitude - row.latitude) ** 2 + (c.longitude - row.longitude) ** 2,
            )
            how = "nearest centroid"
        else:
            warnings.append(f"no successor for {row.path} {row.name}")
            continue
        successions[(row.path, target.path)] = {"is_default": True, "partial": False, "inferred": how}
        by_pred[row.path] = [(target.path, successions[(row.path, target.path)])]
        warnings.append(
            f"inferred successor ({how}): {row.name} ({row.path}) → {target.name} ({target.path})"
        )

    # current_path: own path for current units; the default successor's for legacy ones;
    # for a legacy district, the province where most of its communes went.
    for row in units.values():
        if row.edition == Edition.Y2025:
            row.current_path = row.path
    for pred, entries in by_pred.items():
        succ = next(s for s, e in entries if e["is_default"])
        units[pred].current_path = succ
    for row in units.values():
        if (
            row.edition == Edition.LEGACY
            and row.kind in (Kind.URBAN_DISTRICT, Kind.DISTRICT, Kind.TOWN, Kind.PROVINCIAL_CITY)
            and not row.current_path
        ):
            provinces = Counter(
                "/".join(u.current_path.split("/")[:2]) + "/"
                for u in units.values()
                if u.parent_path == row.path and u.current_path
            )
            if provinces:
                row.current_path = provinces.most_common(1)[0][0]
    for row in units.values():
        if not row.current_path and row.edition == Edition.LEGACY:
            warnings.append(f"no successor for {row.path} {row.name}")
    return units, successions, warnings


def load_units(*, force: bool = False, actor=None, progress: ProgressFn | None = None) -> LoadReport:
    from ocop.audit import services as audit

    checksum = source_checksum()
    report = LoadReport()
    existing_dataset = ReferenceDataset.objects.filter(name=DATASET_NAME).first()
    if not force and existing_dataset and existing_dataset.checksum == checksum:
        report.skipped = True
        report.counts = existing_dataset.stats.get("counts", {})
        return report

    def step(done: int, total: int, message: str) -> None:
        if progress:
            progress(done, total, message)

    step(0, 5, "reading source")
    units, successions, warnings = read_source()
    report.warnings = warnings

    with transaction.atomic():
        existing = {u.path: u for u in AdminUnit.objects.all()}
        by_path: dict[str, int] = {p: u.pk for p, u in existing.items()}
        ordered = sorted(units.values(), key=lambda r: (r.path.count("/"), r.path))
        to_update: list[AdminUnit] = []
        fields = [*next(iter(units.values())).values().keys(), "parent"]
        step(1, 5, "units")
        depth_groups: dict[int, list[UnitRow]] = {}
        for row in ordered:
            depth_groups.setdefault(row.path.count("/"), []).append(row)
        for _depth, rows in sorted(depth_groups.items()):
            to_create: list[AdminUnit] = []
            for row in rows:
                values = row.values()
                parent_id = by_path.get(row.parent_path) if row.parent_path else None
                unit = existing.get(row.path)
                if unit is None:
                    to_create.append(AdminUnit(path=row.path, parent_id=parent_id, **values))
                    continue
                changed = False
                for name, value in values.items():
                    if getattr(unit, name) != value:
                        setattr(unit, name, value)
                        changed = True
                if unit.parent_id != parent_id:
                    unit.parent_id = parent_id
                    changed = True
                if changed:
                    to_update.append(unit)
                else:
                    report.unchanged += 1
            created = AdminUnit.objects.bulk_create(to_create, batch_size=1000)
            report.created += len(created)
            if any(u.pk is None for u in created):  # backends that do not return ids
                fresh = AdminUnit.objects.filter(path__in=[u.path for u in created]).values_list("path", "pk")
                by_path.update(dict(fresh))
            else:
                by_path.update({u.path: u.pk for u in created})
        if to_update:
            AdminUnit.objects.bulk_update(
                to_update, fields=[f for f in fields if f != "parent"] + ["parent"], batch_size=500
            )
        report.updated = len(to_update)

        step(3, 5, "successions")
        existing_succ = {(s.predecessor_id, s.successor_id): s for s in UnitSuccession.objects.all()}
        new_succ: list[UnitSuccession] = []
        upd_succ: list[UnitSuccession] = []
        for (pred, succ), entry in successions.items():
            key = (by_path[pred], by_path[succ])
            current = existing_succ.get(key)
            if current is None:
                new_succ.append(
                    UnitSuccession(
                        predecessor_id=key[0],
                        successor_id=key[1],
                        effective_date=REFORM_DATE,
                        is_default=entry["is_default"],
                        partial=entry["partial"],
                        source=f"{SOURCE} (inferred: {entry['inferred']})"
                        if entry.get("inferred")
                        else SOURCE,
                    )
                )
            elif (current.is_default, current.partial) != (entry["is_default"], entry["partial"]):
                current.is_default = entry["is_default"]
                current.partial = entry["partial"]
                upd_succ.append(current)
        wanted = {(by_path[pred], by_path[succ]) for (pred, succ) in successions}
        stale = [
            s.pk for key, s in existing_succ.items() if key not in wanted and s.source.startswith(SOURCE)
        ]
        UnitSuccession.objects.filter(pk__in=stale).delete()
        report.successions_deleted = len(stale)
        UnitSuccession.objects.bulk_create(new_succ, batch_size=1000)
        if upd_succ:
            UnitSuccession.objects.bulk_update(upd_succ, ["is_default", "partial"], batch_size=500)
        report.successions_created = len(new_succ)
        report.successions_updated = len(upd_succ)

        step(4, 5, "checking")
        report.counts = dict(
            Counter(f"{r.edition}:{r.level}" for r in units.values()),
            successions=len(successions),
        )
        ReferenceDataset.objects.update_or_create(
            name=DATASET_NAME,
            defaults={"source": SOURCE, "checksum": checksum, "stats": report.as_dict()},
        )
        audit.record(
            actor=actor,
            action="import",
            object_type="geo.adminunit",
            object_repr="Administrative units",
            changes={
                "created": report.created,
                "updated": report.updated,
                "successions_created": report.successions_created,
                "successions_updated": report.successions_updated,
                "successions_deleted": report.successions_deleted,
            },
            message=f"Loaded from {SOURCE}",
        )
    step(5, 5, "done")
    return report
