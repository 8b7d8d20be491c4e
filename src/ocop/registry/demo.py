"""The demo registry: Bắc Kạn's OCOP producers, products and certificates (2018–2024).

`ocop demo load` (called by `make run`) writes it after the demo accounts; `ocop demo reset`
deletes what it wrote and writes it again. The home area of the demo deployment is the new Thái
Nguyên; the former Bắc Kạn province (`legacy/06/`) is its history, so every record sits in a
legacy commune and the dashboards can be checked against figures published before the merger.

What it contains
----------------
* **Real records**: every row of `data/bac-kan-ocop-products-sourced.csv` as the sources give it
  (name, producer, producer kind, legacy district and commune, stars, year, decision, notes). A
  product whose commune (or district) is blank in the source is placed in a plausible commune and
  its description and its producer's notes say so. Certificates follow the row: issued on the
  decision date when the source gives one, otherwise on an assumed date of that year (15/12, and
  13/12/2018 for 2018 so that they end on 12/12/2021 as the source on the 2019 re-issue says),
  valid 36 months (`valid_until` = issue date + 36 months − 1 day), issued by the province (the
  ministry for 5★), under 1048/QĐ-TTg before 24/02/2023 and 148/QĐ-TTg from then. A decision
  number is written only where the source gives it.
* **Illustrative records** (`is_illustrative=True`): producers, products and certificates made up
  so that the counts by date reproduce `bac-kan-ocop-totals.csv`. Their names read as made up
  ("HTX minh họa Ba Bể 03", "Sản phẩm minh họa 012 — Mật ong"), their legal representatives carry
  "(tên minh họa)", they have **no tax code** (a made-up tax code could belong to a real
  enterprise), and their certificates have no decision or certificate number and "Minh họa" in
  the note.

How the real rows were reconciled with the totals (choices written down here on purpose)
----------------------------------------------------------------------------------------
* Miến dong Tài Hoan: 4★ on 13/12/2018 (sources say 2018 or 2019), superseded by the national 5★
  of 30/06/2021 (2890/QĐ-BNN-VPĐP, 91.14 points), superseded by the re-recognition of 25/06/2024
  (the source gives no decision number).
* The two 2019 rows carry "valid to 10/01/2023": their certificates run from 11/01/2020 to
  10/01/2023 (the 36 months end there), and get an illustrative renewal on 11/01/2023.
* "Renewed 2021 (2616/QĐ-UBND)": an illustrative original 3★ certificate of 13/12/2018 (the
  renewal implies one; its year and star are assumed), the real renewal of 29/12/2021 (3★; for
  Măng khô Mảy Puốc, whose star is not stated, 3★ with a note), and for the two rượu men lá the
  4★ of 2022, which supersedes the renewal.
* **Enterprises.** The CSV names seven enterprises; the totals count five producers of that kind
  on 30/06/2023. The 2018 certificates of Vi-cumax Nano curcumin (Cty TNHH nhà máy Curcumin Bắc
  Hà) and of the two Trịnh Năng products (Cty TNHH Nhiệt Công nghiệp HTL) lapse at the end of
  their 36 months (12/12/2021): no source says they were renewed, and the company's later products
  are registered by Cty CP Curcumin Bắc Hà. Cty CP nông sản Bắc Kạn keeps its two 2018 products
  through an illustrative renewal on 29/12/2021 (Tinh nghệ Bắc Kạn at 4★, the star the CSV gives
  although one source says 3★). The five enterprises of 2023 are then all real: Cty CP nông sản
  Bắc Kạn, Cty CP Curcumin Bắc Hà, Cty TNHH Hà Diệp, Cty TNHH MTV Asuka Việt Nam and Cty TNHH chế
  biến nông sản và dược liệu Ngọc Thắng; no illustrative enterprise is made up.
* Gạo nếp Khẩu Nua Lếch (2018) also gets an illustrative renewal on 29/12/2021, so that all real
  producers other than the two lapsed enterprises are still active in 2023.
* The 2022 rows ("4★ reported by 2022") are dated 15/12/2022.

The illustrative cohorts (sizes computed from the totals minus the real rows, see `_cohorts`):
27 products of 3★ recognised on 13/12/2018 from 23 producers (with the real rows: 32 products from
28 producers, as the 2018 report says); 5 of them raised to 4★ in 2020, 4 of which fall back to
3★ when re-evaluated under 148/QĐ-TTg in June 2023; 20 renewed on 29/12/2021; 2 left to lapse.
2020: 82 new products (5 at 4★; 10 of them issued in June 2020 lapse in June 2023). 2021: 24 new,
2022: 16, 2023: 12 before 30/06 and 2 between July and November, all 3★. Producers whose products
are valid on 31/12/2021 sit in 50 communes (58 of the 108 have none, as the 2021 review says);
producers that appear from 2022 sit in the other communes.

Everything is deterministic (fixed seed, sorted inputs), idempotent (a record is created only if
its key — producer: commune and name; product: producer and name; certificate: product, issue date
and stars — is missing) and written in one transaction with one audit event (`import`) per batch.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from ocop.core.dates import add_months
from ocop.core.text import search_text

from .choices import ProducerKind
from .validators import name_key

SEED = 2026
DATA = Path(__file__).resolve().parent / "data"
CSV_PATH = DATA / "bac-kan-ocop-products-sourced.csv"
PROVINCE_PATH = "legacy/06/"
CITY = "Thành phố Bắc Kạn"
SCHEME = "26-2026"
RULE_148_FROM = dt.date(2023, 2, 24)
RULE_26_FROM = dt.date(2026, 5, 22)
# Illustrative re-evaluations are planned for certificates ending after the last published total
# (30/11/2023) and before this day, so that the demo has certificates in force in late 2026.
RENEWALS_UNTIL = dt.date(2026, 11, 30)
PROVINCE_AUTHORITY = "UBND tỉnh Bắc Kạn"
MINISTRY_AUTHORITY = "Bộ Nông nghiệp và Phát triển nông thôn"
PRODUCER_ACCOUNT = ("htx.taihoan", "HTX Tài Hoan")

# The checkpoints of `bac-kan-ocop-totals.csv` the demo reproduces: {date: {stars: products}}.
T2018, T2021, T2023_06, T2023_11 = (
    dt.date(2018, 12, 31),
    dt.date(2021, 12, 31),
    dt.date(2023, 6, 30),
    dt.date(2023, 11, 30),
)
TARGET_STARS = {
    T2018: {5: 0, 4: 5, 3: 32},
    T2021: {5: 1, 4: 11, 3: 143},
    T2023_06: {5: 1, 4: 18, 3: 163},
    T2023_11: {5: 1, 4: 18, 3: 165},
}
TARGET_PRODUCERS = {  # on 30/06/2023 and 30/11/2023
    ProducerKind.COOPERATIVE: 73,
    ProducerKind.COOPERATIVE_GROUP: 10,
    ProducerKind.HOUSEHOLD: 22,
    ProducerKind.ENTERPRISE: 5,
}
TARGET_3STAR_PRODUCERS_2018 = 28  # "32 three-star from 28 producers"
COMMUNES_WITHOUT_PRODUCT_2021 = 58  # of the 108 legacy communes of Bắc Kạn

ILLUSTRATIVE = "Minh họa"
ILLUSTRATIVE_PRODUCER_NOTE = "Chủ thể minh họa cho dữ liệu mẫu — không phải hồ sơ chính thức."
ILLUSTRATIVE_PRODUCT_NOTE = "Sản phẩm minh họa cho dữ liệu mẫu — không phải sản phẩm OCOP chính thức."
REAL_NOTE = "Theo nguồn công khai (registry/data/bac-kan-ocop-products-sourced.csv)."

# 26/2026 product set of each real product.
REAL_CATEGORIES = {
    "Miến dong Tài Hoan": "7",
    "Vi-cumax Nano curcumin": "18",
    "Trịnh Năng Curcumin": "18",
    "Trịnh Năng Gừng": "18",
    "Tinh nghệ Bắc Kạn": "20",
    "Viên tinh nghệ mật ong": "18",
    "VICUMAX Mật ong Nano Curcumin": "18",
    "VICUMAX Limited Nano Curcumin": "18",
    "VICUMAX Nano Curcumin": "18",
    "Lạp sườn": "8",
    "Thịt treo gác bếp": "8",
    "Rượu chuối men lá Mạnh Minh": "15",
    "Giấm chuối Mạnh Minh": "9",
    "Trà Cà gai leo": "12",
    "Gạo nếp Tân Sơn": "3",
    "Bột củ mài núi": "7",
    "Gạo Nhật Japonica": "3",
    "Bánh phở khô Chợ Đồn Hoàng Hải": "6",
    "Thịt lợn rừng lai Phúc Thơm Bắc Kạn": "2",
    "Nấm mộc nhĩ nguyên tai": "4",
    "Bánh trời": "6",
    "Rượu men lá Thanh Tâm": "14",
    "Rượu men lá Bằng Phúc": "14",
    "Măng khô Mảy Puốc": "7",
    "Quỳnh Mai homestay": "26",
    "Du lịch cộng đồng Ba Bể (Ba Be Green Homestay)": "26",
    "Trà nụ vối": "12",
    "Trà hoa vàng Bắc Kạn": "12",
    "Trà hoa vàng Bắc Kạn túi lọc": "12",
    "Tinh bột nghệ nếp đỏ Bắc Kạn": "20",
    "Tinh bột nghệ nếp đen Bắc Kạn": "20",
    "Trà thảo dược giảo cổ lam núi đá": "12",
    "Rượu mơ Asuka": "15",
    "Rượu mơ Dakimo": "15",
    "Trà Shan tuyết": "11",
    "Gạo nếp Khẩu Nua Lếch": "3",
}

# Where a product goes when the source names no commune: {(producer, district): commune}. A
# producer whose commune is known in that district from another row goes there instead.
PLACEMENTS = {
    ("Công ty TNHH nhà máy Curcumin Bắc Hà", CITY): "Xã Nông Thượng",
    ("Công ty TNHH Nhiệt Công nghiệp HTL", CITY): "Phường Xuất Hóa",
    ("Công ty CP nông sản Bắc Kạn", "Huyện Bạch Thông"): "Thị trấn Phủ Thông",
    ("Công ty CP nông sản Bắc Kạn", CITY): "Phường Đức Xuân",
    ("Nhà hàng Tám Cương", CITY): "Phường Sông Cầu",
    ("HTX Tân Dân", CITY): "Phường Huyền Tụng",
    ("Công ty TNHH Hà Diệp", CITY): "Phường Nguyễn Thị Minh Khai",
    ("Công ty TNHH MTV Asuka Việt Nam", CITY): "Phường Phùng Chí Kiên",
    ("Công ty TNHH chế biến nông sản và dược liệu Ngọc Thắng", CITY): "Xã Dương Quang",
}
ADDRESSES = {"HTX Tài Hoan": "Thôn Chè Cọ"}
# 2018 certificates the source does not say were renewed: left to lapse (see the docstring).
LAPSED_2018 = {"Vi-cumax Nano curcumin", "Trịnh Năng Curcumin", "Trịnh Năng Gừng"}
# Real products kept in force by an illustrative renewal on 29/12/2021.
RENEWED_2021_ILLUSTRATIVE = {"Tinh nghệ Bắc Kạn", "Viên tinh nghệ mật ong", "Gạo nếp Khẩu Nua Lếch"}
TAI_HOAN_PRODUCT = "Miến dong Tài Hoan"
DECISION_2616 = ("2616/QĐ-UBND", dt.date(2021, 12, 29))

# Illustrative product types: (label, 26/2026 product set).
PRODUCT_TYPES = [
    ("Mật ong", "4"),
    ("Mật ong bạc hà", "4"),
    ("Chè Shan tuyết", "11"),
    ("Chè xanh", "11"),
    ("Trà túi lọc thảo dược", "12"),
    ("Trà hoa vàng", "12"),
    ("Trà giảo cổ lam", "12"),
    ("Rượu men lá", "14"),
    ("Rượu ngô", "14"),
    ("Rượu mơ", "15"),
    ("Miến dong", "7"),
    ("Tinh bột dong riềng", "7"),
    ("Măng khô", "7"),
    ("Hạt dẻ sấy", "7"),
    ("Gạo nếp", "3"),
    ("Gạo bao thai", "3"),
    ("Bánh gio", "6"),
    ("Bánh khảo", "6"),
    ("Bánh chưng đen", "6"),
    ("Thịt trâu gác bếp", "8"),
    ("Lạp sườn gác bếp", "8"),
    ("Cá nướng", "8"),
    ("Mộc nhĩ khô", "4"),
    ("Nấm hương", "4"),
    ("Tinh bột nghệ", "20"),
    ("Hồng không hạt", "1"),
    ("Cam sành", "1"),
    ("Quýt", "1"),
    ("Bí xanh thơm", "1"),
    ("Lợn đen", "2"),
    ("Tương ớt", "9"),
    ("Giấm chuối", "9"),
    ("Muối ớt rừng", "10"),
    ("Khăn thổ cẩm", "22"),
    ("Giỏ mây tre đan", "21"),
    ("Cao dược liệu", "18"),
    ("Dầu gội thảo dược", "19"),
    ("Tinh dầu quế", "20"),
    ("Lan kim tuyến", "23"),
    ("Điểm du lịch cộng đồng", "26"),
    ("Nước uống đóng chai", "16"),
]
SURNAMES = [
    "Hoàng",
    "Nông",
    "Triệu",
    "Lường",
    "Ma",
    "Hà",
    "Lý",
    "Đàm",
    "Lục",
    "Dương",
    "Bàn",
    "Nguyễn",
    "Lưu",
    "Mông",
    "Đinh",
    "Phùng",
]
GIVEN_MEN = [
    "Văn Hùng",
    "Văn Sơn",
    "Đức Thắng",
    "Văn Tuấn",
    "Minh Quang",
    "Văn Lợi",
    "Đình Khánh",
    "Văn Cường",
    "Quốc Bảo",
    "Văn Toản",
]
GIVEN_WOMEN = [
    "Thị Mai",
    "Thị Hằng",
    "Thị Lan",
    "Thị Thu",
    "Thị Hương",
    "Thị Nhung",
    "Thị Loan",
    "Thị Hoa",
    "Thị Yến",
    "Thị Duyên",
]
KIND_PREFIX = {
    ProducerKind.COOPERATIVE: "HTX",
    ProducerKind.COOPERATIVE_GROUP: "THT",
    ProducerKind.HOUSEHOLD: "Hộ kinh doanh",
    ProducerKind.ENTERPRISE: "Công ty",
}
KIND_TITLE = {
    ProducerKind.COOPERATIVE: "Giám đốc",
    ProducerKind.COOPERATIVE_GROUP: "Tổ trưởng",
    ProducerKind.HOUSEHOLD: "Chủ hộ",
    ProducerKind.ENTERPRISE: "Giám đốc",
}


# --- The plan (pure: units in, records out) ----------------------------------------------------


@dataclass
class CertPlan:
    stars: int
    issued_on: dt.date
    note: str
    illustrative: bool = False
    decision_number: str = ""
    decision_date: dt.date | None = None
    ministry: bool = False
    score: Decimal | None = None
    ended_on: dt.date | None = None  # superseded from this date
    valid_until: dt.date | None = None  # defaults to 36 months

    def __post_init__(self):
        if self.valid_until is None:
            self.valid_until = add_months(self.issued_on, 36) - dt.timedelta(days=1)

    def valid_on(self, day: dt.date) -> bool:
        return self.issued_on <= day <= self.valid_until and (self.ended_on is None or self.ended_on > day)


@dataclass
class ProductPlan:
    name: str
    category_code: str
    commune: str  # path
    description: str
    illustrative: bool
    certificates: list[CertPlan] = field(default_factory=list)

    def stars_on(self, day: dt.date) -> int | None:
        return max((c.stars for c in self.certificates if c.valid_on(day)), default=None)


@dataclass
class ProducerPlan:
    name: str
    kind: str
    commune: str  # path
    illustrative: bool
    notes: str
    legal_representative: str = ""
    representative_title: str = ""
    address: str = ""
    registration_date: dt.date | None = None
    members_count: int | None = None
    women_led: bool = False
    ethnic_minority_led: bool = False
    products: list[ProductPlan] = field(default_factory=list)

    def active_on(self, day: dt.date) -> bool:
        return any(p.stars_on(day) for p in self.products)


@dataclass
class Units:
    """The legacy units of Bắc Kạn: {path: name}, districts by name, communes by (district, name)."""

    names: dict[str, str]
    districts: dict[str, str]
    communes: dict[tuple[str, str], str]

    @classmethod
    def load(cls) -> Units:
        from ocop.geo.choices import Level
        from ocop.geo.models import AdminUnit

        rows = list(
            AdminUnit.objects.filter(
                path__startswith=PROVINCE_PATH, level__in=[Level.DISTRICT, Level.COMMUNE]
            )
            .order_by("path")
            .values_list("path", "name", "level", "parent__path")
        )
        if not rows:
            raise LookupError("The legacy units of Bắc Kạn are not loaded (ocop load-units).")
        return cls(
            names={path: name for path, name, _level, _parent in rows},
            districts={name: path for path, name, level, _parent in rows if level == Level.DISTRICT},
            communes={(parent, name): path for path, name, level, parent in rows if level == Level.COMMUNE},
        )

    @property
    def commune_paths(self) -> list[str]:
        return sorted(self.communes.values())

    def district_of(self, commune_path: str) -> str:
        return commune_path.rsplit("/", 2)[0] + "/"

    def where(self, commune_path: str) -> str:
        return f"{self.names[commune_path]} ({self.names[self.district_of(commune_path)]})"


def rule_for(day: dt.date) -> str:
    if day >= RULE_26_FROM:
        return "26/2026/QĐ-TTg"
    return "148/QĐ-TTg" if day >= RULE_148_FROM else "1048/QĐ-TTg"


def read_rows() -> list[dict[str, str]]:
    with open(CSV_PATH, encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def _parse_decision(text: str) -> tuple[str, dt.date | None]:
    match = re.fullmatch(r"(.+?)\s*\((\d{2})/(\d{2})/(\d{4})\)", text)
    if match:
        return match[1].strip(), dt.date(int(match[4]), int(match[3]), int(match[2]))
    return text, None


def _assumed_date(year: int) -> dt.date:
    # 2018 certificates ran to 12/12/2021 (re-issue of 2019), i.e. from 13/12/2018.
    return dt.date(2018, 12, 13) if year == 2018 else dt.date(year, 12, 15)


def _real_certificates(row: dict[str, str]) -> list[CertPlan]:
    name, note = row["product"], row["note"]
    year = int(row["year_recognised"])
    stars = int(row["stars"]) if row["stars"] else None
    number, decided = _parse_decision(row["decision"])
    source = f"{REAL_NOTE} Ghi chú nguồn: {note}." if note else REAL_NOTE

    if name == TAI_HOAN_PRODUCT:
        return [
            CertPlan(
                4,
                dt.date(2018, 12, 13),
                ended_on=decided,
                note=f"{REAL_NOTE} 4★ năm 2018 (có nguồn ghi 2019); ngày cấp giả định 13/12/2018.",
            ),
            CertPlan(
                5,
                decided,
                decision_number=number,
                decision_date=decided,
                ministry=True,
                score=Decimal("91.14"),
                ended_on=dt.date(2024, 6, 25),
                note=f"{REAL_NOTE} 5★ cấp quốc gia, đợt đánh giá năm 2020, 91,14 điểm.",
            ),
            CertPlan(
                5,
                dt.date(2024, 6, 25),
                ministry=True,
                note=f"{REAL_NOTE} Tái công nhận 5★ ngày 25/06/2024; nguồn không nêu số quyết định.",
            ),
        ]

    if "renewed" in note:  # renewed by 2616/QĐ-UBND on 29/12/2021; the original is implied
        renewal_no, renewal_date = DECISION_2616
        original = CertPlan(
            3,
            _assumed_date(2018),
            illustrative=True,
            note=f"{ILLUSTRATIVE} — giấy chứng nhận ban đầu suy ra từ việc cấp lại năm 2021; "
            "năm và hạng sao không nêu trong nguồn.",
        )
        star_note = "" if stars and year <= 2021 else " Hạng sao khi cấp lại không nêu trong nguồn; ghi 3★."
        renewal = CertPlan(
            stars if stars and year <= 2021 else 3,
            renewal_date,
            decision_number=renewal_no,
            decision_date=renewal_date,
            note=f"{source} Cấp lại theo {renewal_no} ngày 29/12/2021.{star_note}",
        )
        certificates = [original, renewal]
        if stars and year > 2021:
            upgrade = _assumed_date(year)
            renewal.ended_on = upgrade
            certificates.append(
                CertPlan(stars, upgrade, note=f"{source} Ngày cấp giả định {upgrade:%d/%m/%Y}.")
            )
        return certificates

    valid_to = re.search(r"valid to (\d{2})/(\d{2})/(\d{4})", note)
    if valid_to:  # the source gives the end of validity: the 36 months started the day after
        until = dt.date(int(valid_to[3]), int(valid_to[2]), int(valid_to[1]))
        start = add_months(until + dt.timedelta(days=1), -36)
        return [
            CertPlan(
                stars,
                start,
                valid_until=until,
                note=f"{source} Công nhận đợt {year}; hiệu lực 36 tháng đến {until:%d/%m/%Y} theo nguồn.",
            ),
            CertPlan(
                stars,
                until + dt.timedelta(days=1),
                illustrative=True,
                note=f"{ILLUSTRATIVE} — gia hạn minh họa khi hết 36 tháng (nguồn không nêu).",
            ),
        ]

    issued = decided or _assumed_date(year)
    extra = "" if decided else f" Ngày cấp giả định {issued:%d/%m/%Y} (nguồn chỉ nêu năm {year})."
    if name == "Tinh nghệ Bắc Kạn":
        extra += " Các nguồn không thống nhất (4★ hoặc 3★); ghi 4★ theo bảng nguồn."
    certificates = [
        CertPlan(
            stars,
            issued,
            decision_number=number if decided else "",
            decision_date=decided,
            ministry=stars == 5,
            note=f"{source}{extra}",
        )
    ]
    if name in LAPSED_2018:
        certificates[0].note += " Không có nguồn về việc cấp lại: để hết hạn sau 36 tháng."
    if name in RENEWED_2021_ILLUSTRATIVE:
        certificates.append(
            CertPlan(
                stars,
                DECISION_2616[1],
                illustrative=True,
                note=f"{ILLUSTRATIVE} — gia hạn minh họa khi hết 36 tháng (nguồn không nêu).",
            )
        )
    return certificates


def _real_plan(units: Units) -> list[ProducerPlan]:
    rows = read_rows()
    known: dict[tuple[str, str], str] = {}  # (producer, district path) -> commune path named by a row
    for row in rows:
        if row["commune_legacy"]:
            district = units.districts[row["district_legacy"] or CITY]
            known.setdefault((row["producer"], district), units.communes[(district, row["commune_legacy"])])

    producers: dict[str, ProducerPlan] = {}
    for row in rows:
        district_name = row["district_legacy"] or CITY
        district = units.districts[district_name]
        placed = ""
        if row["commune_legacy"]:
            commune = units.communes[(district, row["commune_legacy"])]
        else:
            commune = (
                known.get((row["producer"], district))
                or units.communes[(district, PLACEMENTS[(row["producer"], district_name)])]
            )
            what = "xã" if row["district_legacy"] else "huyện và xã"
            placed = (
                f"Địa bàn {what} không được nêu trong nguồn; đặt tạm tại {units.where(commune)} "
                "cho dữ liệu mẫu."
            )
        name = row["producer"]
        if name not in producers:
            home = next((c for (p, _d), c in known.items() if p == name), commune)
            notes = REAL_NOTE
            if home == commune and placed:
                notes += " " + placed
            representative = ""
            for prefix in ("Cơ sở ", "Hộ kinh doanh "):
                if name.startswith(prefix) and row["producer_kind"] == ProducerKind.HOUSEHOLD:
                    representative = name.removeprefix(prefix)
            producers[name] = ProducerPlan(
                name=name,
                kind=row["producer_kind"],
                commune=home,
                illustrative=False,
                notes=notes,
                legal_representative=representative,
                representative_title="Chủ cơ sở" if representative else "",
                address=ADDRESSES.get(name, ""),
            )
        description = " ".join(
            part
            for part in (
                REAL_NOTE,
                f"Ghi chú nguồn: {row['note']}." if row["note"] else "",
                placed,
                "Hạng sao không nêu trong nguồn; ghi 3★ cho dữ liệu mẫu." if not row["stars"] else "",
            )
            if part
        )
        producers[name].products.append(
            ProductPlan(
                name=row["product"],
                category_code=REAL_CATEGORIES[row["product"]],
                commune=commune,
                description=description,
                illustrative=False,
                certificates=_real_certificates(row),
            )
        )
    return list(producers.values())


def _count_stars(producers: list[ProducerPlan], day: dt.date) -> Counter:
    return Counter(s for p in producers for product in p.products if (s := product.stars_on(day)))


@dataclass(frozen=True)
class Cohorts:
    """Sizes of the illustrative cohorts (see the module docstring)."""

    products_2018: int
    producers_2018: int  # producers of 2018 products still active later
    raised_kept: int  # raised to 4★ in December 2020, still 4★ in 2023
    raised_dropped: int  # raised to 4★ in June 2020, re-evaluated at 3★ in June 2023
    renewed_2018: int
    lapsed_2018: int
    new_4star_2020: int
    new_2020: int  # 3★, December 2020, valid to December 2023
    lapsing_2020: int  # 3★, June 2020, lapse in June 2023
    new_2021: int
    new_2022: int
    new_2023_h1: int
    new_2023_h2: int


LAPSED_2018_COUNT = 2
RAISED_KEPT = 1
NEW_2021 = 24
LAPSING_2020 = 10
NEW_2023_H1 = 12


def _cohorts(real: list[ProducerPlan]) -> Cohorts:
    """What the illustrative records must add to the real rows to reproduce the totals."""
    need = {
        day: {s: n - _count_stars(real, day)[s] for s, n in target.items()}
        for day, target in TARGET_STARS.items()
    }
    real_3star_2018 = sum(1 for p in real if any(x.stars_on(T2018) == 3 for x in p.products))
    products_2018 = need[T2018][3]
    raised_dropped = need[T2021][4] - need[T2023_06][4]
    new_4star_2020 = need[T2023_06][4] - RAISED_KEPT
    renewed_2018 = products_2018 - RAISED_KEPT - raised_dropped - LAPSED_2018_COUNT
    new_2020 = need[T2021][3] - renewed_2018 - LAPSING_2020 - NEW_2021
    new_2022 = need[T2023_06][3] - renewed_2018 - raised_dropped - new_2020 - NEW_2021 - NEW_2023_H1
    cohorts = Cohorts(
        products_2018=products_2018,
        producers_2018=TARGET_3STAR_PRODUCERS_2018 - real_3star_2018 - LAPSED_2018_COUNT,
        raised_kept=RAISED_KEPT,
        raised_dropped=raised_dropped,
        renewed_2018=renewed_2018,
        lapsed_2018=LAPSED_2018_COUNT,
        new_4star_2020=new_4star_2020,
        new_2020=new_2020,
        lapsing_2020=LAPSING_2020,
        new_2021=NEW_2021,
        new_2022=new_2022,
        new_2023_h1=NEW_2023_H1,
        new_2023_h2=need[T2023_11][3] - need[T2023_06][3],
    )
    checks = [
        all(v >= 0 for v in vars(cohorts).values()),
        need[T2018][4] == need[T2018][5] == 0,
        need[T2021][5] == need[T2023_06][5] == need[T2023_11][5] == 0,
        need[T2023_11][4] == need[T2023_06][4],
        cohorts.producers_2018 <= cohorts.products_2018 - cohorts.lapsed_2018,
    ]
    if not all(checks):
        raise ValueError(f"The real rows no longer fit the totals: {need}")
    return cohorts


def build_plan(units: Units) -> list[ProducerPlan]:
    """All demo producers (real ones first), each with its products and their certificates."""
    real = _real_plan(units)
    c = _cohorts(real)
    rng = random.Random(SEED)
    d = dt.date

    def cert(stars, issued, what, **kw) -> CertPlan:
        return CertPlan(stars, issued, illustrative=True, note=f"{ILLUSTRATIVE} — {what}.", **kw)

    def new(stars, issued) -> ProductPlan:
        return ProductPlan(
            "", "", "", ILLUSTRATIVE_PRODUCT_NOTE, True, [cert(stars, issued, "công nhận minh họa")]
        )

    # 2018 products: raised (kept / dropped back), renewed, lapsed.
    products_2018 = []
    for i in range(c.products_2018):
        product = new(3, _assumed_date(2018))
        first = product.certificates[0]
        if i < c.raised_kept + c.raised_dropped:
            kept = i < c.raised_kept
            raised = d(2020, 12, 15) if kept else d(2020, 6, 15)
            first.ended_on = raised
            product.certificates.append(cert(4, raised, "nâng hạng minh họa lên 4★"))
            if not kept:
                product.certificates.append(
                    cert(3, d(2023, 6, 15), "đánh giá lại minh họa theo 148/QĐ-TTg khi hết hạn: đạt 3★")
                )
        elif i < c.products_2018 - c.lapsed_2018:
            product.certificates.append(cert(3, DECISION_2616[1], "gia hạn minh họa khi hết 36 tháng"))
        products_2018.append(product)
    continuing, lapsed = products_2018[: -c.lapsed_2018], products_2018[-c.lapsed_2018 :]

    dates_2020 = [d(2020, 12, 4), d(2020, 12, 15), d(2020, 12, 25)]
    valid_2020 = [new(4, d(2020, 12, 15)) for _ in range(c.new_4star_2020)]
    valid_2020 += [new(3, rng.choice(dates_2020)) for _ in range(c.new_2020)]
    lapsing_2020 = [new(3, rng.choice([d(2020, 5, 20), d(2020, 6, 15)])) for _ in range(c.lapsing_2020)]
    products_2021 = [
        new(3, rng.choice([d(2021, 6, 18), d(2021, 9, 24), d(2021, 12, 15)])) for _ in range(c.new_2021)
    ]
    products_2022 = [new(3, rng.choice([d(2022, 6, 24), d(2022, 12, 15)])) for _ in range(c.new_2022)]
    products_2023 = [new(3, rng.choice([d(2023, 4, 20), d(2023, 6, 9)])) for _ in range(c.new_2023_h1)]
    products_2023_h2 = [new(3, rng.choice([d(2023, 9, 15), d(2023, 11, 10)])) for _ in range(c.new_2023_h2)]

    # Producers. Active in 2023: the kinds the totals need beyond the real producers.
    real_active = Counter(p.kind for p in real if p.active_on(T2023_06))
    active_kinds = [kind for kind, n in TARGET_PRODUCERS.items() for _ in range(n - real_active[kind])]
    rng.shuffle(active_kinds)
    n_2021, n_2022, n_2023 = 20, 4, 2
    n_2020 = len(active_kinds) - c.producers_2018 - n_2021 - n_2022 - n_2023
    inactive_kinds = [
        ProducerKind.HOUSEHOLD,
        ProducerKind.COOPERATIVE_GROUP,
        ProducerKind.COOPERATIVE,
        ProducerKind.HOUSEHOLD,
        ProducerKind.COOPERATIVE,
    ]

    def producer(kind: str, products: list[ProductPlan]) -> ProducerPlan:
        return ProducerPlan("", kind, "", True, ILLUSTRATIVE_PRODUCER_NOTE, products=products)

    kinds = iter(active_kinds)
    group_2018 = [producer(next(kinds), [p]) for p in continuing[: c.producers_2018]]
    for p in continuing[c.producers_2018 :]:
        rng.choice(group_2018).products.append(p)
    group_2020 = [producer(next(kinds), [p]) for p in valid_2020[:n_2020]]
    for p in valid_2020[n_2020:] + lapsing_2020[3:]:
        rng.choice(group_2020).products.append(p)
    group_2021 = [producer(next(kinds), [p]) for p in products_2021[:n_2021]]
    for p in products_2021[n_2021:]:
        rng.choice(group_2021).products.append(p)
    group_2022 = [producer(next(kinds), [p]) for p in products_2022[:n_2022]]
    group_2023 = [producer(next(kinds), [p]) for p in products_2023[:n_2023]]
    established = group_2018 + group_2020 + group_2021
    for p in products_2022[n_2022:] + products_2023[n_2023:] + products_2023_h2:
        rng.choice(established).products.append(p)
    lapsed_producers = [
        producer(inactive_kinds[i % len(inactive_kinds)], [p])
        for i, p in enumerate(lapsed + lapsing_2020[:3])
    ]

    # Communes: producers with a product valid on 31/12/2021 fill exactly the communes the 2021
    # review counts; those that appear later (or lapsed before) go to the others.
    real_2021 = {p.commune for r in real for p in r.products if p.stars_on(T2021)}
    others = [path for path in units.commune_paths if path not in real_2021]
    with_product = len(units.commune_paths) - COMMUNES_WITHOUT_PRODUCT_2021
    extra = sorted(rng.sample(others, with_product - len(real_2021)))
    in_2021 = sorted(real_2021 | set(extra))
    without = [path for path in others if path not in extra]
    valid_2021 = [p for p in established + lapsed_producers if p.active_on(T2021)]
    later = [p for p in group_2022 + group_2023 + lapsed_producers if not p.active_on(T2021)]
    order = list(range(len(valid_2021)))
    rng.shuffle(order)
    for rank, i in enumerate(order):
        valid_2021[i].commune = extra[rank] if rank < len(extra) else rng.choice(in_2021)
    for p, path in zip(later, rng.sample(without, len(later)), strict=True):
        p.commune = path

    # Names, people and dates, in a fixed order.
    illustrative = group_2018 + group_2020 + group_2021 + group_2022 + group_2023 + lapsed_producers
    per_area: Counter = Counter()
    number = 0
    for p in illustrative:
        district = units.names[units.district_of(p.commune)]
        short = "TP Bắc Kạn" if district == CITY else district.removeprefix("Huyện ")
        per_area[(p.kind, short)] += 1
        p.name = f"{KIND_PREFIX[p.kind]} minh họa {short} {per_area[(p.kind, short)]:02d}"
        woman = rng.random() < 0.4
        given = rng.choice(GIVEN_WOMEN if woman else GIVEN_MEN)
        p.legal_representative = f"{rng.choice(SURNAMES)} {given} (tên minh họa)"
        p.representative_title = KIND_TITLE[p.kind]
        p.women_led = woman
        p.ethnic_minority_led = rng.random() < 0.7
        first = min(c.issued_on for product in p.products for c in product.certificates)
        p.registration_date = d(first.year - rng.randint(1, 5), rng.randint(1, 10), rng.randint(1, 28))
        if p.kind == ProducerKind.COOPERATIVE:
            p.members_count = rng.randint(7, 40)
        elif p.kind == ProducerKind.COOPERATIVE_GROUP:
            p.members_count = rng.randint(3, 15)
        p.address = f"Thôn minh họa {rng.randint(1, 12)}"
        for product in p.products:
            number += 1
            label, category = rng.choice(PRODUCT_TYPES)
            product.name = f"Sản phẩm minh họa {number:03d} — {label}"
            product.category_code = category
            product.commune = p.commune

    # Re-evaluations after the published totals: most illustrative products whose certificate ended
    # since 01/12/2023 were re-evaluated in time and hold a new one from the next day (so the demo
    # has products in force today, some in their re-evaluation window); the others lapsed.
    for p in illustrative:
        for product in p.products:
            last = max(product.certificates, key=lambda x: x.issued_on)
            if last.ended_on is None and T2023_11 < last.valid_until < RENEWALS_UNTIL and rng.random() < 0.8:
                product.certificates.append(
                    cert(
                        last.stars,
                        last.valid_until + dt.timedelta(days=1),
                        "đánh giá lại minh họa khi hết 36 tháng",
                    )
                )
    return real + illustrative


# --- Writing -----------------------------------------------------------------------------------


@dataclass
class DemoReport:
    producers: int = 0
    products: int = 0
    certificates: int = 0
    linked: int = 0
    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return self.producers + self.products + self.certificates


def _actor():
    from ocop.accounts.models import User

    return User.objects.filter(username="admin", is_active=True).first()


def _audit_batch(actor, model, ids: list[int], message: str, action: str = "import", **counts) -> None:
    from ocop.audit import services as audit
    from ocop.audit.models import object_label
    from ocop.geo.models import AdminUnit

    if ids:
        audit.record(
            area=AdminUnit.objects.filter(path=PROVINCE_PATH).first(),
            actor=actor,
            action=action,
            object_type=object_label(model),
            object_repr=f"Dữ liệu mẫu: {model._meta.verbose_name_plural}",
            changes={"count": len(ids), **counts, "ids": sorted(ids)},
            message=message,
        )


def _demo_producers(plan: list[ProducerPlan]) -> dict[tuple[str, str], object]:
    """The demo producers in the database: {(commune path, name key): producer}."""
    from .models import Producer

    keys = {(p.commune, name_key(p.name)) for p in plan}
    found = Producer.objects.filter(
        commune__path__in={k[0] for k in keys}, name_key__in={k[1] for k in keys}
    ).select_related("commune")
    return {(p.commune.path, p.name_key): p for p in found if (p.commune.path, p.name_key) in keys}


def _demo_products(plan: list[ProducerPlan], producers: dict) -> dict[tuple[int, str], object]:
    """The demo products in the database: {(producer id, name key): product}."""
    from .models import Product

    keys = {
        (producers[(s.commune, name_key(s.name))].pk, name_key(x.name))
        for s in plan
        if (s.commune, name_key(s.name)) in producers
        for x in s.products
    }
    found = Product.objects.filter(producer__in=[p.pk for p in producers.values()])
    return {(p.producer_id, p.name_key): p for p in found if (p.producer_id, p.name_key) in keys}


def load_registry_demo(actor=None) -> DemoReport:
    """Create the demo producers, products and certificates that are missing (idempotent)."""
    from ocop.accounts.models import User
    from ocop.audit import services as audit
    from ocop.certification.models import Certificate, CertificateState, IssuingLevel
    from ocop.geo.models import AdminUnit

    from .models import Producer, ProducerStatusChange, Product, ProductCategory

    plan = build_plan(Units.load())
    report = DemoReport()
    message = f"ocop demo load: dữ liệu mẫu Bắc Kạn (seed {SEED})"
    with transaction.atomic():
        actor = actor or _actor()
        communes = AdminUnit.objects.in_bulk({p.commune for p in plan}, field_name="path")
        categories = {c.code: c for c in ProductCategory.objects.filter(scheme__code=SCHEME, level=3)}

        # Producers, each with its first status like the services write.
        producers = _demo_producers(plan)
        missing = [
            (s.commune, name_key(s.name)) for s in plan if (s.commune, name_key(s.name)) not in producers
        ]
        new_producers = [
            Producer(
                kind=s.kind,
                name=s.name,
                commune=communes[s.commune],
                is_illustrative=s.illustrative,
                notes=s.notes,
                legal_representative=s.legal_representative,
                representative_title=s.representative_title,
                address=s.address,
                registration_date=s.registration_date,
                founded_year=s.registration_date.year if s.registration_date else None,
                members_count=s.members_count,
                women_led=s.women_led,
                ethnic_minority_led=s.ethnic_minority_led,
                name_key=name_key(s.name),
                search_folded=search_text(s.name, s.legal_representative, communes[s.commune].name),
            )
            for s in plan
            if (s.commune, name_key(s.name)) not in producers
        ]
        Producer.objects.bulk_create(new_producers)
        producers = _demo_producers(plan)
        specs = {(s.commune, name_key(s.name)): s for s in plan}
        created = [producers[key] for key in missing]
        ProducerStatusChange.objects.bulk_create(
            [
                ProducerStatusChange(
                    producer=p,
                    status=p.status,
                    reason="Đăng ký (dữ liệu mẫu)",
                    effective_date=p.registration_date
                    or min(
                        c.issued_on
                        for x in specs[(p.commune.path, p.name_key)].products
                        for c in x.certificates
                    ),
                )
                for p in created
            ]
        )
        report.producers = len(created)
        _audit_batch(
            actor,
            Producer,
            [p.pk for p in created],
            message,
            real=sum(not p.is_illustrative for p in created),
            illustrative=sum(p.is_illustrative for p in created),
        )

        # Products
        products = _demo_products(plan, producers)
        new_products = []
        for s in plan:
            producer = producers[(s.commune, name_key(s.name))]
            for item in s.products:
                if (producer.pk, name_key(item.name)) in products:
                    continue
                commune, category = communes[item.commune], categories[item.category_code]
                new_products.append(
                    Product(
                        name=item.name,
                        producer=producer,
                        category=category,
                        commune=commune,
                        description=item.description,
                        is_illustrative=item.illustrative,
                        name_key=name_key(item.name),
                        search_folded=search_text(item.name, producer.name, commune.name, category.name),
                    )
                )
        Product.objects.bulk_create(new_products)
        products = _demo_products(plan, producers)
        report.products = len(new_products)
        _audit_batch(
            actor,
            Product,
            [products[(p.producer_id, p.name_key)].pk for p in new_products],
            message,
            real=sum(not p.is_illustrative for p in new_products),
            illustrative=sum(p.is_illustrative for p in new_products),
        )

        # Certificates
        existing = set(
            Certificate.objects.filter(product__in=[p.pk for p in products.values()]).values_list(
                "product_id", "issued_on", "stars"
            )
        )
        new_certs = []
        for s in plan:
            producer = producers[(s.commune, name_key(s.name))]
            for item in s.products:
                product = products[(producer.pk, name_key(item.name))]
                for c in item.certificates:
                    if (product.pk, c.issued_on, c.stars) in existing:
                        continue
                    new_certs.append(
                        Certificate(
                            product=product,
                            stars=c.stars,
                            score=c.score,
                            decision_number=c.decision_number,
                            decision_date=c.decision_date,
                            issuing_level=IssuingLevel.MINISTRY if c.ministry else IssuingLevel.PROVINCE,
                            authority=MINISTRY_AUTHORITY if c.ministry else PROVINCE_AUTHORITY,
                            issued_on=c.issued_on,
                            valid_until=c.valid_until,
                            state=CertificateState.SUPERSEDED if c.ended_on else CertificateState.VALID,
                            ended_on=c.ended_on,
                            rule_version=rule_for(c.issued_on),
                            note=c.note[:500],
                            is_illustrative=c.illustrative,
                        )
                    )
        Certificate.objects.bulk_create(new_certs)
        report.certificates = len(new_certs)
        if new_certs:
            wanted = {(c.product_id, c.issued_on, c.stars) for c in new_certs}
            rows = Certificate.objects.filter(product__in=[p.pk for p in products.values()]).values_list(
                "pk", "product_id", "issued_on", "stars"
            )
            _audit_batch(
                actor,
                Certificate,
                [pk for pk, *key in rows if tuple(key) in wanted],
                message,
                real=sum(not c.is_illustrative for c in new_certs),
                illustrative=sum(c.is_illustrative for c in new_certs),
            )

        # The demo producer account sees its cooperative (as `services.link_account` records it).
        username, producer_name = PRODUCER_ACCOUNT
        user = User.objects.filter(username=username).first()
        tai_hoan = next(
            (producers[(s.commune, name_key(s.name))] for s in plan if s.name == producer_name), None
        )
        if user and tai_hoan and not tai_hoan.accounts.filter(pk=user.pk).exists():
            tai_hoan.accounts.add(user)
            audit.record(
                actor=actor,
                action="grant",
                obj=tai_hoan,
                changes={"account": [None, user.username]},
                area=tai_hoan.commune,
                message=message,
            )
            report.linked = 1
    return report


def demo_product_ids() -> list[int]:
    """The ids of the products the demo created (real and illustrative rows of the plan)."""
    plan = build_plan(Units.load())
    return [p.pk for p in _demo_products(plan, _demo_producers(plan)).values()]


def reset_registry_demo(actor=None) -> DemoReport:
    """Delete what the demo created — its products with everything attached to them, and its
    producers unless someone gave them other products — then load it again, in one transaction."""
    from ocop.certification.models import Certificate

    from .models import Producer, Product

    plan = build_plan(Units.load())
    message = f"ocop demo reset: dữ liệu mẫu Bắc Kạn (seed {SEED})"
    with transaction.atomic():
        actor = actor or _actor()
        producers = _demo_producers(plan)
        products = [p.pk for p in _demo_products(plan, producers).values()]
        certificates = list(Certificate.objects.filter(product__in=products).values_list("pk", flat=True))
        Certificate.objects.filter(pk__in=certificates).delete()
        Product.objects.filter(pk__in=products).delete()
        emptied = [p.pk for p in producers.values() if not Product.objects.filter(producer=p).exists()]
        Producer.objects.filter(pk__in=emptied).delete()
        _audit_batch(actor, Certificate, certificates, message, action="delete")
        _audit_batch(actor, Product, products, message, action="delete")
        _audit_batch(actor, Producer, emptied, message, action="delete")
        report = load_registry_demo(actor)
        report.deleted = {
            "producers": len(emptied),
            "products": len(products),
            "certificates": len(certificates),
        }
    return report
