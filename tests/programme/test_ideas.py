"""Product idea → business plan → dossier, with the commune's returns and their reasons."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.core.models import Notification
from ocop.programme import services
from ocop.programme.choices import DossierState, IdeaState, PlanState
from ocop.programme.models import BusinessPlan
from ocop.registry.choices import ProductLifecycle
from tests.conftest import NA_RI

from .helpers import category, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def producer(product):
    return product.producer


def test_idea_to_plan_to_dossier_with_returns_and_reasons(owner, nari_officer, producer, unit):
    idea = services.create_idea(
        owner,
        {
            "producer": producer,
            "product_name": "Trà hoa vàng Na Rì",
            "category": category("12"),
            "description": "Trà từ hoa vàng mọc tự nhiên trên núi đá vôi.",
            "raw_materials": "Hoa vàng thu hái tại xã",
        },
    )
    assert idea.commune == producer.commune and idea.state == IdeaState.DRAFT and idea.filed_by == owner
    services.submit_idea(owner, idea)
    # The commune's officer is told there is an idea to review.
    assert Notification.objects.filter(recipient=nari_officer, url=idea.get_absolute_url()).exists()
    with pytest.raises(ValidationError) as exc:
        services.review_idea(nari_officer, idea, "return", "")
    assert "reason" in exc.value.message_dict
    services.review_idea(nari_officer, idea, "return", "Nêu rõ nguồn nguyên liệu và thị trường.")
    idea.refresh_from_db()
    assert (
        idea.state == IdeaState.RETURNED and idea.return_reason == "Nêu rõ nguồn nguyên liệu và thị trường."
    )
    notice = Notification.objects.filter(recipient=owner).order_by("-pk").first()
    assert "Nêu rõ nguồn nguyên liệu" in notice.body
    services.update_idea(owner, idea, {"market": "Cửa hàng OCOP tỉnh, du khách"})
    services.submit_idea(owner, idea)
    services.review_idea(nari_officer, idea, "accept")
    idea.refresh_from_db()
    assert idea.state == IdeaState.ACCEPTED
    # An accepted idea moves to a business plan, prefilled from it.
    plan = BusinessPlan.objects.get(idea=idea)
    assert (
        plan.state == PlanState.DRAFT
        and plan.producer == producer
        and plan.market_plan == "Cửa hàng OCOP tỉnh, du khách"
    )
    services.add_plan_attachment(owner, plan, pdf("phuong-an.pdf"), "Phương án chi tiết")
    services.update_plan(owner, plan, {"investment": 450_000_000, "expected_output": "2 tấn/năm"})
    services.submit_plan(owner, plan)
    services.review_plan(nari_officer, plan, "return", "Bổ sung dự toán chi phí.")
    plan.refresh_from_db()
    assert plan.state == PlanState.RETURNED and plan.return_reason == "Bổ sung dự toán chi phí."
    services.update_plan(owner, plan, {"funding": "Vốn tự có 60%, vay 40%"})
    services.submit_plan(owner, plan)
    services.review_plan(nari_officer, plan, "accept")
    plan.refresh_from_db()
    # Accepting the plan registers the product, in development.
    assert plan.state == PlanState.ACCEPTED
    assert (
        plan.product.name == "Trà hoa vàng Na Rì" and plan.product.lifecycle == ProductLifecycle.DEVELOPMENT
    )
    dossier = services.start_dossier(owner, {"business_plan": plan, "kind": "first"})
    assert (
        dossier.product == plan.product
        and dossier.business_plan == plan
        and dossier.state == DossierState.DRAFT
    )
    assert dossier.versions.get().content["product_name"] == "Trà hoa vàng Na Rì"


def test_an_officer_enters_an_idea_of_someone_not_yet_a_producer(nari_officer, unit):
    with pytest.raises(ValidationError) as exc:
        services.create_idea(
            nari_officer, {"commune": unit(NA_RI), "product_name": "Bánh gai", "description": "x"}
        )
    assert "proposer_name" in exc.value.message_dict
    idea = services.create_idea(
        nari_officer,
        {
            "commune": unit(NA_RI),
            "proposer_name": "Hộ ông Hoàng Văn Dũng",
            "product_name": "Bánh gai lá ngải",
            "description": "Bánh gai truyền thống.",
        },
        submit=True,
    )
    assert idea.state == IdeaState.SUBMITTED
    services.review_idea(nari_officer, idea, "reject", "Sản phẩm đã có nhiều cơ sở sản xuất tương tự.")
    idea.refresh_from_db()
    assert idea.state == IdeaState.REJECTED
    with pytest.raises(ValidationError):
        services.submit_idea(nari_officer, idea)


def test_only_the_commune_reviews_and_a_plan_needs_its_parts(owner, chodon_officer, nari_officer, producer):
    idea = services.create_idea(
        owner,
        {"producer": producer, "product_name": "Mật ong bạc hà", "description": "Mật ong."},
        submit=True,
    )
    with pytest.raises(PermissionDenied):
        services.review_idea(chodon_officer, idea, "accept")
    with pytest.raises(PermissionDenied):
        services.review_idea(owner, idea, "accept")
    services.review_idea(nari_officer, idea, "accept")
    plan = BusinessPlan.objects.get(idea=idea)
    with pytest.raises(ValidationError) as exc:
        services.submit_plan(owner, plan)
    assert {"category", "market_plan"} <= set(exc.value.message_dict)
    with pytest.raises(PermissionDenied):
        services.update_plan(chodon_officer, plan, {"summary": "x"})


def test_a_producer_cannot_file_for_another_producer(owner, province_admin, unit):
    from tests.conftest import CHO_DON

    from .helpers import make_product

    other = make_product(province_admin, "Tương ớt Chợ Đồn", commune=CHO_DON).producer
    with pytest.raises(PermissionDenied):
        services.create_idea(owner, {"producer": other, "product_name": "x", "description": "y"})


def test_attachments_are_checked_by_content_and_size(owner, nari_officer, producer, settings):
    idea = services.create_idea(
        owner, {"producer": producer, "product_name": "Miến", "description": "x"}, submit=True
    )
    services.review_idea(nari_officer, idea, "accept")
    plan = BusinessPlan.objects.get(idea=idea)
    fake = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.add_plan_attachment(owner, plan, fake)
    assert exc.value.error_dict["file"][0].code == "type"
    renamed = SimpleUploadedFile("anh.jpg", pdf().read(), content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.add_plan_attachment(owner, plan, renamed)
    settings.OCOP_MAX_ATTACHMENT_MB = 1
    big = SimpleUploadedFile(
        "lon.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as exc:
        services.add_plan_attachment(owner, plan, big)
    assert exc.value.error_dict["file"][0].code == "too_large"
    attachment = services.add_plan_attachment(owner, plan, pdf())
    assert attachment.content_type == "application/pdf" and len(attachment.sha256) == 64
    assert (
        attachment.file.name.startswith(f"programme/plans/{plan.pk}/")
        and "giay-to" not in attachment.file.name
    )
