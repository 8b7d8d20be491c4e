"""The procedure's dates as data, by rule version (the decision they come from).

Rounds (đợt đánh giá) of Decision 26/2026/QĐ-TTg, Điều 5: the province evaluates at least twice a
year — round 1 before 30/06 for dossiers the commune proposed before 30/04, round 2 before 30/12 for
those proposed before 30/10 —; the ministry twice — round 1 before 30/09 for dossiers the province
proposed before 30/07, round 2 before 30/03 (of the next year) for those proposed before 30/01.
More rounds only where the council's regulation provides for them (see `services.add_round`).

A rule version without a calendar here (148/2023, 1048/2019: the reference sources hold none)
gets no rounds automatically; the office adds them with their basis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .choices import RoundLevel, Step


@dataclass(frozen=True)
class RoundSpec:
    level: str
    number: int
    proposals_before: tuple[int, int, int]  # (year offset, month, day)
    evaluate_before: tuple[int, int, int]

    def dates(self, year: int) -> tuple[dt.date, dt.date]:
        p, e = self.proposals_before, self.evaluate_before
        return dt.date(year + p[0], p[1], p[2]), dt.date(year + e[0], e[1], e[2])


ROUND_CALENDARS: dict[str, dict] = {
    "26-2026": {
        "basis": "Khoản 1, khoản 2 Điều 5 Quyết định số 26/2026/QĐ-TTg",
        "rounds": [
            RoundSpec(RoundLevel.PROVINCE, 1, (0, 4, 30), (0, 6, 30)),
            RoundSpec(RoundLevel.PROVINCE, 2, (0, 10, 30), (0, 12, 30)),
            RoundSpec(RoundLevel.MINISTRY, 1, (0, 7, 30), (0, 9, 30)),
            RoundSpec(RoundLevel.MINISTRY, 2, (1, 1, 30), (1, 3, 30)),
        ],
    },
}


def calendar_for(rule) -> dict | None:
    return ROUND_CALENDARS.get(getattr(rule, "code", "") or "")


def expected_round(rule, level: str, proposed_on: dt.date) -> tuple[int, dt.date, dt.date] | None:
    """The regular round a dossier proposed on `proposed_on` falls into: (year, proposals_before,
    evaluate_before) of the first round whose proposal cut-off is after that day."""
    calendar = calendar_for(rule)
    if calendar is None:
        return None
    candidates = []
    for year in (proposed_on.year - 1, proposed_on.year, proposed_on.year + 1):
        for spec in calendar["rounds"]:
            if spec.level != level:
                continue
            proposals_before, evaluate_before = spec.dates(year)
            if proposed_on < proposals_before:
                candidates.append((proposals_before, year, evaluate_before))
    if not candidates:
        return None
    proposals_before, year, evaluate_before = min(candidates)
    return year, proposals_before, evaluate_before


# The six steps: when they usually run (month, day) and who is responsible — defaults an office
# edits for its own plan (the Quảng Ninh calendar in the domain notes, §2.3).
STEP_DEFAULTS = {
    Step.PUBLICISE: ((1, 1), (4, 30), "UBND cấp xã; cơ quan tham mưu quản lý OCOP cấp tỉnh"),
    Step.IDEAS: ((3, 1), (6, 30), "UBND cấp xã"),
    Step.PLANS: ((6, 1), (8, 31), "UBND cấp xã"),
    Step.IMPLEMENT: ((1, 1), (12, 31), "Chủ thể OCOP; UBND cấp xã hướng dẫn, hỗ trợ"),
    Step.EVALUATE: ((1, 1), (12, 30), "Cơ quan tham mưu quản lý OCOP cấp tỉnh; Hội đồng cấp tỉnh"),
    Step.PROMOTE: ((1, 1), (12, 31), "Sở Công Thương; cơ quan tham mưu quản lý OCOP cấp tỉnh"),
}

# Điều 7.2: the commune acts within 15 working days of receiving a dossier.
COMMUNE_WORKING_DAYS = 15
# Điều 7.6.g: a re-evaluation is done within 45 days of the complete proposal.
REEVALUATION_DAYS = 45
# Điều 6.2.d: five samples, except community tourism.
SAMPLES_REQUIRED = 5
