"""Golden tests: hand-worked evaluations of real products on the shipped score sheets.

Each example writes down, criterion by criterion, the option chosen (its label as printed in
Decision 26/2026 Phụ lục II — /work/shared/reference/legal/26-2026-QD-TTg-phu-luc-II-bo-tieu-chi.txt
— or its position when the label is long) and the points read in the decision for it; the group,
part and grand totals are summed by hand in the comments. The engine must give the same figures,
both the pure `tally` and a council scoring through the services.

The products are chosen to meet the decision's per-star minimum options (marked ***, ****, *****
in Phụ lục II) of the star they receive, so the expected stars hold under the band *and* under the
minimums; `test_the_decision_s_star_minimums_apply_to_the_shipped_sheet` shows a product that
does not.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ocop.audit import services as audit
from ocop.evaluation import services
from ocop.evaluation.loader import DATA
from ocop.evaluation.models import Criterion, EvaluationResult, RuleVersion, ScoreSheet
from ocop.evaluation.scoring import SheetTree, award, criterion_points, tally
from ocop.evaluation.sheets import import_sheet

from .golden_helpers import (
    build_council,
    chair_of,
    enter,
    open_session,
    resolve,
    scoring_users,
    vary,
)
from .helpers import make_product

pytestmark = pytest.mark.django_db

D = Decimal


def sheet_of(set_no: int) -> ScoreSheet:
    return ScoreSheet.objects.get(
        rule_version__code="26-2026", product_set__code=str(set_no), superseded_by__isnull=True
    )


def sheet_1048() -> ScoreSheet:
    return ScoreSheet.objects.get(rule_version__code="1048-2019")


def rule(code="26-2026") -> RuleVersion:
    return RuleVersion.objects.get(code=code)


def council_result(office, product, sheet, member_specs, *, day=None, kind="first"):
    """A council of len(member_specs) scoring members (the chair first) enters the answers, every
    member submits, the chair closes: the result and the members' cards."""
    council = build_council(office, len(member_specs))
    kwargs = {"day": day} if day else {}
    _session, (entry,) = open_session(office, council, [product], sheet=sheet, kind=kind, **kwargs)
    assert entry.sheet == sheet
    tree = SheetTree.load(sheet)
    cards = []
    for user, spec in zip(scoring_users(council), member_specs, strict=True):
        answers, _points = resolve(tree, spec)
        cards.append(enter(user, entry, answers, tree=tree))
    outcome = services.close_product(chair_of(council), entry)
    return outcome.result, cards


def part_totals(card) -> dict[str, Decimal]:
    return {k: D(v) for k, v in card.part_totals.items()}


# =================================================================================================
# Set 1 — Rau, củ, quả, hạt tươi (26/2026): Quýt Quang Thuận, a cooperative's tangerines under the
# "Bắc Kạn" geographical indication, VietGAP, an ISO 22000 packing house. Average exactly 70.00.
# =================================================================================================

FRESH_PRODUCE = {
    # A. 1. TỔ CHỨC SẢN XUẤT (18)
    "1.1": ("Sản phẩm được trồng trên địa bàn cấp xã từ 75% đến 100%", 3),
    "1.2": ("Được cấp giấy chứng nhận chất lượng theo tiêu chuẩn quốc gia (VietGAP, hữu cơ, ...)", 1),
    "1.3": ("Ứng dụng máy móc trong sơ chế, đóng gói sản phẩm", 2),
    "1.4": ("Có năng lực, quy mô sản xuất trung bình", 2),
    "1.5": ("Có hợp đồng liên kết trên 75% sản lượng tiêu thụ", 2),  # **** met
    "1.6": (2, 2),  # "Có Hồ sơ … và hồ sơ minh chứng về công trình thu gom và xử lý chất thải…"
    "1.7": (2, 1),  # "Có áp dụng công nghệ theo hướng bền vững môi trường (…)"
    # group 1: 3 + 1 + 2 + 2 + 2 + 2 + 1 = 13
    # A. 2. PHÁT TRIỂN SẢN PHẨM (10)
    "2.1": (3, 3),  # "… sản phẩm đặc trưng của tỉnh, … gắn với dấu hiệu chỉ dẫn nguồn gốc địa lý" ****
    "2.2": ("Đóng gói sáng tạo, bao bì đẹp", 2),  # ***
    "2.3": (3, 3),  # "Ghi nhãn … đẹp … và có mã truy xuất nguồn gốc điện tử" ****
    "2.4": ("Không", 0),
    # group 2: 3 + 2 + 3 + 0 = 8
    # A. 3. SỨC MẠNH CỘNG ĐỒNG (12)
    "3.1": (3, 3),  # "HTX tổ chức, hoạt động theo đúng quy định của pháp luật; …"
    "3.2": (2, 1),  # "Đại diện pháp luật của chủ thể là nữ; hoặc là đồng bào dân tộc thiểu số; …"
    "3.3": ("Có sử dụng ≥ 75% lao động là người trên địa bàn cấp xã", 3),
    "3.4": (2, 2),  # "Hợp tác xã xếp loại khá trở lên hoặc có 02 năm liên tiếp tăng trưởng…" ****
    "3.5": (2, 2),  # "Các nhãn hiệu … được cấp Giấy chứng nhận đăng ký nhãn hiệu và … chỉ dẫn…" ****
    # group 3: 3 + 1 + 3 + 2 + 2 = 11            → part A = 13 + 8 + 11 = 32
    # B. 4. TIẾP THỊ (13)
    "4.1": ("Thị trường ngoài địa bàn cấp xã, có ≥ 5 đại diện/đại lý phân phối", 3),  # ****
    "4.2": ("Có người chịu trách nhiệm quản lý phân phối", 1),
    "4.3": (3, 2),  # "Có nhiều hơn 03 hoạt động quảng bá … hội chợ, triển lãm trong tỉnh"
    # group 4: 3 + 1 + 2 = 6
    # B. 5. CÂU CHUYỆN SẢN PHẨM (12)
    "5.1": (5, 5),  # "… tờ rơi, website … và đưa vào nội dung truy xuất nguồn gốc điện tử" ****
    "5.2": ("Ngắn gọn, xúc tích", 1),
    "5.3": (3, 3),  # "Nội dung câu chuyện mang sắc thái truyền thống, văn hóa địa phương và giá trị…"
    # group 5: 5 + 1 + 3 = 9                     → part B = 6 + 9 = 15
    # C. 6. CHỈ TIÊU CẢM QUAN (12)
    "6.1": ("Đồng đều", 2),  # ****
    "6.2": ("Phù hợp", 3),  # ****
    "6.3": ("Tốt", 3),
    "6.4": ("Tốt", 2),
    # group 6: 2 + 3 + 3 + 2 = 10
    "7": ("Có 1 - 2 chỉ tiêu", 1),
    "8": ("Độc đáo, mang tính đặc trưng", 3),  # ****
    "9": (2, 4),  # "Có công bố chất lượng sản phẩm theo quy định (…) và áp dụng các tiêu chuẩn quốc gia"
    "10": (2, 3),  # "Cơ sở sơ chế, đóng gói có chứng nhận quản lý chất lượng theo tiêu chuẩn quốc gia" ****
    "11": ("Có hướng dẫn sử dụng sản phẩm đơn giản", 1),
    "12": ("Có thể xuất khẩu đến thị trường khu vực Đông Nam Á", 1),
    # part C = 10 + 1 + 3 + 4 + 3 + 1 + 1 = 23
    # total = 32 + 15 + 23 = 70
}


