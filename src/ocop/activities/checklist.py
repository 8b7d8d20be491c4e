"""The Ministry of Industry and Trade's criteria for OCOP sales points, as versioned data
(`data/sales_point_criteria.json`). An assessment names the version it answers; `check` refuses
answers for items of another version and reads whether the point meets the criteria (every
required item answered yes)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "sales_point_criteria.json"


@dataclass(frozen=True)
class Item:
    code: str
    group: str
    label: str
    required: bool


@dataclass(frozen=True)
class Version:
    code: str
    name: str
    basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    items: tuple[Item, ...]

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def item_codes(self) -> list[str]:
        return [i.code for i in self.items]


@cache
def versions() -> dict[str, Version]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    out = {}
    for v in raw["versions"]:
        out[v["code"]] = Version(
            code=v["code"],
            name=v["name"],
            basis=v["basis"],
            valid_from=dt.date.fromisoformat(v["valid_from"]),
            valid_to=dt.date.fromisoformat(v["valid_to"]) if v.get("valid_to") else None,
            items=tuple(Item(i["code"], i["group"], i["label"], bool(i["required"])) for i in v["items"]),
        )
    return out


def get(code: str) -> Version | None:
    return versions().get(code)


def in_force(day: dt.date) -> Version | None:
    for version in sorted(versions().values(), key=lambda v: v.valid_from, reverse=True):
        if version.in_force_on(day):
            return version
    return None


def choices() -> list[tuple[str, str]]:
    return [(v.code, f"{v.name} ({v.basis.split(' của ')[0]})") for v in versions().values()]


def meets(version: Version, answers: dict[str, bool]) -> bool:
    return all(answers.get(i.code) is True for i in version.items if i.required)
