"""Walk every registered URL and API route as an out-of-scope user (and as nobody).

Every route must be classified below. A new view that is not classified fails this test, so
each issue that adds views must say how they are scoped — jurisdiction leaks are the most
common serious bug in systems like this. The out-of-scope user is the commune officer of Chợ
Đồn; the secrets belong to Na Rì, a neighbouring commune of the same province.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import transaction

from ocop.accounts import services
from ocop.audit import services as audit
from ocop.certification import services as certification
from ocop.core.models import TaskProgress
from ocop.evaluation import services as evaluation
from ocop.registry import selfservice
from ocop.registry import services as registry
from ocop.registry.models import Producer, Product, ProductCategory
from tests.conftest import NA_RI
from tests.factories import make_user
from tests.scope_cases import Case, api_names, url_names

pytestmark = pytest.mark.django_db

SECRET = "BI-MAT-NA-RI"

# Routes anyone may open without signing in.
PUBLIC = {
    "core:health",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "set_language",
    "javascript-catalog",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    # Certificate verification: anyone who scans a label (live status only, nothing internal).
    "certification:verify",
    "certification:public_keys",
    "api:check_label",
    # The public catalogue and its open data (published, certified products only).
    "catalogue:product_list",
    "catalogue:product_detail",
    "catalogue:photo",
    "catalogue:producer_detail",
    "catalogue:open_data",
    "catalogue:open_data_csv",
    "catalogue:open_data_json",
    "catalogue:set_language",
}
# Reference data every signed-in user may read (places and the 2025 successions).
REFERENCE = {
    "geo:unit_list",
    "geo:unit_search",
    "geo:succession_list",
    "geo:unit_detail",
    "api:list_units",
    "api:get_unit_by_code",
    "api:get_unit",
    "api:unit_children",
    "api:unit_successors",
    "api:unit_predecessors",
    "api:list_categories",
    # The criteria (rule versions and score sheets) are legal reference data.
    "evaluation:rule_list",
    "evaluation:sheet_detail",
    "evaluation:sheet_export",
    "api:list_rules",
    "api:get_rule",
    "api:list_sheets",
    "api:get_sheet",
}
# Pages about the signed-in user themself (no other user's data reachable through them).
OWN = {
    "registry:my",
    "core:home",
    "accounts:logout",
    "accounts:password_change",
    "accounts:profile",
    "core:notifications",
    "accounts:token_create",
    "api:me",
    # A council member's own work list (only councils they sit on); a producer's own dossiers.
    "evaluation:my",
    "programme:my",
    "api:my_work",
}


def scoped_cases(secrets) -> dict[str, Case]:
    user, assignment, token, progress = (
        secrets["user"],
        secrets["assignment"],
        secrets["token"],
        secrets["progress"],
    )
    producer, product, listing = secrets["producer"], secrets["product"], secrets["listing"]
    area = secrets["area"]
    return {
        "core:task_progress": Case(kwargs={"pk": progress.pk}),
        "accounts:token_revoke": Case("post", {"pk": token.pk}),
        "accounts:user_list": Case(expect="absent", data={"q": ""}),
        "accounts:user_create": Case(
            "post",
            data={
                "username": "x",
                "full_name": "x",
                "password": "Abcdefgh-123",
                "role": 1,
                "area": secrets["area"].pk,
            },
        ),
        "accounts:user_detail": Case(kwargs={"pk": user.pk}),
        "accounts:user_edit": Case(kwargs={"pk": user.pk}),
        "accounts:user_set_active": Case("post", {"pk": user.pk}, {"active": "0"}),
        "accounts:role_grant": Case("post", {"pk": user.pk}, {"role": assignment.role_id}),
        "accounts:role_revoke": Case("post", {"pk": assignment.pk}),
        "audit:event_list": Case(expect="absent"),
        "geo:reload": Case("post"),
        "api:list_users": Case(expect="absent"),
        "api:get_user": Case(kwargs={"user_id": user.pk}),
        "api:list_events": Case(expect="absent"),
        # Registries: the producer and product of Na Rì.
        "registry:producer_list": Case(expect="absent"),
        "registry:producer_create": Case(
            "post", data={"kind": "cooperative", "name": "HTX Xâm Nhập", "commune": area.pk}, expect="refused"
        ),
        "registry:producer_detail": Case(kwargs={"pk": producer.pk}),
        "registry:producer_edit": Case(kwargs={"pk": producer.pk}),
        "registry:producer_status": Case(
            "post",
            {"pk": producer.pk},
            {"status": "dissolved", "effective_date": "2026-01-01", "reason": "x"},
        ),
        "registry:producer_linkage": Case("post", {"pk": producer.pk}, {"partner": "Đối tác"}),
        "registry:producer_linkage_delete": Case("post", {"pk": producer.pk, "linkage_id": 1}),
        "registry:product_list": Case(expect="absent"),
        # Excel import: the form and the template hold nothing of Na Rì; Na Rì's upload is not found.
        "registry:import": Case(expect="absent"),
        "registry:import_template": Case(expect="absent"),
        "registry:import_preview": Case(kwargs={"token": secrets["import"].token}),
        "registry:import_confirm": Case("post", {"token": secrets["import"].token}),
        "registry:product_create": Case(
            "post",
            data={
                "name": "Xâm nhập",
                "producer": producer.pk,
                "category": product.category_id,
                "commune": area.pk,
                "lifecycle": "active",
            },
            expect="refused",
        ),
        "registry:product_detail": Case(kwargs={"pk": product.pk}),
        "registry:product_edit": Case(kwargs={"pk": product.pk}),
        "registry:product_action": Case("post", {"pk": product.pk, "action": "code"}, {"year": 2026}),
        "registry:product_child_delete": Case(
            "post", {"pk": product.pk, "action": "listing", "child_id": listing.pk}
        ),
        "registry:photo_upload": Case("post", {"pk": product.pk}, {"caption": "x"}),
        "registry:photo_delete": Case("post", {"pk": product.pk, "photo_id": 1}),
        "registry:photo_file": Case(kwargs={"pk": product.pk, "photo_id": 1, "size": "full"}),
        "registry:my_producer_edit": Case(kwargs={"pk": producer.pk}),
        "registry:my_product_edit": Case("post", {"pk": product.pk}, {"packaging": "x"}),
        "registry:change_request_list": Case(expect="absent"),
        "registry:change_request": Case(
            "post", {"pk": secrets["change_request"].pk}, {"decision": "approve"}
        ),
        "api:list_producers": Case(expect="absent"),
        "api:get_producer": Case(kwargs={"producer_id": producer.pk}),
        "api:create_producer": Case(
            "post", data={"kind": "cooperative", "name": "HTX Xâm Nhập", "commune_id": area.pk}, json=True
        ),
        "api:update_producer": Case("patch", {"producer_id": producer.pk}, {"name": "Đổi tên"}, json=True),
        "api:list_products": Case(expect="absent"),
        "api:get_product": Case(kwargs={"product_id": product.pk}),
        "api:create_product": Case(
            "post",
            data={
                "name": "Xâm nhập",
                "producer_id": producer.pk,
                "category_id": product.category_id,
                "commune_id": area.pk,
            },
            json=True,
        ),
        # Evaluation: a Thái Nguyên council scoring Na Rì's products (none of it the Chợ Đồn officer's).
        **evaluation_cases(secrets),
        "api:update_product": Case(
            "patch",
            {"product_id": product.pk},
            {
                "name": "Đổi",
                "producer_id": producer.pk,
                "category_id": product.category_id,
                "commune_id": area.pk,
            },
            json=True,
        ),
    }


def evaluation_cases(secrets) -> dict[str, Case]:
    council, session = secrets["council"], secrets["session"]
    entry, card, member = secrets["entry"], secrets["card"], secrets["member"]
    thai_nguyen = council.area
    node = card.sheet.criteria.filter(is_scorable=True).first()
    return {
        "evaluation:council_list": Case(expect="absent"),
        "evaluation:council_create": Case(
            "post",
            data={"name": f"Hội đồng {SECRET} 2", "level": "province", "area": thai_nguyen.pk},
            expect="refused",
        ),
        "evaluation:council_detail": Case(kwargs={"pk": council.pk}),
        "evaluation:council_edit": Case(kwargs={"pk": council.pk}),
        "evaluation:member_add": Case("post", {"pk": council.pk}, {"user": member.user_id, "role": "member"}),
        "evaluation:member_edit": Case(kwargs={"pk": member.pk}),
        "evaluation:advisor_add": Case("post", {"pk": council.pk}, {"full_name": "x"}),
        "evaluation:advisor_remove": Case("post", {"pk": council.pk, "advisor_id": secrets["advisor"].pk}),
        "evaluation:session_list": Case(expect="absent"),
        "evaluation:session_create": Case(
            "post",
            data={"council": council.pk, "name": "x", "date": "2026-06-20", "mode": "meeting"},
            expect="refused",
        ),
        "evaluation:session_detail": Case(kwargs={"pk": session.pk}),
        "evaluation:session_edit": Case(kwargs={"pk": session.pk}),
        "evaluation:session_document": Case(kwargs={"pk": session.pk, "fmt": "docx"}),
        "evaluation:session_action": Case("post", {"pk": session.pk, "action": "close"}),
        "evaluation:entry_detail": Case(kwargs={"pk": entry.pk}),
        "evaluation:score": Case(kwargs={"pk": entry.pk}),
        "evaluation:entry_action": Case("post", {"pk": entry.pk, "action": "close"}),
        "evaluation:scorecard": Case(kwargs={"pk": card.pk}),
        "evaluation:answer": Case(
            "post", {"pk": card.pk}, {"criterion": node.pk, "option": node.options.first().pk}
        ),
        "evaluation:scorecard_pdf": Case(kwargs={"pk": card.pk}),
        "evaluation:scorecard_action": Case("post", {"pk": card.pk, "action": "reopen"}, {"reason": "x"}),
        "evaluation:result_list": Case(expect="absent"),
        "evaluation:sheet_import": Case("post", data={}, expect="refused"),
        "evaluation:sheet_import_preview": Case(kwargs={"token": "x" * 32}),
        "evaluation:sheet_publish": Case("post", {"token": "x" * 32}),
        # Certification: Na Rì's certificate and the draft decision over its product's result.
        "certification:certificate_list": Case(expect="absent"),
        "certification:certificate_detail": Case(kwargs={"pk": secrets["certificate"].pk}),
        "certification:certificate_file": Case(kwargs={"pk": secrets["certificate"].pk, "fmt": "pdf"}),
        "certification:certificate_action": Case(
            "post",
            {"pk": secrets["certificate"].pk, "action": "revoke"},
            {"ground": "stopped", "decision_number": "1/QĐ", "decision_date": "2026-06-30"},
        ),
        "certification:certificate_record": Case(
            "post",
            {"product_id": entry.product_id},
            {"stars": 4, "decision_number": "x", "issued_on": "2024-01-01", "issuing_level": "province"},
        ),
        "certification:decision_list": Case(expect="absent"),
        "api:list_certificates": Case(expect="absent"),
        "api:get_certificate": Case(kwargs={"certificate_id": secrets["certificate"].pk}),
        "certification:decision_create": Case(
            "post", data={"kind": "recognition", "result": secrets["result"].pk}
        ),
        "certification:decision_detail": Case(kwargs={"pk": secrets["decision"].pk}),
        "certification:decision_action": Case(kwargs={"pk": secrets["decision"].pk, "action": "docx"}),
        "api:list_councils": Case(expect="absent"),
        "api:list_sessions": Case(expect="absent"),
        "api:get_session": Case(kwargs={"session_id": session.pk}),
        "api:open_scorecard": Case("post", {"entry_id": entry.pk}),
        "api:get_scorecard": Case(kwargs={"card_id": card.pk}),
        "api:save_answer": Case(
            "put",
            {"card_id": card.pk, "criterion_id": node.pk},
            {"option_id": node.options.first().pk},
            json=True,
        ),
        "api:submit": Case("post", {"card_id": card.pk}, {}, json=True),
        "api:close": Case("post", {"entry_id": entry.pk}),
        "api:list_results": Case(expect="absent"),
        "api:decide": Case(
            "post",
            {"result_id": secrets["result"].pk},
            {"approve": True, "decision_number": "1/QĐ", "decision_date": "2026-06-30"},
            json=True,
        ),
    }


def all_routes():
    return list(url_names())


@pytest.fixture
def secrets(nari_officer, unit, settings, tmp_path):
    """Things that belong to Na Rì: a user, their role, their token and task, an audit event."""
    from ocop.registry import importer

    settings.OCOP_IMPORT_DIR = str(tmp_path / "imports")
    area = unit(NA_RI)
    user = nari_officer
    user.full_name = f"Người {SECRET}"
    user.save()
    with transaction.atomic():
        audit.record(actor=None, action="other", object_type="test.secret", object_repr=SECRET, area=area)
    token, _raw = services.create_token(user, name=SECRET)
    progress = TaskProgress.objects.create(owner=user, label=SECRET)
    producer = registry.create_producer(
        user, {"kind": "cooperative", "name": f"HTX {SECRET}", "commune": area}
    )
    category = ProductCategory.objects.get(scheme__code="26-2026", level=3, code="7")
    product = registry.create_product(
        user, {"name": f"Miến {SECRET}", "producer": producer, "commune": area, "category": category}
    )
    listing = registry.add_child(
        user, product, "listing", {"platform": "shopee", "url": "https://shopee.vn/x"}
    )
    owner = make_user("htx.bimat", "producer", NA_RI)
    producer.accounts.add(owner)
    _applied, change_request = selfservice.submit_producer_edit(
        owner, producer, {"name": f"HTX {SECRET} mới"}
    )
    upload = f"Tên chủ thể,Xã/phường\nHTX {SECRET} 2,Na Rì\n".encode()
    stored_import = importer.StoredImport.create(user, upload, f"{SECRET}.csv", importer.parse_file(upload))
    importer.run_validation(stored_import, user)
    evaluation = _evaluation_secrets(area)
    return {
        **evaluation,
        "import": stored_import,
        "change_request": change_request,
        "user": user,
        "assignment": user.role_assignments.get(),
        "token": token,
        "progress": progress,
        "area": area,
        "producer": producer,
        "product": product,
        "listing": listing,
    }


def _evaluation_secrets(area):
    """A Thái Nguyên council with an open session scoring two Na Rì products: one closed (with its
    result), one still being scored (a member's draft scorecard)."""
    from tests.conftest import THAI_NGUYEN
    from tests.evaluation.helpers import chair, make_council, make_product, make_session, score_to, scorers

    office = make_user("tn.office", "province_admin", THAI_NGUYEN)
    council = make_council(office, members=1, secretary=False, name=f"Hội đồng {SECRET}")
    advisor = evaluation.add_advisor(office, council, {"full_name": f"Tư vấn {SECRET}"})
    products = [make_product(office, name=f"Sản phẩm {SECRET} {i}", commune=area.path) for i in (1, 2)]
    session, (entry, closed) = make_session(office, council, products)
    users = scorers(council)
    for user in users:
        score_to(user, closed, 70)
    result = evaluation.close_product(chair(council), closed).result
    card = score_to(users[1], entry, 60, submit=False)
    decision = certification.draft_decision(office, "recognition", [result])
    certificate = certification.record_certificate(
        office,
        products[0],
        {
            "stars": 3,
            "decision_number": f"{SECRET}/QĐ",
            "issued_on": dt.date(2025, 1, 10),
            "issuing_level": "province",
        },
    )
    return {
        "council": council,
        "session": session,
        "entry": entry,
        "card": card,
        "member": card.member,
        "advisor": advisor,
        "result": result,
        "decision": decision,
        "certificate": certificate,
    }


def _url(name, pattern, kwargs):
    from django.urls import reverse

    if (pattern.pattern.converters or "<" in str(pattern.pattern)) and not kwargs:
        kwargs = {k: _dummy(v) for k, v in pattern.pattern.converters.items()}
    return reverse(name, kwargs=kwargs or None)


def _dummy(converter):
    name = type(converter).__name__
    return (
        uuid.uuid4() if name == "UUIDConverter" else (1 if name in ("IntConverter", "IdConverter") else "x")
    )


def _call(client, method, url, case):
    if case.json:
        return getattr(client, method)(url, case.data, content_type="application/json")
    return getattr(client, method)(url, case.data)


def walked_elsewhere() -> set[str]:
    """Routes whose out-of-scope walk lives in their app's tests: the screens and API of the
    programme, planning, reporting, activities, quality and funding apps (each app's
    tests/<app>/test_scope.py walks every one of its routes as the Chợ Đồn officer and as an
    anonymous visitor, with its own records of Na Rì)."""
    import importlib

    apps = ("programme", "planning", "reporting", "activities", "quality", "funding")
    api = set()
    for app in apps:
        api |= api_names(importlib.import_module(f"ocop.{app}.api").router)
    return {name for name, _p in all_routes() if name and name.split(":")[0] in apps} | api


def test_every_route_is_classified(secrets):
    cases = scoped_cases(secrets)
    unnamed = [str(p.pattern) for name, p in all_routes() if not name]
    unclassified = sorted(
        name
        for name, _p in all_routes()
        if name and name not in PUBLIC | REFERENCE | OWN | set(cases) | walked_elsewhere()
    )
    assert unnamed == [], f"routes without a name cannot be classified: {unnamed}"
    assert unclassified == [], f"classify these routes in tests/test_scope_walk.py: {unclassified}"


def test_out_of_scope_user_is_refused_or_sees_nothing(client, chodon_officer, secrets):
    client.force_login(chodon_officer)
    cases = scoped_cases(secrets)
    routes = dict(all_routes())
    failures = []
    counts = (Producer.objects.count(), Product.objects.count())
    for name, case in cases.items():
        url = _url(name, routes[name], case.kwargs)
        response = _call(client, case.method, url, case)
        body = response.content.decode(errors="replace")
        if case.expect == "denied" and response.status_code not in (403, 404):
            failures.append(f"{name} {url}: {response.status_code}, expected 403/404")
        if case.expect == "refused" and response.status_code not in (400, 403, 404):
            failures.append(f"{name} {url}: {response.status_code}, expected 400/403/404")
        if case.expect == "absent" and (response.status_code not in (200, 403) or SECRET in body):
            failures.append(f"{name} {url}: {response.status_code}, secret leaked={SECRET in body}")
    assert failures == []
    # Nothing was changed by any of those requests.
    assert (Producer.objects.count(), Product.objects.count()) == counts
    secrets["product"].refresh_from_db()
    assert secrets["product"].code is None and secrets["product"].listings.count() == 1
    secrets["producer"].refresh_from_db()
    assert secrets["producer"].status == "active" and SECRET in secrets["producer"].name
    assert secrets["change_request"].__class__.objects.get(pk=secrets["change_request"].pk).state == "pending"
    secrets["card"].refresh_from_db()
    assert secrets["card"].state == "draft" and secrets["card"].total == 60
    secrets["entry"].refresh_from_db()
    secrets["result"].refresh_from_db()
    assert secrets["entry"].state == "scoring" and secrets["result"].state == "proposed"
    assert secrets["session"].__class__.objects.get(pk=secrets["session"].pk).state == "open"
    secrets["certificate"].refresh_from_db()
    secrets["decision"].refresh_from_db()
    assert secrets["certificate"].state == "valid" and secrets["decision"].state == "draft"
    assert (
        secrets["council"].members.count() == 2
        and secrets["advisor"].__class__.objects.get(pk=secrets["advisor"].pk).is_active
    )
    secrets["user"].refresh_from_db()
    assert secrets["user"].is_active
    assert secrets["user"].role_assignments.count() == 1
    assert secrets["token"].__class__.objects.get(pk=secrets["token"].pk).revoked_at is None


def test_out_of_scope_exports_leak_nothing(client, chodon_officer, secrets):
    client.force_login(chodon_officer)
    for url in (
        "/accounts/users/",
        "/audit/",
        "/registry/producers/",
        "/registry/products/",
        "/evaluation/councils/",
        "/evaluation/sessions/",
        "/evaluation/results/",
        "/certificates/",
        "/decisions/",
    ):
        for fmt in ("csv", "xlsx"):
            response = client.get(url, {"export": fmt})
            assert response.status_code in (200, 403)
            assert SECRET.encode() not in response.content


def test_anonymous_is_sent_to_login_everywhere_but_public_routes(client, secrets):
    cases = scoped_cases(secrets)
    failures = []
    elsewhere = walked_elsewhere()
    for name, pattern in all_routes():
        if name in PUBLIC or name is None or name in elsewhere:
            continue
        case = cases.get(name, Case())
        url = _url(name, pattern, case.kwargs)
        method = (
            case.method
            if name in cases
            else ("post" if name in {"accounts:logout", "accounts:token_create"} else "get")
        )
        response = _call(client, method, url, case)
        if name.startswith("api:"):
            ok = response.status_code == 401
        else:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        if not ok:
            failures.append(f"{name} {url}: {response.status_code}")
    assert failures == []
