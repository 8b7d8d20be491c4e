"""Three council members score one product in the browser, answer by answer; the chair closes it;
the minutes download and show the right stars."""

import io
from decimal import Decimal

import pytest
from docx import Document

from ocop.evaluation.demo import answers_for_total
from ocop.evaluation.models import EvaluationResult, Scorecard
from ocop.evaluation.scoring import SheetTree
from tests.conftest import THAI_NGUYEN
from tests.evaluation.helpers import make_council, make_product, make_session, scorers
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_three_members_score_the_chair_closes_and_the_minutes_show_the_stars(
    units_loaded, criteria_loaded, live_server, page, output_dir
):
    office = make_user("vpdp", "province_admin", THAI_NGUYEN, full_name="Nguyễn Thị Hoa")
    council = make_council(office, members=2)
    product = make_product(office, name="Miến dong Tài Hoan")
    session, (entry,) = make_session(office, council, [product])
    tree = SheetTree.load(entry.sheet)
    page.on("dialog", lambda dialog: dialog.accept())

    for user, target in zip(scorers(council), (74, 76, 78), strict=True):
        sign_in(page, live_server, user.username)
        page.goto(f"{live_server.url}/evaluation/")
        page.click(f"[data-testid=score-{entry.pk}]")
        page.wait_for_selector("[data-scorecard]")
        answers = answers_for_total(tree, target)
        for node in tree.scorable:
            form = page.locator(f"form[data-criterion='{node.id}']")
            form.locator(f"input[value='{answers[node.id]}']").check()
            form.locator(".saved-mark.text-success, .saved-mark:has(.text-success)").wait_for()
        assert page.inner_text("[data-testid=running-total]").strip() == str(target)
        if user == scorers(council)[0]:
            page.screenshot(path=str(output_dir / "scorecard.png"), full_page=False)
        page.click("[data-testid=submit-scorecard]")
        page.wait_for_selector("[data-testid=entry-state]")
        assert Scorecard.objects.get(entry=entry, member__user=user).state == "submitted"

    chair = council.members.get(role="chair").user
    sign_in(page, live_server, chair.username)
    page.goto(f"{live_server.url}/evaluation/products/{entry.pk}/")
    page.click("[data-testid=close-product]")
    page.wait_for_selector("[data-testid=result-average]")
    assert page.inner_text("[data-testid=result-average]").strip() in ("76,00", "76.00")
    assert page.inner_text("[data-testid=result-stars]").strip() == "★★★★"
    result = EvaluationResult.objects.get(entry=entry)
    assert (result.average, result.stars) == (Decimal("76.00"), 4)
    page.screenshot(path=str(output_dir / "result.png"), full_page=True)

    page.goto(f"{live_server.url}/evaluation/sessions/{session.pk}/")
    with page.expect_download() as download_info:
        page.click("[data-testid=minutes-docx]")
    path = output_dir / "bien-ban.docx"
    download_info.value.save_as(path)
    document = Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text + "\n".join(cells)
    row = next(
        r for t in document.tables for r in t.rows if any("Miến dong Tài Hoan" in c.text for c in r.cells)
    )
    row_text = " | ".join(c.text for c in row.cells)
    assert "76,00" in row_text and "4 sao" in row_text, row_text
    assert "công nhận sản phẩm OCOP 4 sao" in row_text
