"""Higher education in a real browser: a learner progresses, the ministry switches, an officer sees a flag."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from higher_ed import catalogue, services
from higher_ed.models import Enrollment
from smartedu.accounts.models import User
from smartedu.institutions.services import affiliation_set
from tests.browser.conftest import login
from tests.factories.higher_ed import course, learner, teacher, university


@pytest.fixture(autouse=True)
def _fresh_index():
    catalogue.forget()
    yield
    catalogue.forget()


def test_a_learner_filters_opens_a_course_enrols_and_makes_progress(page, demo_accounts):
    wanted = course("数据结构", first_class=True, teachers=(teacher("李明"),))
    course("操作系统")  # 工学 but not first-class
    course("宏观经济学", class_code="0201", first_class=True)  # first-class but not 工学
    login(page, "student")

    page.goto("/higher-ed/")
    page.locator('[data-facet="category"]').get_by_role("link", name="工学").click()
    expect(page).to_have_url(re.compile(r"/higher-ed/\?category=08$"))
    page.locator('[data-facet="first_class"]').get_by_role("link", name="国家一流课程").click()
    expect(page).to_have_url(re.compile(r"category=08&first_class=true"))  # every choice is in the address
    expect(page.locator(".he-course")).to_have_count(1)
    expect(page.locator('[data-facet="platform"] .he-count')).to_have_text(["1"])

    # The typeahead offers names as the learner types; the plain form searches without it.
    page.locator("#he-q").fill("数据")
    expect(page.locator("#he-suggestions")).to_have_attribute("data-ready", "数据")
    expect(page.locator("#he-suggestions option")).to_have_count(1)

    page.get_by_role("link", name="数据结构").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("数据结构")
    page.locator("form.he-enrol button[type=submit]").click()
    enrollment = Enrollment.objects.get(user__username="student", course=wanted)
    expect(page).to_have_url(re.compile(rf"/higher-ed/me/enrollments/{enrollment.pk}/$"))

    first = wanted.units.order_by("order").first()
    unit = page.locator(f'[data-unit="{first.pk}"]')
    unit.get_by_label("视频观看进度（%）").fill("100")
    unit.get_by_label("已完成测验").fill("1")
    unit.get_by_label("测验成绩").fill("90")
    unit.get_by_role("button", name="保存进度").click()
    expect(page.locator("strong.he-progress")).to_have_text("50%")

    page.goto("/higher-ed/me/")
    expect(page.locator(f'[data-enrollment="{enrollment.pk}"] .he-progress')).to_have_text("50%")


def test_an_admin_switches_a_platform_off_and_on(page, demo_accounts):
    target = course("操作系统", platform_code="xuetangx")
    course("数据结构")
    login(page, "admin")

    def catalogue_titles():
        page.goto("/higher-ed/")
        return page.locator(".he-course h3")

    def home_figure():
        page.goto("/")
        return page.locator('[data-platform="higher_ed"] .figure').filter(has_text="课程").locator("dd").first

    def api_count() -> int:
        return page.request.get("/api/v1/higher-ed/courses/").json()["count"]

    expect(catalogue_titles()).to_have_count(2)
    expect(page.locator('[data-facet="platform"]')).to_contain_text("学堂在线")
    expect(home_figure()).to_have_text("2")
    assert api_count() == 2

    page.goto("/higher-ed/platforms/manage/")
    row = page.locator('tr[data-platform="xuetangx"]')
    row.get_by_label("原因").fill("学分课程数据接口检修")
    row.get_by_role("button", name="关闭").click()
    expect(page.locator('tr[data-platform="xuetangx"]')).to_have_attribute("data-enabled", "false")
    expect(page.locator(".he-switch-log")).to_contain_text("学分课程数据接口检修")

    expect(catalogue_titles()).to_have_count(1)
    expect(page.locator(".he-course-list")).not_to_contain_text("操作系统")
    expect(page.locator('[data-facet="platform"]')).not_to_contain_text("学堂在线")
    expect(home_figure()).to_have_text("1")
    assert api_count() == 1
    assert page.request.get(f"/api/v1/higher-ed/courses/{target.pk}/").status == 404

    page.goto("/higher-ed/platforms/manage/")
    row = page.locator('tr[data-platform="xuetangx"]')
    row.get_by_label("原因").fill("整改完成")
    row.get_by_role("button", name="开启").click()
    expect(page.locator('tr[data-platform="xuetangx"]')).to_have_attribute("data-enabled", "true")

    expect(catalogue_titles()).to_have_count(2)
    expect(page.locator('[data-facet="platform"]')).to_contain_text("学堂在线")
    expect(home_figure()).to_have_text("2")
    assert api_count() == 2


def test_an_officer_sees_their_universitys_credit_courses_and_an_anomaly_flag(page, demo_accounts):
    affiliation_set(user=User.objects.get(username="officer"), institution=university("中山大学"))
    ours = course("数据结构", university_name="中山大学", credit=True)
    theirs = course("宏观经济学", class_code="0201", credit=True)
    fast, _ = services.enrollment_create(user=learner(home="北京大学"), run=ours.runs.get())
    services.enrollment_create(user=learner(), run=ours.runs.get())
    services.enrollment_create(user=learner(), run=theirs.runs.get())
    now = timezone.now()
    Enrollment.objects.filter(pk=fast.pk).update(
        enrolled_at=now - timedelta(minutes=8), completed_at=now, progress=100, score=100
    )
    services.monitoring_refresh()
    login(page, "officer")

    page.locator(".account-nav").get_by_role("link", name="学分课程监测").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("学分课程数据监测中心")
    universities = page.locator('[data-table="universities"] tbody')
    expect(universities).to_contain_text("中山大学")
    expect(universities).not_to_contain_text("北京大学")
    expect(page.locator('[data-table="universities"] tbody tr').first.locator("td").nth(1)).to_have_text("2")
    flags = page.locator('[data-table="anomalies"] tr.he-anomaly')
    expect(flags).to_have_count(1)
    expect(flags).to_contain_text("结业用时短于课程视频总时长")
    expect(flags).to_contain_text("数据结构")
    with page.expect_download() as download:
        page.locator('[data-table="anomalies"] a.export').click()
    assert download.value.suggested_filename == "credit-monitoring-anomalies.csv"


def test_the_typeahead_answers_what_was_typed_before_its_script_arrived(page):
    # The script is deferred: on a slow page the learner types before it runs, and those "input" events reach
    # no listener. The catalogue journey above used to fail now and then for exactly this reason.
    course("数据结构")
    page.route("**/higher_ed/typeahead.js", lambda route: route.abort())
    page.goto("/higher-ed/")
    page.locator("#he-q").fill("数据")
    assert page.locator("#he-suggestions").get_attribute("data-ready") is None

    page.unroute("**/higher_ed/typeahead.js")
    page.add_script_tag(url=page.locator('script[src*="higher_ed/typeahead"]').get_attribute("src"))
    expect(page.locator("#he-suggestions")).to_have_attribute("data-ready", "数据")
    expect(page.locator("#he-suggestions option")).to_have_count(1)