def test_fresh_produce_by_hand():
    tree = SheetTree.load(sheet_of(1))
    answers, _points = resolve(tree, FRESH_PRODUCE)
    result = tally(tree, answers)
    assert result.parts == {"A": D(32), "B": D(15), "C": D(23)}
    assert result.total == D(70) and result.complete
    groups = criterion_points(tree, answers)
    assert [groups[g] for g in ("1", "2", "3", "4", "5", "6")] == [D(13), D(8), D(11), D(6), D(9), D(10)]


def test_fresh_produce_council_lands_exactly_on_70_and_gets_4_stars(province_admin):
    members = [
        FRESH_PRODUCE,  # chair: 70
        vary(FRESH_PRODUCE, {"6.4": ("Chấp nhận được", 1), "7": ("Không có", 0)}),  # 70 - 1 - 1 = 68
        vary(FRESH_PRODUCE, {"1.4": ("Có năng lực, quy mô sản xuất lớn", 3)}),  # 70 + 1 = 71
        vary(FRESH_PRODUCE, {"5.2": ("Ngắn gọn, xúc tích và có văn phong kể chuyện", 2)}),  # 71
    ]
    product = make_product(province_admin, "Quýt Quang Thuận", set_code="1")
    result, cards = council_result(province_admin, product, sheet_of(1), members)
    assert [c.total for c in cards] == [D(70), D(68), D(71), D(71)]
    assert [part_totals(c) for c in cards] == [
        {"A": D(32), "B": D(15), "C": D(23)},
        {"A": D(32), "B": D(15), "C": D(21)},
        {"A": D(33), "B": D(15), "C": D(23)},
        {"A": D(32), "B": D(16), "C": D(23)},
    ]
    # (70 + 68 + 71 + 71) / 4 = 280 / 4 = 70.00: the lowest score of the 4★ band
    assert result.average == D("70.00")
    # A (32 + 32 + 33 + 32) / 4 = 32.25; B (15 + 15 + 15 + 16) / 4 = 15.25; C (23 + 21 + 23 + 23) / 4 = 22.50
    assert result.part_averages == {"A": "32.25", "B": "15.25", "C": "22.50"}
    assert result.spread == D(3)  # 71 - 68
    assert (result.band_stars, result.stars) == (4, 4)
    assert result.certifiable and not result.central_candidate
    assert result.recognising_level == "province"
    assert result.minimum_failures == []
    assert result.sheet == sheet_of(1) and result.rule_version.code == "26-2026"


# =================================================================================================
# Set 11 — Chè tươi, chè chế biến: Chè Bằng Phúc (Chợ Đồn), a cooperative's processed green tea.
# Average 69.67: one hundredth-and-a-third short of 4★.
# =================================================================================================

