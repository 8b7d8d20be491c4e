"""Trade promotion end to end in Chromium: the province's office records a fair through the screens,
adds two participating producers, and the dashboard's promotion indicator
(`[data-testid="indicator-promotion_participations"]`, rebuilt from the summary rows after each
write) shows a larger number than before."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from ocop.activities.models import EventParticipation, PromotionEvent
from tests.conftest import CHO_DON, THAI_NGUYEN
from tests.factories import PASSWORD, make_user
from tests.programme.helpers import make_product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INDICATOR = '[data-testid="indicator-promotion_participations"]'


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def dashboard_figure(page, live_server) -> int:
    page.goto(f"{live_server.url}/reports/")
    text = page.locator(INDICATOR).first.inner_text().strip()
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else 0  # "—" before the first summary


def test_a_fair_with_two_producers_moves_the_promotion_indicator(
    units_loaded, criteria_loaded, live_server, page, output_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_user("vpdp", "province_admin", THAI_NGUYEN, full_name="Nguyễn Thị Hoa")
    office = make_user("sct", "department_officer", THAI_NGUYEN, full_name="Lê Thị Thu")
    admin = make_user("tn.admin", "province_admin", THAI_NGUYEN)
    one = make_product(admin, name="Miến dong Tài Hoan")
    two = make_product(admin, name="Chè Shan tuyết Chợ Đồn", commune=CHO_DON)
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, live_server, "vpdp")
    before = dashboard_figure(page, live_server)

    # The Department of Industry and Trade records the fair (its area defaults to the province).
    sign_in(page, live_server, "sct")
    today = timezone.localdate()
    start = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=3))
    page.goto(f"{live_server.url}/activities/events/new/")
    form = page.locator("form[data-testid=object-form]")
    form.locator("input[name=name]").fill("Hội chợ OCOP tỉnh Thái Nguyên")
    form.locator("select[name=kind]").select_option("fair")
    form.locator("input[name=start_date]").fill(start.isoformat())
    form.locator("input[name=end_date]").fill(today.isoformat())
    form.locator("select[name=place]").select_option("inside")
    form.locator("input[name=venue]").fill("Quảng trường Võ Nguyên Giáp, Thái Nguyên")
    form.locator("input[name=organiser]").fill("Sở Công Thương tỉnh Thái Nguyên")
    form.locator("input[name=responsible_unit]").fill("Sở Công Thương")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=participants]")
    fair = PromotionEvent.objects.get(name="Hội chợ OCOP tỉnh Thái Nguyên")
    assert fair.created_at and office.pk  # recorded by the department officer
    assert fair.area.path == THAI_NGUYEN

    for product in (one, two):
        participation = page.locator("form[data-testid=participation-form]")
        participation.locator("select[name=producer]").select_option(str(product.producer_id))
        participation.locator("select[name=products]").select_option([str(product.pk)])
        participation.locator("input[name=sales_amount]").fill("12000000")
        participation.locator("button[type=submit]").click()
        page.wait_for_selector("[data-testid=participants]")
    assert page.locator("[data-testid=participant-count]").inner_text().strip() == "2"
    assert EventParticipation.objects.filter(event=fair).count() == 2
    page.screenshot(path=str(output_dir / "fair-participants.png"), full_page=True)

    # The dashboard, rebuilt after the writes, counts the two participations.
    sign_in(page, live_server, "vpdp")
    after = dashboard_figure(page, live_server)
    page.screenshot(path=str(output_dir / "dashboard.png"), full_page=True)
    assert after > before
    assert after - before == 2
