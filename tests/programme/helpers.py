"""Building the programme's records for the tests, through the services."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ocop.certification.models import Certificate
from ocop.evaluation.scoring import SheetTree
from ocop.geo.models import AdminUnit
from ocop.programme import services
from ocop.programme.models import Dossier
from ocop.registry import services as registry
from ocop.registry.models import ProductCategory
from tests.conftest import NA_RI

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# What a producer writes in every dossier (Mẫu 01/02), in Vietnamese.
CONTENT = {
    "representative_title": "Giám đốc",
    "samples_declared": 5,
    "representative_gender": "female",
    "representative_ethnicity": "Tày",
    "representative_address": "Thôn Nà Hoan, xã Na Rì",
    "product_description": "Miến dong sợi nhỏ, đóng gói 500 g; TCCS 01:2024/HTX",
    "has_business_registration": True,
    "history": "Thành lập năm 2015 từ tổ hợp tác làm miến truyền thống.",
    "organisation": "Giám đốc, kế toán, 3 tổ sản xuất.",
    "raw_materials": "Củ dong riềng trồng tại xã Na Rì, 20 ha.",
    "technology": "Dây chuyền tráng, phơi sấy bán tự động.",
    "packaging": "Túi PE 500 g có nhãn và mã QR.",
    "markets": "Siêu thị tại Thái Nguyên, Hà Nội; sàn Shopee.",
    "output": "40 tấn/năm",
    "revenue": "2,1 tỷ đồng năm 2025",
    "plan_ahead": "Mở rộng vùng nguyên liệu lên 30 ha.",
}


def pdf(name: str = "giay-to.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def category(code: str = "7") -> ProductCategory:
    return ProductCategory.objects.get(scheme__code="26-2026", level=3, code=code)


def make_product(
    office, name: str = "Miến dong Tài Hoan", commune: str = NA_RI, set_code: str = "7", **producer_fields
):
    area = AdminUnit.objects.get(path=commune)
    producer = registry.create_producer(
        office,
        {
            "kind": "cooperative",
            "name": f"HTX {name}",
            "commune": area,
            "legal_representative": producer_fields.pop("legal_representative", "Triệu Thị Hoan"),
            "address": "Thôn Nà Hoan",
            "phone": "0912345678",
            "registration_number": "4700256572",
            **producer_fields,
        },
    )
    return registry.create_product(
        office, {"name": name, "producer": producer, "category": category(set_code), "commune": area}
    )


def certify(product, stars: int, issued: dt.date, valid_until: dt.date | None = None, **extra) -> Certificate:
    return Certificate.objects.create(
        product=product,
        stars=stars,
        issuing_level="province",
        issued_on=issued,
        valid_until=valid_until or issued + dt.timedelta(days=3 * 365),
        **extra,
    )


def answer_all(actor, dossier: Dossier, choose=max):
    """Answer every criterion of the draft's sheet (the best option by default)."""
    version = services.draft_version(actor, dossier)
    tree = SheetTree.load(version.sheet)
    answers = {
        tree.keys[n.id]: (choose(n.options, key=lambda o: o[2])[0], "Có minh chứng") for n in tree.scorable
    }
    return services.set_assessment(actor, dossier, answers)


def fill(actor, dossier: Dossier, extra: dict | None = None, *, answer: bool = True, papers: bool = True):
    """Everything the producer must file: Mẫu 01/02, the self-assessment, the legal papers."""
    services.update_draft(actor, dossier, {**CONTENT, **(extra or {})})
    if answer:
        answer_all(actor, dossier)
    if papers:
        services.add_evidence(
            actor,
            dossier,
            {"kind": "legal", "paper": "business_registration", "title": "Giấy chứng nhận đăng ký HTX"},
            upload=pdf(),
        )
        if dossier.kind == "reevaluation":
            services.update_draft(
                actor,
                dossier,
                {
                    "quality_declaration_update": "Tự công bố lại năm 2026.",
                    "periodic_tests": "Kiểm nghiệm định kỳ 6 tháng/lần, đạt.",
                },
            )
            services.add_evidence(
                actor,
                dossier,
                {
                    "kind": "legal",
                    "paper": "test_report",
                    "title": "Phiếu kết quả thử nghiệm 2026",
                    "issued_on": timezone.localdate() - dt.timedelta(days=10),
                },
                upload=pdf("kiem-nghiem.pdf"),
            )
    dossier.refresh_from_db()
    return dossier