TEA = {
    # A. 1. TỔ CHỨC SẢN XUẤT (18)
    "1.1": ("Sử dụng nguyên liệu có nguồn gốc trong tỉnh từ 75% đến 100%", 3),  # *** needs 2
    "1.2": ("Được cấp giấy chứng nhận chất lượng theo tiêu chuẩn quốc gia (VietGAP, hữu cơ,...)", 1),
    "1.3": ("Chế biến", 2),
    "1.4": ("Có năng lực, quy mô sản xuất trung bình", 2),
    "1.5": ("Có hợp đồng liên kết trên 75% sản lượng tiêu thụ", 2),
    "1.6": (1, 1),  # "Có Hồ sơ, thủ tục về môi trường theo quy định của pháp luật và các quy định khác…"
    "1.7": (2, 1),  # "Có áp dụng công nghệ theo hướng bền vững môi trường (…)"
    # group 1: 3 + 1 + 2 + 2 + 2 + 1 + 1 = 12
    "2.1": (3, 2),  # "Sản phẩm được sản xuất ở nhiều nơi trên địa bàn, là sản phẩm đặc trưng của tỉnh…"
    "2.2": ("Đóng gói sáng tạo, bao bì đẹp", 2),  # ***
    "2.3": (2, 2),  # "Ghi nhãn hàng hóa đầy đủ, đúng quy định và thể hiện được thông điệp câu chuyện…" ***
    "2.4": ("Không", 0),
    # group 2: 2 + 2 + 2 + 0 = 6
    "3.1": (3, 3),  # HTX
    "3.2": (2, 1),  # the legal representative is a woman of an ethnic minority
    "3.3": ("Có sử dụng ≥ 75% lao động là người trên địa bàn cấp xã", 3),
    "3.4": (1, 1),  # "Hợp tác xã xếp loại trung bình hoặc năm trước liền kề … có lợi nhuận cao hơn…"
    "3.5": (2, 2),  # registered trademark and origin indication ***
    # group 3: 3 + 1 + 3 + 1 + 2 = 10            → part A = 12 + 6 + 10 = 28
    "4.1": (4, 5),  # "Thị trường quốc tế … hoặc … siêu thị, thương mại điện tử,…" ***
    "4.2": ("Có người chịu trách nhiệm quản lý phân phối", 1),
    "4.3": (4, 3),  # "… hội chợ, triển lãm ngoài tỉnh"
    # group 4: 5 + 1 + 3 = 9
    "5.1": (4, 3),  # "… thể hiện trên tờ rơi và website (dưới dạng hình ảnh, clip,...)"
    "5.2": ("Ngắn gọn, xúc tích", 1),
    "5.3": (3, 3),  # *** needs 1
    # group 5: 3 + 1 + 3 = 7                     → part B = 9 + 7 = 16
    # C. 6. CHỈ TIÊU CẢM QUAN (15) = 6.1 Ngoại hình (4) + 6.2 Nước pha (11)
    "6.1.1": ("Sạch, không phát hiện tạp chất", 2),
    "6.1.2": ("Đồng đều, màu tự nhiên, phù hợp với tính chất sản phẩm", 2),
    "6.2.1": ("Trong sáng, rất phù hợp, bền màu", 3),
    "6.2.2": ("Thơm tự nhiên, mạnh, bền mùi", 3),
    "6.2.3": ("Vị đậm, dịu, phù hợp, có hậu vị ngọt", 5),
    # 6.1: 2 + 2 = 4; 6.2: 3 + 3 + 5 = 11; group 6: 15
    "7": ("Độc đáo, mang tính đặc trưng", 3),
    "8": (2, 4),  # "Có công bố chất lượng … và áp dụng các tiêu chuẩn quốc gia" ***
    "9": (
        "Cơ sở chế biến, đóng gói có giấy chứng nhận đủ điều kiện an toàn thực phẩm theo quy định",
        1,
    ),  # ***
    "10": ("Có hướng dẫn sử dụng chi tiết, cụ thể để đảm bảo chất lượng sản phẩm", 2),
    "11": ("Có thể xuất khẩu đến thị trường khu vực Đông Nam Á", 1),
    # part C = 15 + 3 + 4 + 1 + 2 + 1 = 26
    # total = 28 + 16 + 26 = 70
}


def test_tea_by_hand():
    tree = SheetTree.load(sheet_of(11))
    answers, _points = resolve(tree, TEA)
    result = tally(tree, answers)
    assert (result.parts, result.total) == ({"A": D(28), "B": D(16), "C": D(26)}, D(70))
    groups = criterion_points(tree, answers)
    assert (groups["6.1"], groups["6.2"], groups["6"]) == (D(4), D(11), D(15))


def test_tea_council_averages_69_67_and_stays_at_3_stars(province_admin):
    members = [
        TEA,  # chair: 70
        # the same total by another road: 70 - 2 + 2 = 70
        vary(TEA, {"6.2.3": ("Vị đậm, dịu, phù hợp", 3), "7": ("Rất độc đáo và có tính đặc trưng", 5)}),
        vary(TEA, {"6.1.2": ("Đồng đều, màu tự nhiên, tương đối phù hợp với tính chất sản phẩm", 1)}),  # 69
    ]
    product = make_product(province_admin, "Chè Bằng Phúc", set_code="11")
    result, cards = council_result(province_admin, product, sheet_of(11), members)
    assert [c.total for c in cards] == [D(70), D(70), D(69)]
    # (70 + 70 + 69) / 3 = 209 / 3 = 69.666… → 69.67, below 70: 3★
    assert result.average == D("69.67")
    # A 28, B 16, C (26 + 26 + 25) / 3 = 25.666… → 25.67
    assert result.part_averages == {"A": "28.00", "B": "16.00", "C": "25.67"}
    assert (result.band_stars, result.stars) == (3, 3)
    assert result.certifiable and result.recognising_level == "province"
    assert result.spread == D(1)


# =================================================================================================
# Set 14 — Rượu trắng: Rượu men lá Thanh Tâm (Chợ Đồn), leaf-yeast rice wine. Average 74.50: 4★.
# And a second rice wine whose dossier is rejected without scoring.
# =================================================================================================

