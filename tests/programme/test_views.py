"""The screens: the whole path clicked through, list filters, and query counts that do not grow
with the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ocop.evaluation import services as evaluation
from ocop.evaluation.scoring import SheetTree
from ocop.programme import services
from ocop.programme.choices import DossierState, IdeaState
from ocop.programme.models import BusinessPlan, Dossier, ProductIdea, ProgrammeCycle
from tests.conftest import CHO_DON, NA_RI, THAI_NGUYEN
from tests.evaluation.helpers import make_council
from tests.factories import make_user

from .helpers import CONTENT, fill, make_product, open_cycle, pdf, to_province

pytestmark = pytest.mark.django_db
D = dt.date


def _ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def test_the_path_clicked_through(client, owner, nari_officer, province_admin, product):
    # The producer files an idea on the screen.
    client.force_login(owner)
    response = client.get(reverse("programme:idea_create"))
    assert response.status_code == 200
    _ok(
        client.post(
            reverse("programme:idea_create"),
            {
                "producer": product.producer.pk,
                "kind": "new",
                "product_name": "Miến dong đỏ",
                "description": "Miến từ dong đỏ.",
                "submit": "1",
            },
        )
    )
    idea = ProductIdea.objects.get(product_name="Miến dong đỏ")
    assert idea.state == IdeaState.SUBMITTED
    # The commune returns it, with a reason the producer sees.
    client.force_login(nari_officer)
    _ok(
        client.post(
            reverse("programme:idea_action", args=[idea.pk, "review"]), {"decision": "return", "reason": ""}
        )
    )
    assert ProductIdea.objects.get(pk=idea.pk).state == IdeaState.SUBMITTED  # no reason, no return
    _ok(
        client.post(
            reverse("programme:idea_action", args=[idea.pk, "review"]),
            {"decision": "return", "reason": "Nêu vùng nguyên liệu."},
        )
    )
    client.force_login(owner)
    assert "Nêu vùng nguyên liệu." in client.get(idea.get_absolute_url()).content.decode()
    assert "Nêu vùng nguyên liệu." in client.get(reverse("programme:my")).content.decode()
    # The producer files the dossier of the existing product on the screens.
    _ok(client.post(reverse("programme:dossier_create"), {"product": product.pk, "kind": "first"}))
    dossier = Dossier.objects.get(product=product)
    _ok(
        client.post(
            reverse("programme:dossier_edit", args=[dossier.pk]),
            {k: v for k, v in CONTENT.items() if v is not True} | {"has_business_registration": "on"},
        )
    )
    version = dossier.versions.get()
    assert (
        version.content["history"] == CONTENT["history"]
        and version.content["has_business_registration"] is True
    )
    tree = SheetTree.load(version.sheet)
    answers = {f"option-{n.id}": max(n.options, key=lambda o: o[2])[0] for n in tree.scorable}
    _ok(client.post(reverse("programme:dossier_assessment", args=[dossier.pk]), answers))
    page = client.get(reverse("programme:dossier_assessment", args=[dossier.pk])).content.decode()
    assert 'data-testid="self-total"' in page
    _ok(
        client.post(
            reverse("programme:evidence_add", args=[dossier.pk]),
            {
                "kind": "legal",
                "paper": "business_registration",
                "title": "Giấy CN đăng ký HTX",
                "file": pdf(),
            },
        )
    )
    assert dossier.versions.get().evidence.count() == 1
    _ok(client.post(reverse("programme:dossier_action", args=[dossier.pk, "submit"])))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.AT_COMMUNE
    # The commune does its step on the screens.
    client.force_login(nari_officer)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="commune-step"' in page
    _ok(client.post(reverse("programme:dossier_action", args=[dossier.pk, "samples"]), {"count": 5}))
    today = timezone.localdate().isoformat()
    _ok(
        client.post(
            reverse("programme:commune_report", args=[dossier.pk]),
            {
                "raw_materials": "Dong riềng của 45 hộ trong xã.",
                "local_labour": "20 lao động địa phương.",
                "idea_origin": "traditional",
                "local_identity": "Nghề tráng miến thủ công.",
                "report_number": "12/BC-UBND",
                "report_date": today,
                "letter_number": "13/UBND",
                "letter_date": today,
                "signer_name": "Hoàng Văn Xã",
                "signer_title": "Chủ tịch",
            },
        )
    )
    _ok(client.post(reverse("programme:dossier_action", args=[dossier.pk, "propose"])))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.AT_PROVINCE
    client.force_login(province_admin)
    _ok(client.post(reverse("programme:dossier_action", args=[dossier.pk, "accept"])))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ACCEPTED
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="complete"' in page


def test_assigning_on_the_screen(client, owner, nari_officer, province_admin, product):
    year = timezone.localdate().year + 1
    _cycle, round_ = open_cycle(province_admin, year)
    council = make_council(province_admin, members=1, secretary=False)
    session = evaluation.create_session(
        province_admin, {"council": council, "name": "Phiên 1", "date": D(year, 6, 20), "mode": "meeting"}
    )
    dossier = services.start_dossier(owner, {"product": product, "kind": "first"})
    dossier = to_province(owner, nari_officer, dossier, day=D(year, 3, 2))
    services.accept_dossier(province_admin, dossier, day=D(year, 3, 3))
    client.force_login(province_admin)
    assert 'data-testid="assign"' in client.get(dossier.get_absolute_url()).content.decode()
    _ok(
        client.post(
            reverse("programme:dossier_action", args=[dossier.pk, "assign"]),
            {"round": round_.pk, "session": session.pk},
        )
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ASSIGNED and dossier.entry.session == session


def test_the_cycle_on_the_screens(client, province_admin, unit):
    client.force_login(province_admin)
    _ok(client.post(reverse("programme:cycle_create"), {"year": 2027, "area": unit(THAI_NGUYEN).pk}))
    cycle = ProgrammeCycle.objects.get(year=2027)
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert "Đợt 1 năm 2027" in page and 'data-testid="steps"' in page
    _ok(client.post(reverse("programme:cycle_action", args=[cycle.pk, "start"])))
    step = cycle.steps.get(step="evaluate")
    _ok(client.post(reverse("programme:step_action", args=[step.pk, "start"])))
    _ok(
        client.post(
            reverse("programme:step_edit", args=[step.pk]),
            {
                "planned_start": "2027-01-01",
                "planned_end": "2027-12-30",
                "responsible": "Văn phòng Điều phối NTM tỉnh",
            },
        )
    )
    step.refresh_from_db()
    assert step.state == "active" and step.responsible == "Văn phòng Điều phối NTM tỉnh"
    round_ = cycle.rounds.get(level="province", number=1)
    _ok(client.post(reverse("programme:round_action", args=[round_.pk, "open"])))
    round_.refresh_from_db()
    assert round_.state == "active"


def test_the_dossier_list_filters_by_state_and_overdue(client, owner, nari_officer, product):
    dossier = services.start_dossier(owner, {"product": product, "kind": "first"})
    fill(owner, dossier)
    services.submit_dossier(owner, dossier, day=D(2026, 2, 13))
    client.force_login(nari_officer)
    page = client.get(reverse("programme:dossier_list"), {"overdue": "true"}).content.decode()
    assert dossier.code in page
    page = client.get(reverse("programme:dossier_list"), {"state": "draft"}).content.decode()
    assert dossier.code not in page
    page = client.get(reverse("programme:overdue")).content.decode()
    assert dossier.code in page


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"per_page": 100}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/programme/dossiers/",
        "/programme/ideas/",
        "/programme/plans/",
        "/programme/cycles/",
        "/programme/overdue/",
    ],
)
def test_list_query_counts_do_not_grow_with_rows(client, province_admin, url):
    officer = make_user("tn.xa", "commune_officer", THAI_NGUYEN)  # a commune officer's role over all communes

    def add(start, n):
        for i in range(start, start + n):
            product = make_product(province_admin, f"Sản phẩm số {i}", commune=NA_RI if i % 2 else CHO_DON)
            services.create_idea(
                officer,
                {"producer": product.producer, "product_name": f"Ý tưởng {i}", "description": "x"},
                submit=True,
            )
            BusinessPlan.objects.create(
                commune=product.commune,
                producer=product.producer,
                title=f"Phương án {i}",
                product_name="x",
                filed_by=province_admin,
            )
            dossier = services.start_dossier(officer, {"product": product, "kind": "first"})
            fill(officer, dossier)
            services.submit_dossier(officer, dossier, day=D(2026, 2, 13))
            services.create_cycle(province_admin, {"year": 2030 + i, "area": product.commune})

    client.force_login(province_admin)
    add(0, 2)
    few = _count(client, url)
    add(2, 8)
    assert _count(client, url) == few
    assert Dossier.objects.count() == 10
