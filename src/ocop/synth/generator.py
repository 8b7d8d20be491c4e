"""The synthetic dataset generator behind `ocop synth` (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from ocop.core.dates import add_months
from ocop.core.text import search_text

TODAY = dt.date(2026, 12, 1)
FIRST_YEAR = 2019
RULE_148_FROM = dt.date(2023, 2, 24)
RULE_26_FROM = dt.date(2026, 5, 22)
PREFIX = "TH "  # tổng hợp: every synthetic producer and product name starts with it
USER_PREFIX = "synth."
BATCH = 5000
# Council sessions under 26/2026 in each province (decisions three weeks later).
SESSION_DATES = (dt.date(2026, 6, 10), dt.date(2026, 8, 12), dt.date(2026, 10, 14))
DECISION_DELAY = dt.timedelta(days=21)
PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Scale:
    name: str
    provinces: int | None  # None: every current province; otherwise the home province first
    producers: int
    scoring_members: int = 9
    cycle_years: int = 8


SCALES = {
    "test": Scale("test", provinces=2, producers=60, scoring_members=5, cycle_years=2),
    "province": Scale("province", provinces=1, producers=600),
    "national": Scale("national", provinces=None, producers=20_000),
}


@dataclass
class Counts:
    provinces: int = 0
    producers: int = 0
    products: int = 0
    certificates: int = 0
    councils: int = 0
    sessions: int = 0
    evaluations: int = 0
    scorecards: int = 0
    answers: int = 0
    results: int = 0
    cycles: int = 0
    reused: bool = False
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)


# Generators of other apps: modules with NAME, generate(ctx: Context) -> dict and reset() -> dict.
# Each runs once per dataset (recorded as `synth:<scale>:<seed>:<NAME>`), also over a dataset
# written before it existed.
EXTRA_MODULES = ("ocop.planning.synth", "ocop.activities.synth")


def extra_generators() -> list:
    import importlib

    return [importlib.import_module(name) for name in EXTRA_MODULES]


@dataclass
class Context:
    """What the extra generators get: the run's seed, the provinces and what was written."""

    seed: int
    scale: Scale
    actor: object
    provinces: list
    products_by_province: dict = field(default_factory=dict)  # province id -> [product ids]
    producers_by_province: dict = field(default_factory=dict)


def dataset_name(scale: str, seed: int) -> str:
    return f"synth:{scale}:{seed}"


def generate(scale: str = "province", seed: int = 1, progress: Callable[[str], None] | None = None) -> Counts:
    """Write the synthetic dataset of `scale` (reused if the same scale and seed already ran)."""
    import time

    from ocop.core.models import ReferenceDataset

    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    spec = SCALES[scale]
    name = dataset_name(scale, seed)
    say = progress or (lambda _msg: None)
    done = ReferenceDataset.objects.filter(name=name).first()
    if done is not None:
        stats = {k: v for k, v in done.stats.items() if k in Counts.__dataclass_fields__}
        counts = Counts(**{**stats, "reused": True})
        counts.extra = dict(counts.extra or {})
        missing = [m for m in extra_generators() if not _extra_done(name, m)]
        if missing:
            ctx = _context_of_written(seed, spec)
            for module in missing:
                counts.extra.update(_run_extra(name, module, ctx, say))
        else:
            for module in extra_generators():
                counts.extra.update(_extra_done(name, module).stats)
        return counts
    started = time.monotonic()
    _check_reference_data()
    actor = _synth_actor()
    provinces = _provinces(spec)
    counts = Counts(provinces=len(provinces))
    weights = _commune_counts(provinces)
    total_communes = sum(weights.values()) or 1
    ctx = Context(seed=seed, scale=spec, actor=actor, provinces=provinces)
    for province in provinces:
        share = round(spec.producers * weights[province.pk] / total_communes)
        if spec.provinces is not None and spec.provinces <= 2:
            share = spec.producers // len(provinces)
        rng = random.Random(f"{seed}:{province.code}")
        with transaction.atomic():
            _province(rng, province, max(share, 1), spec, actor, counts, ctx)
        say(
            f"{province.name}: {counts.producers} producers, {counts.products} products, "
            f"{counts.certificates} certificates, {counts.scorecards} scorecards so far"
        )
    with transaction.atomic():
        counts.cycles = _cycles(actor, provinces, spec)
    for module in extra_generators():
        counts.extra.update(_run_extra(name, module, ctx, say))
    counts.seconds = round(time.monotonic() - started, 1)
    ReferenceDataset.objects.update_or_create(
        name=name,
        defaults={
            "source": "ocop.synth",
            "checksum": hashlib.sha256(name.encode()).hexdigest(),
            "stats": asdict(counts),
        },
    )
    return counts