RICE_WINE = {
    # A. 1. TỔ CHỨC SẢN XUẤT (17)
    "1.1": ("Sử dụng nguyên liệu có nguồn gốc trong tỉnh từ 75% đến 100%", 4),
    "1.2": ("Sử dụng kỹ thuật thủ công để nâng cao chất lượng sản phẩm", 2),
    "1.3": ("Có năng lực, quy mô sản xuất lớn", 3),
    "1.4": ("Có hợp đồng liên kết trên 75% sản lượng tiêu thụ", 2),  # ****
    "1.5": (2, 2),  # environmental dossier and waste collection works (**** needs option 1)
    "1.6": (2, 1),
    # group 1: 4 + 2 + 3 + 2 + 2 + 1 = 14
    "2.1": (4, 4),  # "Sản phẩm là đặc sản, truyền thống, chỉ sản xuất trên địa bàn của xã…" ****
    "2.2": ("Đóng gói sáng tạo, bao bì đẹp", 2),  # ***
    "2.3": (3, 3),  # label with an electronic traceability code ****
    "2.4": ("Không", 0),
    # group 2: 4 + 2 + 3 + 0 = 9
    "3.1": (3, 3),
    "3.2": (2, 1),
    "3.3": ("Có sử dụng ≥ 75% lao động là người trên địa bàn cấp xã", 3),
    "3.4": (2, 2),  # ****
    "3.5": (2, 2),  # ****
    # group 3: 3 + 1 + 3 + 2 + 2 = 11            → part A = 14 + 9 + 11 = 34
    "4.1": (4, 5),  # supermarkets and e-commerce under contract ****
    "4.2": ("Có bộ phận/phòng quản lý phân phối", 2),
    "4.3": (4, 3),  # fairs outside the province
    # group 4: 5 + 2 + 3 = 10
    "5.1": (5, 5),  # story on leaflets, website and in the traceability record ****
    "5.2": ("Ngắn gọn, xúc tích", 1),
    "5.3": (3, 3),
    # group 5: 5 + 1 + 3 = 9                     → part B = 10 + 9 = 19
    "6.1": ("Sạch, không phát hiện tạp chất/cặn", 2),
    "6.2": ("Trong suốt, không màu", 3),
    "6.3": ("Mùi mạnh, phù hợp, hấp dẫn", 3),
    "6.4": ("Vị đậm, dịu, phù hợp", 3),
    # group 6: 2 + 3 + 3 + 3 = 11
    "7": ("Độc đáo, mang tính đặc trưng", 3),  # ****
    "8": (2, 4),  # national standard ***
    "9": (2, 3),  # "Cơ sở chế biến, đóng gói có chứng nhận quản lý chất lượng theo tiêu chuẩn quốc gia" ****
    "10": ("Có thể xuất khẩu đến thị trường khu vực Đông Nam Á", 1),
    # part C = 11 + 3 + 4 + 3 + 1 = 22
    # total = 34 + 19 + 22 = 75
}


def test_rice_wine_by_hand():
    tree = SheetTree.load(sheet_of(14))
    answers, _points = resolve(tree, RICE_WINE)
    result = tally(tree, answers)
    assert (result.parts, result.total) == ({"A": D(34), "B": D(19), "C": D(22)}, D(75))


def test_rice_wine_council_and_a_rejected_dossier(province_admin):
    members = [
        RICE_WINE,  # chair: 75
        vary(RICE_WINE, {"6.4": ("Vị đậm, dịu, phù hợp, hấp dẫn", 5)}),  # 75 + 2 = 77
        vary(
            RICE_WINE, {"6.3": ("Mùi mạnh, phù hợp", 2), "6.2": ("Tương đối trong suốt", 1)}
        ),  # 75 - 1 - 2 = 72
        vary(
            RICE_WINE,
            {
                "10": ("Có thể xuất khẩu các thị trường ngoài khu vực Đông Nam Á", 3),  # +2
                "4.3": (3, 2),  # fairs in the province only: -1
                "5.3": ("Có câu chuyện riêng, gắn với nguồn gốc xuất xứ sản phẩm", 1),  # -2
            },
        ),  # 75 + 2 - 1 - 2 = 74
    ]
    sheet = sheet_of(14)
    council = build_council(province_admin, 4)
    wine = make_product(province_admin, "Rượu men lá Thanh Tâm", set_code="14")
    rejected = make_product(province_admin, "Rượu ngô men lá Nà Phặc", set_code="14")
    session, (entry, other) = open_session(province_admin, council, [wine, rejected])
    tree = SheetTree.load(sheet)
    users = scoring_users(council)
    cards = [
        enter(u, entry, resolve(tree, spec)[0], tree=tree) for u, spec in zip(users, members, strict=True)
    ]
    # one member had started on the second dossier before the advisory team's report
    started = services.scorecard_for(users[1], other)
    services.save_answer(
        users[1], started, tree.by_code["1.1"].id, tree.by_code["1.1"].options[2][0], tree=tree
    )

    result = services.close_product(chair_of(council), entry).result
    assert [c.total for c in cards] == [D(75), D(77), D(72), D(74)]
    # (75 + 77 + 72 + 74) / 4 = 298 / 4 = 74.50
    assert result.average == D("74.50")
    # A 34 each; B (19 + 19 + 19 + 16) / 4 = 73 / 4 = 18.25; C (22 + 24 + 19 + 24) / 4 = 89 / 4 = 22.25
    assert result.part_averages == {"A": "34.00", "B": "18.25", "C": "22.25"}
    assert (result.band_stars, result.stars, result.spread) == (4, 4, D(5))
    assert result.certifiable and result.recognising_level == "province"

    # The second dossier: the food-safety certificate was forged — "Hồ sơ bị loại khi: Giả mạo hồ sơ
    # hoặc không tuân thủ đầy đủ các quy định về giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm…"
    ground = sheet.disqualifiers[0]
    assert ground.startswith("Hồ sơ bị loại khi: Giả mạo hồ sơ")
    with pytest.raises(ValidationError):
        services.disqualify_product(chair_of(council), other, "  ")
    rejection = services.disqualify_product(
        chair_of(council), other, ground, "Giấy chứng nhận ATTP của cơ sở bị tẩy xóa ngày cấp"
    )
    rejection.refresh_from_db()
    assert rejection.disqualified and rejection.state == "rejected"
    assert rejection.average is None and rejection.stars is None and rejection.band_stars is None
    assert not rejection.certifiable and rejection.recognising_level == ""
    assert rejection.decision_note == f"{ground} — Giấy chứng nhận ATTP của cơ sở bị tẩy xóa ngày cấp"
    other.refresh_from_db()
    assert other.state == "disqualified" and other.disqualifier == ground
    # nothing more can be scored or closed on it, and it has exactly one (rejected) result
    with pytest.raises(ValidationError):
        services.save_answer(
            users[1], started, tree.by_code["1.2"].id, tree.by_code["1.2"].options[0][0], tree=tree
        )
    with pytest.raises(ValidationError):
        services.close_product(chair_of(council), other)
    with pytest.raises(ValidationError):
        services.disqualify_product(chair_of(council), other, ground)
    assert EvaluationResult.objects.filter(entry=other).count() == 1
    # both products are settled: the session can be closed
    assert services.close_session(chair_of(council), session).state == "closed"
    assert audit.verify().ok


