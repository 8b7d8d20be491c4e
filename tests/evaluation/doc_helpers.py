"""A session with every kind of outcome, for the tests of the session's documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ocop.evaluation import services
from ocop.evaluation.models import Council, EvaluationSession, Scorecard, SessionProduct

from .helpers import chair, make_council, make_product, make_session, score_to, scorers

# The four scoring members' totals (the fifth member is absent) and what the council concludes.
RECOGNISED = [72, 75, 78, 74]  # 74,75 → 4★, proposed to the province
CENTRAL = [92, 93, 91]  # 92,00 → proposed to the ministry for 5★ (one member declared a conflict)
NOT_ELIGIBLE = [44, 46, 45, 47]  # 45,50 → 2★, no certificate
OPEN = [61, 63]  # two members scored, the product is still open: nothing may show


@dataclass
class DocSession:
    council: Council
    session: EvaluationSession
    recognised: SessionProduct
    central: SessionProduct
    not_eligible: SessionProduct
    rejected: SessionProduct
    withdrawn: SessionProduct
    open: SessionProduct
    draft: Scorecard  # a member's unsubmitted card on the open product
    absent_name: str
    conflicted_name: str
    ground: str


def build_doc_session(office, *, place: str = "Hội trường UBND tỉnh Thái Nguyên") -> DocSession:
    council = make_council(
        office,
        members=4,
        decided_by="Chủ tịch UBND tỉnh Thái Nguyên",
        regulation_number="1235/QĐ-UBND",
        regulation_date=dt.date(2026, 6, 2),
    )
    services.add_advisor(
        office, council, {"full_name": "Hoàng Văn Tư Vấn", "organisation": "Chi cục PTNT", "is_leader": True}
    )
    names = [
        "Miến dong Tài Hoan",
        "Mơ vàng Bằng Phúc",
        "Gạo nếp Khẩu Nua Lếch",
        "Bánh gio Ngân Sơn",
        "Mật ong bạc hà Đồng Văn",
        "Tương ớt Chợ Đồn",
    ]
    products = [make_product(office, name) for name in names]
    session, entries = make_session(office, council, products, open_=False)
    services.update_session(office, session, {"place": place})
    services.open_session(office, session)
    recognised, central, not_eligible, rejected, withdrawn, open_ = entries

    users = scorers(council)  # the chair, then the four members
    absent = council.members.get(user=users[-1])
    services.set_attendance(office, session, {absent.pk: False}, {absent.pk: "Đi công tác"})
    users = users[:-1]

    services.record_review(
        office,
        recognised,
        {
            "site_survey_date": dt.date(2026, 6, 10),
            "site_survey_findings": "Cơ sở sản xuất đạt yêu cầu vệ sinh",
            "report": "Hồ sơ đầy đủ, đúng quy định.",
            "recommendation": "propose",
        },
    )
    for user, target in zip(users, RECOGNISED, strict=True):
        score_to(user, recognised, target)
    services.close_product(chair(council), recognised)

    conflicted = council.members.get(user=users[1])
    services.declare_conflict(users[1], central, "Người thân là thành viên HTX")
    for user, target in zip([users[0], users[2], users[3]], CENTRAL, strict=True):
        score_to(user, central, target)
    services.close_product(chair(council), central)

    for user, target in zip(users, NOT_ELIGIBLE, strict=True):
        score_to(user, not_eligible, target)
    services.close_product(chair(council), not_eligible)

    ground = rejected.sheet.disqualifiers[0]
    services.disqualify_product(chair(council), rejected, ground, "Giấy chứng nhận ATTP đã hết hạn")
    services.withdraw_product(office, withdrawn, "Chủ thể xin rút hồ sơ")

    score_to(users[0], open_, OPEN[0])
    draft = score_to(users[1], open_, OPEN[1], submit=False)
    for model in (recognised, central, not_eligible, rejected, withdrawn, open_):
        model.refresh_from_db()
    session.refresh_from_db()
    return DocSession(
        council=council,
        session=session,
        recognised=recognised,
        central=central,
        not_eligible=not_eligible,
        rejected=rejected,
        withdrawn=withdrawn,
        open=open_,
        draft=draft,
        absent_name=absent.full_name,
        conflicted_name=conflicted.full_name,
        ground=ground,
    )
