"""An administrator reads the view statistics in a real browser: curves, a comparison, a province, CSV."""

import csv
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from smartedu.stats.selectors import today
from tests.browser.conftest import login


@pytest.fixture
def seeded(committed_db):
    """The demo accounts and the demo view history (what a fresh ``make run`` seeds for the dashboards)."""
    from smartedu.accounts.seed import seed_accounts
    from smartedu.stats.seed import seed_view_history

    def quiet(items, **kwargs):
        return items

    seed_accounts(scale="small", progress=quiet)
    seed_view_history(scale="small", progress=quiet)


def nav(page, path: str):
    return page.locator(f'nav.dashboard-nav a[href="{path}"]')


def test_an_admin_reads_curves_compares_periods_drills_into_a_province_and_exports(page, seeded):
    login(page, "admin")
    # the account navigation leads to the dashboard
    page.locator(".account-nav a[href='/dashboard/']").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # the seeded curves: a chart drawn by ECharts beside its 90-row table
    expect(page.locator('[data-chart="trend"][data-rendered="true"] svg')).to_be_visible()
    expect(page.locator("#table-trend tbody tr")).to_have_count(90)
    expect(page.locator('[data-kpi="total"] dd')).not_to_have_text("0")

    # two periods compared: the first and the last two weeks of the seed's March
    nav(page, "/dashboard/compare/").click()
    yesterday = today() - timedelta(days=1)
    page.locator("#id_a_start").fill((yesterday - timedelta(days=30)).isoformat())
    page.locator("#id_a_end").fill((yesterday - timedelta(days=17)).isoformat())
    page.locator("#id_b_start").fill((yesterday - timedelta(days=13)).isoformat())
    page.locator("#id_b_end").fill(yesterday.isoformat())
    page.locator("#id_platform").select_option("k12")
    page.locator("form.dashboard-filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"a_start="))
    expect(page.locator('[data-kpi="growth"] dd')).to_have_text("2.6×")
    expect(page.locator('[data-chart="daily"][data-rendered="true"] svg')).to_be_visible()

    # the province ranking, Guangxi first, and its own trend
    nav(page, "/dashboard/provinces/").click()
    first = page.locator("#table-provinces tbody tr").first
    expect(first.locator("td").nth(1)).to_have_text("45")
    first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/dashboard/provinces/45/"))
    expect(page.locator("h1[data-province='45']")).to_be_visible()
    expect(page.locator('[data-chart="trend"][data-rendered="true"] svg')).to_be_visible()

    # the province's trend as CSV
    with page.expect_download() as download:
        page.locator("a.export").first.click()
    with open(download.value.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 1 + 90
    assert rows[-2][0] == yesterday.isoformat()
    assert int(rows[-2][-1]) > 0