# =================================================================================================
# Set 26 — Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch: community tourism at
# Pác Ngòi (Ba Bể lake), run by a cooperative of Tày households. Average 92.00: a 5★ candidate
# that the province sends to the ministry (Điều 7.3.e).
# =================================================================================================

TOURISM = {
    # A. 1. TỔ CHỨC DỊCH VỤ CỘNG ĐỒNG (14)
    "1.1": (2, 3),  # "Có Bộ phận điều phối …, có kế hoạch và tổ chức triển khai kế hoạch…"
    "1.2": (3, 5),  # "… phân nhiệm rõ ràng trên cơ sở người dân địa phương tham gia quản lý…"
    "1.3": (3, 3),  # "… triển khai mô hình cộng đồng tự quản về môi trường"
    "1.4": (2, 2),  # "Có giải pháp tiết kiệm, thu hồi năng lượng, tái sử dụng năng lượng…"
    # group 1: 3 + 5 + 3 + 2 = 13
    # A. 2. PHÁT TRIỂN SẢN PHẨM (12)
    "2.1": (3, 5),  # "Có tính độc đáo, khác biệt và có gắn kết các giá trị văn hóa truyền thống…"
    "2.2": ("Có kế hoạch và có các sản phẩm dịch vụ du lịch phù hợp với thị trường mục tiêu.", 2),
    "2.3": (3, 5),  # "… cả cộng đồng đều có hoạt động bảo vệ và bảo tồn các di sản…"
    # group 2: 5 + 2 + 5 = 12
    # A. 3. SỨC MẠNH CỘNG ĐỒNG (14)
    "3.1": (3, 3),  # HTX
    "3.2": (2, 1),
    "3.3": ("Có sử dụng ≥ 75% lao động là người trên địa bàn cấp xã", 4),
    "3.4": (2, 3),  # ****
    "3.5": (2, 2),  # ****
    # group 3: 3 + 1 + 4 + 3 + 2 = 13            → part A = 13 + 12 + 13 = 38
    # B. 4. TIẾP THỊ (17)
    "4.1": ("Có ≥ 5 đại diện/đại lý quảng bá sản phẩm trong và ngoài tỉnh", 5),
    "4.2": (2, 2),  # "Có liên kết với các điểm dịch vụ du lịch khác trong và ngoài tỉnh…"
    "4.3": (2, 2),  # "Có bộ phận/phòng quản lý quảng bá, phân phối, có ứng dụng công nghệ thông tin…"
    "4.4": (3, 3),  # "… có sử dụng kênh đặt dịch vụ trực tuyến (online) trong nước…"
    "4.5": (3, 3),  # video clip and posters in Vietnamese and at least one foreign language
    # group 4: 5 + 2 + 2 + 3 + 3 = 15
    # B. 5. CÂU CHUYỆN SẢN PHẨM (8)
    "5.1": (2, 2),  # "Có Cẩm nang hoặc câu chuyện … có tính riêng, đặc sắc, thể hiện trí tuệ bản sắc…"
    "5.2": ("Cẩm nang/câu chuyện được tư liệu hóa và trình bày tại điểm du lịch trong và ngoài tỉnh.", 2),
    "5.3": (2, 2),  # the commune has met the new-countryside standard
    # group 5: 2 + 2 + 2 = 6                     → part B = 15 + 6 = 21
    # C. CHẤT LƯỢNG SẢN PHẨM (35)
    "6": (3, 3),  # "Thuận lợi, dễ tiếp cận, liền kề và có kết nối với khu vực/địa điểm có lợi thế…"
    "7": (3, 3),  # "… xã/thôn đạt tiêu chí sáng - xanh - sạch đẹp trong xây dựng nông thôn mới"
    "8": (
        2,
        3,
    ),  # case 1 (dịch vụ do cộng đồng cung cấp): "… có cơ sở kinh doanh dịch vụ du lịch đạt tiêu chuẩn…"
    "9": (
        2,
        2,
    ),  # case 1: "Các cơ sở cung ứng dịch vụ đáp ứng yêu cầu (1) và có thực hiện hướng dẫn, tập huấn…"
    "10": (3, 3),
    "11": ("Có mô hình hoạt động trải nghiệm", 2),
    "12": (
        "Có từ 50 - 75% lao động tham gia quản lý và nhân viên đã qua đào tạo về chuyên môn, nghiệp vụ",
        2,
    ),
    "13": (3, 3),  # "… được du khách đánh giá cao qua phiếu đánh giá, bình chọn…"
    "14": (3, 4),  # "… được du khách đánh giá cao qua phiếu đánh giá, bình chọn … trang điện tử…"
    "15": (2, 3),  # case 1: "Hạ tầng giao thông nội bộ thuận tiện, … xã/thôn có các tiêu chí … đạt chuẩn"
    "16": (3, 3),  # "… đặc sắc văn hóa dân tộc, vùng miền ít nhất 2 lần/năm"
    "17": (2, 2),  # "… bảo đảm vệ sinh an toàn thực phẩm, có sản phẩm OCOP được bày, bán"
    # part C = 3 + 3 + 3 + 2 + 3 + 2 + 2 + 3 + 4 + 3 + 3 + 2 = 33
    # total = 38 + 21 + 33 = 92
}