def _extra_done(name: str, module):
    from ocop.core.models import ReferenceDataset

    return ReferenceDataset.objects.filter(name=f"{name}:{module.NAME}").first()


def _run_extra(name: str, module, ctx: Context, say) -> dict:
    import time

    from ocop.core.models import ReferenceDataset

    started = time.monotonic()
    with transaction.atomic():
        stats = module.generate(ctx) or {}
        ReferenceDataset.objects.update_or_create(
            name=f"{name}:{module.NAME}",
            defaults={
                "source": module.__name__,
                "checksum": hashlib.sha256(f"{name}:{module.NAME}".encode()).hexdigest(),
                "stats": stats,
            },
        )
    say(f"{module.NAME}: {stats} in {time.monotonic() - started:.1f} s")
    return stats


def _context_of_written(seed: int, spec: Scale) -> Context:
    """The context of a dataset written earlier: its provinces and their synthetic records."""
    from ocop.registry.models import Producer, Product

    provinces = _provinces(spec)
    ctx = Context(seed=seed, scale=spec, actor=_synth_actor(), provinces=provinces)
    by_path = {p.path: p.pk for p in provinces}

    def province_of(path: str, current: str) -> int | None:
        parts = (current or path).strip("/").split("/")
        return by_path.get("/".join(parts[:2]) + "/")

    for model, target in ((Producer, ctx.producers_by_province), (Product, ctx.products_by_province)):
        rows = (
            model.objects.filter(is_illustrative=True, name__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", "commune__path", "commune__current_path")
        )
        for pk, path, current in rows:
            province = province_of(path, current)
            if province is not None:
                target.setdefault(province, []).append(pk)
    return ctx


def reset() -> dict[str, int]:
    """Delete every synthetic record (and the markers of the runs)."""
    from ocop.accounts.models import User
    from ocop.certification.models import Certificate
    from ocop.core.models import ReferenceDataset
    from ocop.evaluation.models import (
        Answer,
        Attendance,
        Council,
        CouncilMember,
        EvaluationResult,
        EvaluationSession,
        Scorecard,
        SessionProduct,
    )
    from ocop.programme.models import ProgrammeCycle
    from ocop.registry.models import Producer, Product

    deleted: dict[str, int] = {}
    with transaction.atomic():
        councils = Council.objects.filter(is_illustrative=True, name__endswith="(tổng hợp)")
        entries = SessionProduct.objects.filter(session__council__in=councils)
        products = Product.objects.filter(is_illustrative=True, name__startswith=PREFIX)
        Certificate.objects.filter(product__in=products).update(superseded_by=None)
        deleted["certificates"] = Certificate.objects.filter(product__in=products).delete()[0]
        deleted["answers"] = Answer.objects.filter(scorecard__entry__in=entries).delete()[0]
        deleted["scorecards"] = Scorecard.objects.filter(entry__in=entries).delete()[0]
        deleted["results"] = EvaluationResult.objects.filter(entry__in=entries).delete()[0]
        deleted["evaluations"] = entries.delete()[0]
        Attendance.objects.filter(session__council__in=councils).delete()
        deleted["sessions"] = EvaluationSession.objects.filter(council__in=councils).delete()[0]
        CouncilMember.objects.filter(council__in=councils).delete()
        deleted["councils"] = councils.delete()[0]
        for module in extra_generators():
            deleted.update(module.reset())
        deleted["cycles"] = ProgrammeCycle.objects.filter(name__endswith="(tổng hợp)").delete()[0]
        deleted["products"] = products.delete()[0]
        deleted["producers"] = Producer.objects.filter(
            is_illustrative=True, name__startswith=PREFIX
        ).delete()[0]
        deleted["users"] = User.objects.filter(username__startswith=USER_PREFIX).delete()[0]
        ReferenceDataset.objects.filter(name__startswith="synth:").delete()
    return deleted


# --- places, actor ---------------------------------------------------------------------------------


def _check_reference_data() -> None:
    from ocop.evaluation.models import RuleVersion
    from ocop.geo.models import AdminUnit

    if not AdminUnit.objects.exists():
        raise RuntimeError("Load the administrative units first: ocop load-units")
    if not RuleVersion.objects.filter(code="26-2026").exists():
        raise RuntimeError("Load the criteria first: ocop load-criteria")


def _synth_actor():
    from ocop.accounts.models import User

    user, created = User.objects.get_or_create(
        username=f"{USER_PREFIX}system",
        defaults={
            "full_name": "Bộ sinh dữ liệu tổng hợp",
            "email": "synth@example.invalid",
            "is_superuser": True,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _provinces(spec: Scale) -> list:
    from ocop.geo.choices import Edition, Level
    from ocop.geo.models import AdminUnit
    from ocop.geo.selectors import home_area

    provinces = list(AdminUnit.objects.filter(edition=Edition.Y2025, level=Level.PROVINCE).order_by("code"))
    home = home_area()
    if home is not None and home in provinces:
        provinces.remove(home)
        provinces.insert(0, home)
    return provinces if spec.provinces is None else provinces[: spec.provinces]


def _commune_counts(provinces) -> dict[int, int]:
    from ocop.geo.choices import Edition, Level
    from ocop.geo.models import AdminUnit

    counts = {}
    for p in provinces:
        counts[p.pk] = AdminUnit.objects.filter(
            edition=Edition.Y2025, level=Level.COMMUNE, path__startswith=p.path
        ).count()
    return counts


# --- one province -----------------------------------------------------------------------------------


def _province(
    rng: random.Random, province, n_producers: int, spec: Scale, actor, counts: Counts, ctx
) -> None:
    from ocop.certification.models import Certificate, CertificateState, IssuingLevel, RevocationGround
    from ocop.geo.choices import Edition, Level
    from ocop.geo.models import AdminUnit
    from ocop.registry.choices import ProducerKind
    from ocop.registry.models import Producer, Product, ProductCodeSequence
    from ocop.registry.validators import name_key

    current = list(
        AdminUnit.objects.filter(
            edition=Edition.Y2025, level=Level.COMMUNE, path__startswith=province.path
        ).order_by("path")
    )
    legacy = list(
        AdminUnit.objects.filter(
            edition=Edition.LEGACY, level=Level.COMMUNE, current_path__startswith=province.path
        ).order_by("path")
    )
    if not current:
        return
    legacy = legacy or current
    sheets = _sheets()
    sets = sorted(sheets)
    kinds = [
        (ProducerKind.COOPERATIVE, "HTX", 45),
        (ProducerKind.HOUSEHOLD, "Hộ", 30),
        (ProducerKind.ENTERPRISE, "Cty", 20),
        (ProducerKind.COOPERATIVE_GROUP, "THT", 5),
    ]

    # Producers
    producers = []
    for i in range(n_producers):
        kind, label, _w = rng.choices(kinds, weights=[k[2] for k in kinds])[0]
        registered = dt.date(2012, 1, 1) + dt.timedelta(
            days=rng.randrange((dt.date(2026, 10, 31) - dt.date(2012, 1, 1)).days)
        )
        commune = rng.choice(current if registered >= dt.date(2025, 7, 1) else legacy)
        name = f"{PREFIX}{label} {province.code}-{i + 1:05d}"
        producers.append(
            Producer(
                kind=kind,
                name=name,
                commune=commune,
                registration_date=registered,
                founded_year=registered.year,
                is_illustrative=True,
                legal_representative=f"Người đại diện {province.code}-{i + 1:05d} (tên minh họa)",
                address=commune.name,
                notes="Dữ liệu tổng hợp (ocop synth)",
                name_key=name_key(name),
                search_folded=search_text(name, commune.name),
            )
        )
    Producer.objects.bulk_create(producers, batch_size=BATCH)
    counts.producers += len(producers)
    ctx.producers_by_province[province.pk] = [p.pk for p in producers]

    # Products and their certificate histories (planned in memory first)
    products, plans = [], []
    for producer in producers:
        for j in range(rng.choices((1, 2, 3), weights=(35, 35, 30))[0]):
            set_id = rng.choice(sets)
            name = f"{PREFIX}sản phẩm {producer.name[len(PREFIX) :].split(' ', 1)[1]}-{j + 1}"
            products.append(
                Product(
                    name=name,
                    producer=producer,
                    category_id=set_id,
                    commune=producer.commune,
                    description="Sản phẩm tổng hợp cho thử tải (ocop synth).",
                    is_illustrative=True,
                    traceability_system="Hệ thống truy xuất tỉnh" if rng.random() < 0.4 else "",
                    name_key=name_key(name),
                    search_folded=search_text(name, producer.name, producer.commune.name),
                )
            )
            plans.append(_history(rng, producer.registration_date))
    # Codes continue each commune's running number (ProductCodeSequence), never reusing one.
    commune_ids = {p.commune_id for p in products}
    seq = dict(
        ProductCodeSequence.objects.filter(commune_id__in=commune_ids).values_list("commune_id", "last")
    )
    taken = set(
        Product.objects.filter(commune_id__in=commune_ids).exclude(code=None).values_list("code", flat=True)
    )
    for product, history in zip(products, plans, strict=True):
        if history:
            year = history[0]["date"].year
            while True:
                seq[product.commune_id] = seq.get(product.commune_id, 0) + 1
                number = seq[product.commune_id]
                product.code = f"{province.code}-{product.commune.code}-{number:03d}-{year}"
                if product.code not in taken:  # a current and a former commune may share a code
                    taken.add(product.code)
                    break
            if product.traceability_system:
                product.traceability_since = history[0]["date"]
    existing = set(
        ProductCodeSequence.objects.filter(commune_id__in=seq).values_list("commune_id", flat=True)
    )
    ProductCodeSequence.objects.bulk_create(
        [ProductCodeSequence(commune_id=c, last=n) for c, n in seq.items() if c not in existing]
    )
    ProductCodeSequence.objects.bulk_update(
        [
            ProductCodeSequence(pk=pk, commune_id=c, last=seq[c])
            for pk, c in ProductCodeSequence.objects.filter(commune_id__in=existing).values_list(
                "pk", "commune_id"
            )
        ],
        ["last"],
    )
    Product.objects.bulk_create(products, batch_size=BATCH)
    counts.products += len(products)
    ctx.products_by_province[province.pk] = [p.pk for p in products]

    # Evaluations under 26/2026 (the events of the last months), then every certificate
    evaluated = _evaluations(rng, province, products, plans, sheets, spec, actor, counts)
    certificates, links = [], []
    for product, history in zip(products, plans, strict=True):
        chain = []
        for k, event in enumerate(history):
            result = evaluated.get((product.pk, k))
            stars = event["stars"]
            if result is not None:
                if not result.certifiable:
                    continue  # not certified at this session: the earlier certificate runs on
                stars = result.stars
            issued = event["date"]
            cert = Certificate(
                product=product,
                stars=stars,
                score=result.average if result is not None else None,
                decision_number=f"TH-{province.code}/{issued.year}/{rng.randrange(1, 9999):04d}",
                decision_date=issued,
                issuing_level=IssuingLevel.MINISTRY if stars == 5 else IssuingLevel.PROVINCE,
                authority="Bộ Nông nghiệp và Môi trường" if stars == 5 else f"UBND {province.name}",
                issued_on=issued,
                valid_until=add_months(issued, 36) - dt.timedelta(days=1),
                rule_version=_rule_label(issued),
                note="Dữ liệu tổng hợp",
                is_illustrative=True,
                public_id="".join(rng.choice(PUBLIC_ID_ALPHABET) for _ in range(12)),
                result=result,
            )
            if chain:
                prev = chain[-1]
                if prev.state == CertificateState.VALID and issued <= prev.valid_until:
                    prev.state = CertificateState.SUPERSEDED
                    prev.ended_on = issued
                    links.append((prev, cert))
            if event.get("revoked_on") and event["revoked_on"] <= TODAY:
                cert.state = CertificateState.REVOKED
                cert.ended_on = event["revoked_on"]
                cert.revocation_ground = rng.choice(list(RevocationGround.values))
            chain.append(cert)
        certificates.extend(chain)
    Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    for prev, new in links:
        prev.superseded_by_id = new.pk
    Certificate.objects.bulk_update([p for p, _n in links], ["superseded_by"], batch_size=BATCH)
    counts.certificates += len(certificates)
    audit_province(
        actor,
        province,
        {"producers": len(producers), "products": len(products), "certificates": len(certificates)},
    )


def _history(rng: random.Random, registered: dt.date | None) -> list[dict]:
    """A product's certificate events: first recognition, then renewals and upgrades until today."""
    start_year = max((registered or dt.date(FIRST_YEAR, 1, 1)).year, FIRST_YEAR) + rng.randrange(0, 3)
    if start_year > TODAY.year or rng.random() > 0.85:
        return []
    day = dt.date(start_year, rng.choice((6, 11, 12)), rng.randrange(1, 28))
    stars = rng.choices((3, 4, 5), weights=(72, 25, 3))[0]
    events = []
    while day <= TODAY:
        event = {"date": day, "stars": stars}
        if rng.random() < 0.01:
            event["revoked_on"] = day + dt.timedelta(days=rng.randrange(60, 900))
        events.append(event)
        if "revoked_on" in event:
            break
        end = add_months(day, 36) - dt.timedelta(days=1)
        roll = rng.random()
        if roll < 0.12 and stars < 5:
            day, stars = add_months(day, rng.randrange(12, 30)), stars + 1
        elif roll < 0.75:
            day = end - dt.timedelta(days=rng.randrange(0, 90))
        else:
            break  # lapses
    # Events after the 26/2026 rules took effect happen at a council session.
    for event in events:
        if event["date"] >= RULE_26_FROM:
            later = [s + DECISION_DELAY for s in SESSION_DATES if s + DECISION_DELAY >= event["date"]]
            event["date"] = later[0] if later and later[0] <= TODAY else None
    return [e for e in events if e["date"] is not None]


def _rule_label(day: dt.date) -> str:
    if day >= RULE_26_FROM:
        return "26/2026/QĐ-TTg"
    return "148/QĐ-TTg" if day >= RULE_148_FROM else "1048/QĐ-TTg"


def _sheets() -> dict[int, dict]:
    """The current 26/2026 sheet of each product set: its leaves and their options by points."""
    from ocop.evaluation.models import Criterion, CriterionOption, ScoreSheet

    sheets = {}
    for sheet in ScoreSheet.objects.filter(rule_version__code="26-2026", superseded_by__isnull=True).order_by(
        "product_set_id", "-version"
    ):
        if sheet.product_set_id in sheets:
            continue
        sheets[sheet.product_set_id] = {"sheet": sheet, "leaves": []}
    by_sheet = {v["sheet"].pk: v for v in sheets.values()}
    options = defaultdict(list)
    for o in CriterionOption.objects.filter(criterion__sheet__in=list(by_sheet)).order_by(
        "points", "sort_order"
    ):
        options[o.criterion_id].append((o.pk, o.points))
    for c in (
        Criterion.objects.filter(sheet__in=list(by_sheet), is_scorable=True)
        .select_related("part")
        .order_by("sheet_id", "sort_order", "pk")
    ):
        if options[c.pk]:
            by_sheet[c.sheet_id]["leaves"].append((c.pk, c.part.code, options[c.pk]))
    return sheets


# --- evaluations under 26/2026 ----------------------------------------------------------------------


def _evaluations(rng, province, products, plans, sheets, spec: Scale, actor, counts: Counts) -> dict:
    """Councils, sessions, scorecards with every answer, and results for the events since 22/05/2026."""
    from ocop.accounts.models import User
    from ocop.evaluation.choices import (
        CouncilLevel,
        EntryState,
        EvaluationKind,
        MemberRole,
        Organisation,
        ResultState,
        ScorecardState,
        SessionMode,
        SessionState,
    )
    from ocop.evaluation.models import (
        Council,
        CouncilMember,
        EvaluationResult,
        EvaluationSession,
        RuleVersion,
        Scorecard,
        SessionProduct,
    )
    from ocop.evaluation.scoring import average, round2, stars_for

    wanted = [
        (product, k, event, history[k - 1]["stars"] if k else None)
        for product, history in zip(products, plans, strict=True)
        for k, event in enumerate(history)
        if event["date"] >= RULE_26_FROM
    ]
    # Products the council scored but did not certify (no certificate event): a few per session.
    failed = [p for p, h in zip(products, plans, strict=True) if not h and rng.random() < 0.5]
    if not wanted and not failed:
        return {}
    rule = RuleVersion.objects.get(code="26-2026")
    council = Council.objects.create(
        name=f"Hội đồng đánh giá, phân hạng sản phẩm OCOP {province.name} (tổng hợp)",
        level=CouncilLevel.PROVINCE,
        area=province,
        decision_number=f"TH-{province.code}/QĐ-UBND",
        decision_date=dt.date(2026, 5, 25),
        decided_by=f"UBND {province.name}",
        active_from=dt.date(2026, 5, 25),
        is_illustrative=True,
    )
    counts.councils += 1
    roles = [MemberRole.CHAIR, MemberRole.VICE_CHAIR] + [MemberRole.MEMBER] * (spec.scoring_members - 2)
    orgs = list(Organisation.values)
    names = [f"{USER_PREFIX}{province.code}.{n + 1}" for n in range(len(roles) + 1)]
    have = {u.username: u for u in User.objects.filter(username__in=names)}
    User.objects.bulk_create(
        [
            User(
                username=name,
                full_name=f"Thành viên hội đồng {name[len(USER_PREFIX) :]} (tên minh họa)",
                email=f"{name}@example.invalid",
                password="!",
            )
            for name in names
            if name not in have
        ]
    )
    by_name = {u.username: u for u in User.objects.filter(username__in=names)}
    users = [by_name[name] for name in names]
    members = CouncilMember.objects.bulk_create(
        [
            CouncilMember(
                council=council,
                user=user,
                full_name=user.full_name,
                role=role,
                organisation=orgs[n % len(orgs)],
                scores=role != MemberRole.SECRETARY,
                sort_order=n,
            )
            for n, (user, role) in enumerate(zip(users, [*roles, MemberRole.SECRETARY], strict=True))
        ]
    )
    scoring = [m for m in members if m.scores]
    sessions = {}
    for n, day in enumerate(SESSION_DATES):
        if day > TODAY:
            continue
        sessions[day] = EvaluationSession(
            council=council,
            name=f"Phiên đánh giá {n + 1}/2026 — {province.name} (tổng hợp)",
            round_label=f"Đợt {n + 1} năm 2026",
            date=day,
            mode=SessionMode.MEETING,
            rule_version=rule,
            state=SessionState.CLOSED,
            is_illustrative=True,
        )
    EvaluationSession.objects.bulk_create(list(sessions.values()))
    counts.sessions += len(sessions)

    entries, targets = [], []
    numbers: dict[dt.date, int] = defaultdict(int)
    for product, k, event, before in wanted:
        day = event["date"] - DECISION_DELAY
        if day not in sessions or product.category_id not in sheets:
            continue
        numbers[day] += 1
        if before is None:
            kind = EvaluationKind.FIRST
        else:
            kind = EvaluationKind.UPGRADE if event["stars"] > before else EvaluationKind.REEVALUATION
        entries.append(
            SessionProduct(
                session=sessions[day],
                product=product,
                kind=kind,
                sheet=sheets[product.category_id]["sheet"],
                number=numbers[day],
                state=EntryState.CLOSED,
            )
        )
        targets.append(((product.pk, k), event["stars"]))
    session_days = sorted(sessions)
    for product in failed:
        if product.category_id not in sheets or not session_days:
            continue
        day = rng.choice(session_days)
        numbers[day] += 1
        entries.append(
            SessionProduct(
                session=sessions[day],
                product=product,
                kind=EvaluationKind.FIRST,
                sheet=sheets[product.category_id]["sheet"],
                number=numbers[day],
                state=EntryState.CLOSED,
            )
        )
        targets.append((None, 2))
    SessionProduct.objects.bulk_create(entries, batch_size=BATCH)
    counts.evaluations += len(entries)

    cards, answers_by_card, results = [], [], []
    for entry, (_key, stars) in zip(entries, targets, strict=True):
        leaves = sheets[entry.product.category_id]["leaves"]
        # Aim at the middle of the star's band (2★: 30–49, 3★: 50–69, 4★: 70–89, 5★: 90–100).
        aim = {2: 0.33, 3: 0.60, 4: 0.80, 5: 0.95}[stars] + rng.uniform(-0.05, 0.05)
        totals = []
        for member in scoring:
            picks, total, parts = [], Decimal(0), defaultdict(Decimal)
            for criterion_id, part, options in leaves:
                # The option nearest to the aimed share of the criterion's maximum, with noise.
                best = float(options[-1][1])
                want = aim * best + rng.gauss(0, 0.15 * best)
                option_id, points = min(options, key=lambda o: abs(float(o[1]) - want))
                picks.append((criterion_id, option_id))
                total += points
                parts[part] += points
            totals.append(total)
            cards.append(
                Scorecard(
                    entry=entry,
                    member=member,
                    sheet=entry.sheet,
                    state=ScorecardState.SUBMITTED,
                    total=total,
                    part_totals={k: str(v) for k, v in sorted(parts.items())},
                    answered=len(picks),
                )
            )
            answers_by_card.append(picks)
        mean = average(totals)
        band = stars_for(rule.star_bands, mean)
        certifiable = band in rule.certified_stars and band < 5
        results.append(
            EvaluationResult(
                entry=entry,
                product=entry.product,
                rule_version=rule,
                sheet=entry.sheet,
                average=mean,
                member_totals=[str(t) for t in totals],
                spread=round2(max(totals) - min(totals)),
                band_stars=band,
                stars=band if band in rule.certified_stars else None,
                certifiable=certifiable,
                central_candidate=band == 5,
                recognising_level="province" if certifiable else "",
                state=ResultState.APPROVED if certifiable else ResultState.PROPOSED,
                decision_date=entry.session.date + DECISION_DELAY if certifiable else None,
            )
        )
    Scorecard.objects.bulk_create(cards, batch_size=BATCH)
    counts.scorecards += len(cards)
    counts.answers += _write_answers(cards, answers_by_card)
    EvaluationResult.objects.bulk_create(results, batch_size=BATCH)
    counts.results += len(results)
    audit_province(
        actor, province, {"evaluations": len(entries), "scorecards": len(cards), "results": len(results)}
    )
    return {key: result for (key, _s), result in zip(targets, results, strict=True) if key is not None}


def _write_answers(cards, answers_by_card) -> int:
    from ocop.evaluation.models import Answer

    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    if connection.vendor == "postgresql":
        n = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(
                "COPY evaluation_answer"
                " (scorecard_id, criterion_id, option_id, comment, evidence_url, updated_at) FROM STDIN"
            ) as copy:
                for card, picks in zip(cards, answers_by_card, strict=True):
                    for criterion_id, option_id in picks:
                        copy.write_row((card.pk, criterion_id, option_id, "", "", now))
                        n += 1
        return n
    rows = [
        Answer(scorecard_id=card.pk, criterion_id=c, option_id=o, updated_at=now)
        for card, picks in zip(cards, answers_by_card, strict=True)
        for c, o in picks
    ]
    Answer.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# --- cycles, audit ----------------------------------------------------------------------------------


def _cycles(actor, provinces, spec: Scale) -> int:
    from ocop.programme import services as programme
    from ocop.programme.models import ProgrammeCycle

    n = 0
    for province in provinces:
        have = set(ProgrammeCycle.objects.filter(area=province).values_list("year", flat=True))
        for year in range(TODAY.year - spec.cycle_years + 1, TODAY.year + 1):
            if year in have:
                continue
            programme.create_cycle(
                actor,
                {
                    "year": year,
                    "area": province,
                    "name": f"Chu trình OCOP năm {year} — {province.name} (tổng hợp)",
                },
            )
            n += 1
    return n


def audit_province(actor, province, changes: dict, label: str = "Dữ liệu tổng hợp", source: str = "") -> None:
    """The one audit event of a bulk write of synthetic records of `province` (the apps'
    generators too: `source` names theirs)."""
    from ocop.audit import services as audit

    audit.record(
        actor=actor,
        action="import",
        object_type="synth",
        object_repr=f"{label}: {province.name}",
        changes=changes,
        message=f"ocop synth ({source})" if source else "ocop synth",
        area=province,
    )
