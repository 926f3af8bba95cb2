"""The vocational story in a real browser (issue 9, "Done when"):

1. a teacher copies a standard course, moves a unit up, hides an item, adds their own PDF and a quiz item,
   and publishes the course to a class;
2. a student joins with the class code, studies, asks a question and takes the quiz;
3. the teacher answers the question, and the four rates change as docs/metrics.md says;
4. the standard course changes; the teacher accepts one change and ignores another.

Selectors go by structure (form actions, ids, data attributes), not by the interface language.
"""

import re

import pytest
from playwright.sync_api import expect

from smartedu.accounts.models import User
from tests.browser.conftest import login
from tests.factories import vocational as f
from vocational import services
from vocational.models import Course, CourseKind, Item

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def rate(page, name: str) -> str:
    return page.locator(f'#rates [data-rate="{name}"]').inner_text().strip()


@pytest.mark.slow
def test_fork_edit_publish_study_quiz_rates_and_upstream_sync(page, demo_accounts, tmp_path):
    # given: a library with a standard course of two units, and a quiz resource in the same library
    source = f.standard_course(units=2, items=2)
    quiz_resource = f.resource(source.library, "单元测验：Python基础", kind="quiz")
    second_unit = source.units.order_by("order")[1]

    # 1. the teacher copies the standard course and edits it
    login(page, "teacher")
    page.goto(f"/vocational/courses/{source.pk}/")
    page.locator("form[action$='/fork/'] button").click()
    expect(page).to_have_url(re.compile(r"/vocational/courses/\d+/edit/$"))
    copy = Course.objects.get(kind=CourseKind.PERSONAL, owner__username="teacher")
    copied_second = copy.units.get(origin_ref=second_unit.pk)
    with page.expect_navigation():
        page.locator(f"#unit-{copied_second.pk} > .row form:has(input[name=action][value=up]) button").click()
    assert copy.units.order_by("order").values_list("pk", flat=True).first() == copied_second.pk
    hidden_item = Item.objects.filter(unit=copied_second).order_by("order").first()
    page.locator(f"li[data-item='{hidden_item.pk}'] form:has(input[name=action][value=hide]) button").click()
    expect(page.locator(f"li[data-item='{hidden_item.pk}']")).to_have_class(re.compile("hidden-row"))
    # own PDF into the first unit
    pdf = tmp_path / "课堂讲义.pdf"
    pdf.write_bytes(PDF)
    upload = page.locator("form[action$='/upload/']")
    upload.locator("#id_unit").select_option(str(copied_second.pk))
    upload.locator("#id_title").fill("课堂讲义（本班）")
    upload.locator("#id_file").set_input_files(str(pdf))
    upload.locator("button[type=submit]").click()
    expect(page.locator(f"#unit-{copied_second.pk}")).to_contain_text("课堂讲义（本班）")
    # a quiz item from the library
    add = page.locator(f"#unit-{copied_second.pk} form:has(input[value='add-resource'])")
    add.locator("select").select_option(str(quiz_resource.pk))
    add.locator("button").click()
    expect(page.locator(f"#unit-{copied_second.pk}")).to_contain_text("单元测验：Python基础")
    # a class, then publish
    page.goto("/classes/")
    page.locator("#id_name").fill("软件技术2401班")
    page.locator("select#id_platform").select_option("vocational")
    page.locator("form[action$='/classes/new/'] button[type=submit]").click()
    code = page.locator(".class-code-big").inner_text().strip()
    page.goto(f"/vocational/courses/{copy.pk}/edit/")
    page.locator("form[action$='/publish/'] button").click()
    expect(page.locator(".messages")).to_contain_text(code)
    # the rates before any student: every denominator is empty, so every rate is undefined ("—")
    page.goto(f"/vocational/courses/{copy.pk}/dashboard/")
    for name in ("mastery", "interaction", "response", "activity"):
        assert rate(page, name) == "—"

    # 2. the student joins with the code, studies, asks and takes the quiz
    page.context.clear_cookies()
    login(page, "student")
    page.goto("/vocational/me/")
    page.locator("#id_code").fill(code.lower())
    page.locator("form[action$='/classes/join/'] button").click()
    page.goto("/vocational/me/")
    page.locator(f"a[href='/vocational/courses/{copy.pk}/']").first.click()
    expect(page.locator(f"a[href='/vocational/items/{hidden_item.pk}/']")).to_have_count(0)
    quiz_item = Item.objects.get(unit__course=copy, resource=quiz_resource)
    with page.expect_response(lambda r: "/heartbeat/" in r.url and r.status == 202):
        page.goto(f"/vocational/items/{quiz_item.pk}/")
    page.locator("form[action$='/questions/'] textarea[name=body]").fill("老师，缩进用几个空格？")
    page.locator("form[action$='/questions/'] button").click()
    page.goto(f"/vocational/items/{quiz_item.pk}/")
    form = page.locator(".quiz-form")
    form.locator("fieldset").nth(0).locator("input").nth(0).check()  # A: py (right)
    form.locator("fieldset").nth(1).locator("input").nth(1).check()  # false (wrong)
    form.locator("button[type=submit]").click()
    expect(page.locator(".quiz-result")).to_be_visible()
    expect(page.locator(".quiz-result .quiz-wrong")).to_have_count(1)

    # 3. the teacher answers; the rates change
    page.context.clear_cookies()
    login(page, "teacher")
    page.goto(f"/vocational/courses/{copy.pk}/questions/")
    page.locator("form[action*='/reply/'] textarea").fill("四个空格，保持一致。")
    page.locator("form[action*='/reply/'] button").click()
    page.goto(f"/vocational/courses/{copy.pk}/dashboard/")
    with page.expect_navigation():
        page.locator("form.voc-recompute button").click()
    # 1 student: asked (interaction 100%), active today (activity 100%), 1 of 2 knowledge points right
    # (mastery 50%), the question answered within 24 h (response 100%)
    assert rate(page, "interaction") == "100%"
    assert rate(page, "activity") == "100%"
    assert rate(page, "mastery") == "50%"
    assert rate(page, "response") == "100%"
    expect(page.locator("#heat")).to_contain_text("开发环境")

    # 4. the standard course changes; accept one change, ignore another
    first_item = source.units.order_by("order")[0].items.order_by("order")[0]
    services.item_update(user=None, item=first_item, title="Python开发环境搭建（2024版）")
    services.item_delete(user=None, item=source.units.order_by("order")[0].items.order_by("order")[1])
    page.goto(f"/vocational/courses/{copy.pk}/upstream/")
    changes = list(source.changes.order_by("seq"))
    edited = page.locator(f"#change-{changes[0].pk}")
    expect(edited.locator(".voc-diff")).to_contain_text("+Python开发环境搭建（2024版）")
    edited.locator("button[value=accepted]").click()
    page.locator(f"#change-{changes[1].pk} button[value=ignored]").click()
    expect(page.locator(f"#change-{changes[1].pk} form")).to_have_count(0)
    assert Item.objects.filter(unit__course=copy, title="Python开发环境搭建（2024版）").exists()
    assert Item.objects.filter(unit__course=copy, origin_ref=changes[1].item_ref).exists()
    assert User.objects.get(username="teacher").vocational_courses.count() == 1


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, committed_db, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.slow
def test_vocational_pages_fit_a_phone_without_javascript(phone, demo_accounts):
    source = f.standard_course(units=2, items=2)
    teacher = User.objects.get(username="teacher")
    copy, _created = services.course_fork(user=teacher, source=source)
    login(phone, "teacher")
    for url in (
        "/vocational/",
        f"/vocational/libraries/{source.library_id}/",
        f"/vocational/courses/{source.pk}/",
        f"/vocational/courses/{copy.pk}/edit/",
        f"/vocational/courses/{copy.pk}/dashboard/",
        f"/vocational/courses/{copy.pk}/upstream/",
        "/vocational/training/",
    ):
        phone.goto(url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    # without JavaScript the editor still works: hide an item
    item = Item.objects.filter(unit__course=copy).order_by("unit__order", "order").first()
    phone.goto(f"/vocational/courses/{copy.pk}/edit/")
    phone.locator(f"li[data-item='{item.pk}'] form:has(input[name=action][value=hide]) button").click()
    expect(phone.locator(f"li[data-item='{item.pk}']")).to_have_class(re.compile("hidden-row"))