def test_tourism_by_hand():
    tree = SheetTree.load(sheet_of(26))
    answers, _points = resolve(tree, TOURISM)
    result = tally(tree, answers)
    assert (result.parts, result.total) == ({"A": D(38), "B": D(21), "C": D(33)}, D(92))
    assert sheet_of(26).disqualifiers == []  # Phụ lục II gives no ground for rejection for this set


def test_tourism_council_proposes_a_central_candidate_to_the_ministry(province_admin):
    members = [
        TOURISM,  # chair: 92
        vary(TOURISM, {"12": (1, 1)}),  # 92 - 1 = 91
        vary(TOURISM, {"5.1": (3, 4)}),  # story also in a foreign language: 92 + 2 = 94
        vary(TOURISM, {"4.4": (4, 4)}),  # international promotion: 92 + 1 = 93
        vary(
            TOURISM,
            {
                "13": ("Sản phẩm dịch vụ du lịch phong phú, hấp dẫn, an toàn, chất lượng cao", 2),  # -1
                "4.2": (1, 1),  # links within the province only: -1
            },
        ),  # 90
    ]
    product = make_product(province_admin, "Du lịch cộng đồng Pác Ngòi", set_code="26")
    result, cards = council_result(province_admin, product, sheet_of(26), members)
    assert [c.total for c in cards] == [D(92), D(91), D(94), D(93), D(90)]
    # (92 + 91 + 94 + 93 + 90) / 5 = 460 / 5 = 92.00
    assert result.average == D("92.00")
    # A 38 each; B (21 + 21 + 23 + 22 + 20) / 5 = 107 / 5 = 21.40
    # C (33 + 32 + 33 + 33 + 32) / 5 = 163 / 5 = 32.60
    assert result.part_averages == {"A": "38.00", "B": "21.40", "C": "32.60"}
    assert (result.band_stars, result.stars, result.spread) == (5, 5, D(4))
    # ≥ 90 at a province council: the province approves the result and proposes it to the ministry,
    # which alone recognises 5★ (Điều 4.1.b, 7.3.e)
    assert result.central_candidate
    assert result.recognising_level == "ministry"


# =================================================================================================
# 1048/2019 — Rau, củ, quả, hạt tươi (historical sheet): Hồng không hạt Quang Thuận, scored in 2021.
# "Sự tham gia của cộng đồng trong quản lý, điều hành" holds two sub-questions whose points add up.
# Codes restart in every part of this sheet, so criteria are named with their part ("A 1.1").
# =================================================================================================

