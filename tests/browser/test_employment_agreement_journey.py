"""Issue 12, done-when steps 1 and 2 in a real browser: from part 1's offer, the employer hires the graduate
and drafts the tripartite agreement from the application's page, the graduate reads and signs it, and the
officer of the graduate's university confirms it from the list of agreements waiting for them; the officer's
progress dashboard counts the agreement in force after the next roll-up, not before."""

import re

from django.core.management import call_command
from playwright.sync_api import Page, expect

from employment import services
from employment.agreements.models import Agreement, AgreementStatus, Signature
from smartedu.accounts.models import User
from smartedu.institutions.services import affiliation_set
from tests.browser.conftest import login
from tests.factories import employment as f


def _logout(page: Page) -> None:
    page.context.clear_cookies()


def _in_force_on_the_dashboard(page: Page):
    """The officer's progress table: the row of the outcome the agreements app reports."""
    row = page.locator(
        "#table-stages tr", has=page.locator("th", has_text=re.compile("agreement in force|三方协议已生效"))
    )
    return row.locator("td").first


def test_employer_drafts_graduate_signs_officer_confirms(page, demo_accounts):
    # given: part 1's journey up to an offer — the demo graduate verified, the demo employer with a job
    graduate = User.objects.get(username="graduate")
    record = f.record(name="林小红", specialty="软件工程")
    services.graduate_verify(
        user=graduate,
        name=record.name,
        id_number=record.id_number,
        university=record.university,
        specialty=record.specialty,
        degree=record.degree,
        graduation_year=record.graduation_year,
    )
    employer = User.objects.get(username="employer")
    org = services.employer_register(
        user=employer,
        name="深圳示例科技有限公司",
        credit_code="914403001922038216",
        industry=f.Industry.objects.get(code="I"),
        province=f.Province.objects.get(code="44"),
        size="medium",
        type="private",
        licence=f.licence(),
        city="深圳",
    )
    services.employer_review(employer=org, actor=User.objects.get(username="admin"), decision="verified")
    employer.refresh_from_db()
    job = f.job(employer, title="Java开发工程师", city="深圳", salary_min=12000, salary_max=18000)
    application, _ = services.application_create(graduate=graduate, job=job)
    for status in ("viewed", "interview", "offer"):
        services.application_status_set(actor=employer, application=application, status=status)
    affiliation_set(user=User.objects.get(username="officer"), institution=record.university)
    call_command("front_rollup", "--no-progress")  # the dashboard's figures as the last roll-up left them

    # 1. the employer hires the graduate and drafts the agreement from the application's page
    login(page, "employer")
    page.goto(f"/employment/applications/{application.pk}/")
    page.locator("#new-status").select_option("hired")
    page.locator("form.em-status button").click()
    expect(page.locator("#application-status")).to_have_text(re.compile("Hired|录用|已入职|聘用"))
    page.locator("#agreement-link a").click()
    expect(page.locator("#id_position")).to_have_value("Java开发工程师")
    page.locator("#id_place").fill("广东省深圳市南山区")
    page.locator("#id_salary").fill("13000")
    page.locator("#id_term_months").fill("36")
    page.locator("#id_probation_months").fill("3")
    page.locator("main form button[type=submit]").click()
    agreement = Agreement.objects.get(application=application)
    expect(page).to_have_url(re.compile(rf"/employment/agreements/{agreement.pk}/$"))
    expect(page.locator("#signatures tbody tr")).to_have_count(1)

    # 2. the graduate finds it, reads version 1 and signs it
    _logout(page)
    login(page, "graduate")
    page.goto(f"/employment/applications/{application.pk}/")
    page.locator("#agreement-link a").click()
    page.locator("#agreements a", has_text="深圳示例科技有限公司").click()
    expect(page.locator(".em-terms")).to_contain_text("广东省深圳市南山区")
    expect(page.locator(".em-terms")).to_contain_text("13000")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#sign-form button")).to_be_visible()
    page.locator("#sign-form button").click()
    expect(page.locator("#signatures tbody tr")).to_have_count(2)
    expect(page.locator("#sign-form")).to_have_count(0)
    page.set_viewport_size({"width": 1280, "height": 900})

    # 3. the officer of 中山大学 sees it waiting and confirms it: it is in force
    _logout(page)
    login(page, "officer")
    page.goto("/employment/agreements/")
    page.locator("#waiting a").first.click()
    expect(page).to_have_url(re.compile(rf"/employment/agreements/{agreement.pk}/$"))
    page.locator("#sign-form button").click()
    expect(page.locator("#signatures tbody tr")).to_have_count(3)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_FORCE
    expect(page.locator("#agreement-status")).to_have_text(re.compile("In force|生效"))
    page.goto("/employment/agreements/")
    expect(page.locator("#waiting li.muted")).to_have_count(1)  # nothing waits any more
    # every signature carries the hash of the version it signed
    assert set(Signature.objects.filter(agreement=agreement).values_list("content_hash", flat=True)) == {
        agreement.versions.get().content_hash
    }

    # 4. the officer's dashboard: unchanged until the next roll-up, then the agreement in force is counted
    page.goto("/employment/front/progress/")
    expect(_in_force_on_the_dashboard(page)).to_have_text("0")
    call_command("front_rollup", "--no-progress")
    page.reload()
    expect(_in_force_on_the_dashboard(page)).to_have_text("1")