def commune_complete(officer, dossier: Dossier, samples: int = 5):
    """The commune's part: samples, report Mẫu 03 and the proposal letter (dated the day of receipt)."""
    today = dossier.received_on or timezone.localdate()
    services.record_samples(officer, dossier, samples, day=today)
    services.save_commune_report(
        officer,
        dossier,
        {
            "raw_materials": "Chủ thể sử dụng củ dong riềng của 45 hộ trên địa bàn xã.",
            "local_labour": "20 lao động, 18 người thường trú tại xã.",
            "idea_origin": "traditional",
            "idea_origin_note": "Nghề làm miến truyền thống của đồng bào Tày.",
            "local_identity": "Giống dong riềng địa phương, kinh nghiệm tráng miến thủ công.",
            "report_number": "12/BC-UBND",
            "report_date": today,
            "letter_number": "13/UBND-KT",
            "letter_date": today,
            "signer_name": "Hoàng Văn Xã",
            "signer_title": "Chủ tịch",
        },
    )
    dossier.refresh_from_db()
    return dossier


def to_province(owner, officer, dossier: Dossier, day: dt.date | None = None) -> Dossier:
    """Filed by the producer, completed by the commune and proposed to the province (on `day`)."""
    fill(owner, dossier)
    services.submit_dossier(owner, dossier, day=day)
    dossier.refresh_from_db()
    commune_complete(officer, dossier)
    return services.propose(officer, dossier, day=day)


def open_cycle(office, year: int, area_path: str = "2025/19/"):
    """A province cycle, started, with its evaluation step started and its round 1 open."""
    from ocop.programme.choices import StageState, Step

    cycle = services.create_cycle(office, {"year": year, "area": AdminUnit.objects.get(path=area_path)})
    services.set_cycle_state(office, cycle, StageState.ACTIVE)
    services.set_step_state(office, cycle.steps.get(step=Step.EVALUATE), StageState.ACTIVE)
    round_ = cycle.rounds.get(level="province", number=1)
    services.set_round_state(office, round_, StageState.ACTIVE)
    round_.refresh_from_db()
    return cycle, round_


def through_council(
    office, owner, officer, product, *, kind: str = "first", total: int = 75, year: int | None = None
):
    """A dossier filed, proposed, found complete, assigned to a session and scored to `total` by the
    council, which closes it. Returns the dossier (its entry carries the result)."""
    from ocop.evaluation import services as evaluation
    from tests.evaluation.helpers import chair, make_council, score_to, scorers

    year = year or timezone.localdate().year + 1
    _cycle, round_ = open_cycle(office, year)
    council = make_council(office, members=2, secretary=False)
    session = evaluation.create_session(
        office,
        {"council": council, "name": "Phiên đánh giá đợt 1", "date": dt.date(year, 6, 20), "mode": "meeting"},
    )
    dossier = services.start_dossier(owner, {"product": product, "kind": kind})
    dossier = to_province(owner, officer, dossier, day=dt.date(year, 3, 2))
    dossier = services.accept_dossier(office, dossier, day=dt.date(year, 3, 5))
    dossier = services.assign_dossier(office, dossier, round_, session)
    evaluation.open_session(office, session)
    for user in scorers(council):
        score_to(user, dossier.entry, total)
    evaluation.close_product(chair(council), dossier.entry)
    dossier.refresh_from_db()
    return dossier