PERSIMMON_1048 = {
    # Phần A (35 declared; 36 attainable)
    "A 1.1": ("Sử dụng nguyên liệu có nguồn gốc trong tỉnh từ 75% đến 100%", 3),
    "A 1.2": ("Sơ chế (rửa, làm sạch)", 1),
    "A 1.3": ("Có năng lực, quy mô sản xuất trung bình", 2),
    "A 1.4": ("Có liên kết, chặt chẽ (phạm vi trong tỉnh)", 1),
    "A 1.5": (3, 3),  # "Có đánh giá tác động môi trường/kế hoạch bảo vệ môi trường … theo quy định hiện hành"
    "A 1.6": (1, 0),  # "Không sử dụng năng lượng hiện đại, bền vững, …"
    # group 1: 3 + 1 + 2 + 1 + 3 + 0 = 10
    "A 2.1": (4, 3),  # "Phát triển ý tưởng của mình gắn với bảo tồn sản phẩm truyền thông/đặc sản/…"
    "A 2.2": ("Bao bì phù hợp, thông tin ghi nhãn đầy đủ, có truy xuất nguồn gốc", 2),
    "A 2.3": ("Thuận tiện hoặc đẹp", 1),
    # group 2: 3 + 2 + 1 = 6
    "A 3.1": (3, 3),  # "HTX tổ chức, hoạt động theo Luật HTX 2012 …"
    "A 3.2.a": (2, 2),  # "Có ≥ 50% số thành viên quản trị cao cấp … là người trong tỉnh …"
    "A 3.2.b": ("Giám đốc/Chủ hộ là người trong tỉnh", 1),
    "A 3.3": (2, 1),  # "Có sử dụng ≥ 50% lao động là người địa phương …"
    "A 3.4": ("Tăng trưởng ≥ 10% về doanh thu so với năm trước liền kề", 1),
    "A 3.5": ("Có kế toán, công tác kế toán được thực hiện thường xuyên", 1),
    # group 3: 3 + (2 + 1) + 1 + 1 + 1 = 9       → part A = 10 + 6 + 9 = 25
    # Phần B (25)
    "B 1.1": ("Thị trường ngoài huyện, có dưới 5 đại diện/đại lý phân phối", 2),
    "B 1.2": ("Có người chịu trách nhiệm quản lý phân phối", 1),
    "B 1.3": (3, 2),  # "Có nhiều hoạt động quảng bá, có website …, … xúc tiến thương mại trong tỉnh"
    # group 1: 2 + 1 + 2 = 5
    "B 2.1": ("Có câu chuyện được tư liệu hóa, trình bày trên nhãn/tờ rơi", 3),
    "B 2.2": ("Có câu chuyện riêng", 2),
    "B 2.3": ("Đơn giản", 1),
    # group 2: 3 + 2 + 1 = 6                     → part B = 5 + 6 = 11
    # Phần C (40)
    "C 1.1": ("Đồng đều", 2),
    "C 1.2": ("Phù hợp", 5),
    "C 1.3": ("Tốt", 3),
    "C 1.4": ("Tốt", 2),
    "C 1.5": ("Tốt", 2),
    # group 1: 2 + 5 + 3 + 2 + 2 = 14
    "C 2.1": ("Có 1 -2 chỉ tiêu", 1),
    "C 3.1": ("Độc đáo", 3),
    "C 4.1": ("Có Tiêu chuẩn sản phẩm, có Bản công bố tiêu chuẩn/chất lượng", 2),
    "C 4.2": (4, 3),  # "Có, đạt đầy đủ (vi sinh, kim loại nặng, …) theo quy định."
    "C 5.1": ("Có Chứng nhận quản lý chất lượng tiên tiến (VietGAP/GlobalGAP/hữu cơ/..)", 4),
    "C 6.1": ("Có thể xuất khẩu đến thị trường khu vực", 1),
    # part C = 14 + 1 + 3 + (2 + 3) + 4 + 1 = 28
    # total = 25 + 11 + 28 = 64
}


def test_1048_fresh_produce_by_hand_with_both_sub_questions():
    tree = SheetTree.load(sheet_1048())
    answers, points = resolve(tree, PERSIMMON_1048)
    assert (points["A 3.2.a"], points["A 3.2.b"]) == (D(2), D(1))
    result = tally(tree, answers)
    assert (result.parts, result.total) == ({"A": D(25), "B": D(11), "C": D(28)}, D(64))
    # the criterion counts both sub-questions: 2 + 1 = 3
    assert criterion_points(tree, answers)["3.2"] == D(3)
    # and only those two: the first sub-question offers options 1–2, the second options 3–4
    sub = Criterion.objects.get(sheet=sheet_1048(), code="3.2", part__code="A")
    options = [[(o.label, o.points) for o in c.options.all()] for c in sub.children.order_by("sort_order")]
    assert [[p for _label, p in sub_q] for sub_q in options] == [[D(1), D(2)], [D(0), D(1)]]
    assert [label[:6] for _label_p in options for label, _p in _label_p] == [
        "Có < 5",
        "Có ≥ 5",
        "Giám đ",
        "Giám đ",
    ]


def test_1048_council_in_2021(province_admin):
    members = [
        PERSIMMON_1048,  # chair: 64
        # differs on both sub-questions: 64 - 1 - 1 = 62
        vary(
            PERSIMMON_1048,
            {"A 3.2.a": (1, 1), "A 3.2.b": ("Giám đốc/Chủ hộ không phải là người trong tỉnh", 0)},
        ),
        vary(PERSIMMON_1048, {"C 1.2": ("Rất phù hợp", 8)}),  # 64 + 3 = 67
    ]
    sheet = sheet_1048()
    product = make_product(province_admin, "Hồng không hạt Quang Thuận", set_code="1")
    result, cards = council_result(province_admin, product, sheet, members, day=dt.date(2021, 6, 15))
    assert result.rule_version.code == "1048-2019" and result.sheet == sheet
    assert [c.total for c in cards] == [D(64), D(62), D(67)]
    # (64 + 62 + 67) / 3 = 193 / 3 = 64.333… → 64.33
    assert result.average == D("64.33")
    # A (25 + 23 + 25) / 3 = 24.333… → 24.33; B 11; C (28 + 28 + 31) / 3 = 29
    assert result.part_averages == {"A": "24.33", "B": "11.00", "C": "29.00"}
    assert (result.band_stars, result.stars, result.spread) == (3, 3, D(5))
    assert result.certifiable and result.recognising_level == "province"


