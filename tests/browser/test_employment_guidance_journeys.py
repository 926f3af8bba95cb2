"""24365 part 2 in a real browser: a graduate applies to a job from a running fair's page (the application
carries the fair and the fair's figures move), then takes the RIASEC interest assessment and sees their
profile, on a phone-sized screen too."""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from employment import services
from employment.fairs.models import FairApplication
from employment.models import Application
from smartedu.accounts.models import User
from tests.browser.conftest import login
from tests.factories import employment as f
from tests.factories import employment_fairs as ff
from tests.factories import employment_guidance as fg


def _verify_demo_graduate() -> User:
    record = f.record(name="林小红", specialty="软件工程")
    graduate = User.objects.get(username="graduate")
    services.graduate_verify(
        user=graduate,
        name=record.name,
        id_number=record.id_number,
        university=record.university,
        specialty=record.specialty,
        degree=record.degree,
        graduation_year=record.graduation_year,
    )
    return graduate


def test_graduate_applies_from_a_running_fair_and_takes_the_riasec_assessment(page: Page, demo_accounts):
    # given: a running sector fair with an approved employer and its jobs, the demo graduate verified
    graduate = _verify_demo_graduate()
    fair = ff.fair(title="2026届信息通信与互联网行业专场招聘会")
    _, jobs = ff.approved_employer(fair, jobs=2)
    ff.fair(title="即将开始的医疗卫生专场", starts_in=timedelta(days=5))
    fg.assessments()

    # 1. the graduate finds the running fair and applies from its page
    login(page, "graduate")
    page.goto("/employment/")
    page.locator(".em-subnav").get_by_role("link", name=re.compile("招聘会|Recruitment fairs")).click()
    page.locator("#f-state").select_option("running")
    page.locator("main form.em-filters button[type=submit]").click()
    expect(page.locator(".fair-card")).to_have_count(1)
    page.locator(".fair-card h2 a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026届信息通信与互联网行业专场招聘会")
    expect(page.locator("#fig-employers")).to_have_text("1")
    expect(page.locator("#fig-jobs")).to_have_text("2")
    expect(page.locator("#fig-applications")).to_have_text("0")
    page.locator(f'li.fair-job[data-job="{jobs[0].pk}"] form.fair-apply button').click()
    application = Application.objects.get(graduate=graduate, job=jobs[0])
    expect(page).to_have_url(re.compile(rf"/employment/applications/{application.pk}/$"))
    assert FairApplication.objects.get(application=application).fair_id == fair.pk

    # the fair's page shows the application in its figures and the job as applied
    page.goto(f"/employment/fairs/{fair.pk}/")
    expect(page.locator("#fig-applications")).to_have_text("1")
    expect(page.locator(f'li.fair-job[data-job="{jobs[0].pk}"] .fair-applied')).to_be_visible()

    # 2. the graduate takes the RIASEC interest assessment
    page.goto("/employment/guidance/")
    page.locator(".gd-subnav").get_by_role("link", name=re.compile("测评|Assessments")).click()
    page.locator('[data-assessment="holland-riasec"] h2 a').click()
    questions = page.locator(".gd-questions > li")
    expect(questions).to_have_count(36)
    # strong investigative and social interests, the rest lukewarm: answers by the question's dimension
    assessment = fg.riasec()
    answers = fg.answers(assessment, 2, I=5, S=4)
    # submitting with one question left out names it
    for number, value in answers.items():
        if number != "12":
            page.locator(f'input[name="q-{number}"][value="{value}"]').check()
    page.locator("form.gd-assessment button[type=submit]").click()
    expect(page.locator("#answers-error")).to_contain_text("12")
    expect(page.locator("#q12")).to_have_class(re.compile("has-error"))
    page.locator(f'input[name="q-12"][value="{answers["12"]}"]').check()
    page.locator("form.gd-assessment button[type=submit]").click()

    # sees the profile: the Holland code, the dimensions from the strongest, with explanations
    expect(page).to_have_url(re.compile(r"/employment/guidance/results/\d+/$"))
    expect(page.locator("#holland-code")).to_have_text(re.compile(r"^IS[RAEC]$"))
    expect(page.locator("#profile > li")).to_have_count(6)
    expect(page.locator("#profile > li").first).to_have_attribute("data-code", "I")
    expect(page.locator("#profile > li").first).to_contain_text("研究型")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#profile")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the profile overflows a phone screen: {width}px"
    page.goto("/employment/guidance/results/")
    expect(page.locator("#my-results li")).to_have_count(1)