def test_1048_criteria_record_their_maxima():
    """The loader declares no maxima for this sheet: each is the best of its options (or the sum of
    its sub-criteria), never 0."""
    sheet = sheet_1048()
    maxima = {
        (c.part.code, c.code): c.max_score
        for c in Criterion.objects.filter(sheet=sheet).select_related("part")
    }
    assert maxima[("A", "1.1")] == D(3)  # Nguồn nguyên liệu
    assert maxima[("A", "1.5")] == D(5)  # Bảo vệ môi trường
    assert maxima[("A", "3.2")] == D(3)  # both sub-questions: 2 + 1
    assert (maxima[("A", "3.2.a")], maxima[("A", "3.2.b")]) == (D(2), D(1))
    assert maxima[("A", "3")] == D(10) and maxima[("C", "1.2")] == D(8)
    assert all(m > 0 for m in maxima.values())


# =================================================================================================
# Per-star minimum criteria (Phụ lục II: "Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ
# sao (*** - 3 sao; **** - 4 sao; ***** - 5 sao)"). On set 1, 1.5 "Có hợp đồng liên kết trên 75%
# sản lượng tiêu thụ****" (2 points) is a 4★ minimum, 9 "Có công bố chất lượng sản phẩm***"
# (2 points) a 3★ one, 1.3 "Ứng dụng công nghệ tiên tiến …*****" (3 points) a 5★ one.
# =================================================================================================

MINIMUMS = [
    {"stars": 3, "criterion": "9", "min_points": 2},
    {"stars": 4, "criterion": "1.5", "min_points": 2},
    {"stars": 5, "criterion": "1.3", "min_points": 3},
]

# The tangerines again, from a cooperative without sales contracts but with better distribution,
# instructions and export prospects: 70 - 2 + 2 + 1 + 1 = 72, in the 4★ band.
NO_LINKAGE = vary(
    FRESH_PRODUCE,
    {
        "1.5": ("Không có liên kết hoặc có liên kết nhưng không rõ ràng", 0),  # -2: misses the 4★ minimum
        "4.2": ("Có bộ phận/phòng quản lý phân phối, có ứng dụng công nghệ thông tin trong quản lý", 3),  # +2
        "11": ("Có hướng dẫn sử dụng chi tiết, cụ thể để đảm bảo chất lượng sản phẩm", 2),  # +1
        "12": ("Có thể xuất khẩu các thị trường ngoài khu vực Đông Nam Á", 2),  # +1
    },
)


def sheet_1_with_minimums() -> dict:
    data = copy.deepcopy(json.loads((DATA / "26-2026-bo-tieu-chi.json").read_text(encoding="utf-8"))[0])
    data["star_minimums"] = MINIMUMS
    return data


def test_a_star_minimum_lowers_the_award(province_admin):
    old = sheet_of(1)
    new = import_sheet(rule(), sheet_1_with_minimums(), name=old.name, product_set=old.product_set)
    old.refresh_from_db()
    assert (new.version, old.superseded_by) == (old.version + 1, new)
    assert as_decimals(new.star_minimums) == as_decimals(MINIMUMS)

    members = [
        NO_LINKAGE,  # chair: 72
        vary(NO_LINKAGE, {"6.3": ("Tương đối tốt", 2)}),  # 71
        vary(NO_LINKAGE, {"1.2": (3, 2)}),  # GlobalGAP: 73
    ]
    product = make_product(province_admin, "Quýt Quang Thuận (vùng mới)", set_code="1")
    result, cards = council_result(province_admin, product, new, members)
    assert all(c.sheet == new for c in cards)
    assert [c.total for c in cards] == [D(72), D(71), D(73)]
    # (72 + 71 + 73) / 3 = 216 / 3 = 72.00: the 4★ band …
    assert (result.average, result.band_stars) == (D("72.00"), 4)
    # … but 1.5 averages 0 against the 2 needed for 4★: 3★. The 3★ minimum (9: 4 ≥ 2) holds; the
    # 5★ one (1.3: 2 < 3) does not, but a 4★ band never looks at it.
    assert result.stars == 3
    assert [
        (f["stars"], f["criterion"], D(f["min_points"]), f["reached"]) for f in result.minimum_failures
    ] == [(4, "1.5", D(2), "0.00")]
    assert result.certifiable and result.recognising_level == "province"
    # the same through the pure function, from the hand-computed criterion means
    means = {"9": D(4), "1.5": D(0), "1.3": D(2)}
    band, stars, failures = award(rule().star_bands, D("72.00"), MINIMUMS, means)
    assert (band, stars, [(f.stars, f.criterion) for f in failures]) == (4, 3, [(4, "1.5")])


def as_decimals(minimums) -> list[tuple[int, str, Decimal]]:
    return [(int(m["stars"]), str(m["criterion"]), D(str(m["min_points"]))) for m in minimums]


def test_importing_a_sheet_keeps_its_star_minimums():
    old = sheet_of(1)
    new = import_sheet(rule(), sheet_1_with_minimums(), name=old.name, product_set=old.product_set)
    assert new != old
    assert as_decimals(new.star_minimums) == as_decimals(MINIMUMS)
    assert SheetTree.load(new).star_minimums == new.star_minimums


def test_the_decision_s_star_minimums_apply_to_the_shipped_sheet():
    sheet = sheet_of(1)
    tree = SheetTree.load(sheet)
    answers, _points = resolve(tree, NO_LINKAGE)
    result = tally(tree, answers)
    assert result.total == D(72)
    means = criterion_points(tree, answers)
    assert award(rule().star_bands, result.total, tree.star_minimums, means)[:2] == (4, 3)
