"""Issue 13, done-when 2 and 3, in a real browser: a teacher prepares a class, sets homework and reviews the
results after a student submits; a parent links to the student with the code the student's account shows and
sees the homework's score."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories.k12 import lesson_with_exercises


def _switch(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def test_teacher_prepares_sets_homework_and_reviews_then_the_parent_sees_the_score(page, demo_accounts):
    lesson, (choice, judge, _blank) = lesson_with_exercises(title="第3课 有理数")

    # The teacher opens a K-12 class; the student joins it with the code.
    login(page, "teacher")
    page.goto("/classes/")
    page.locator("input#id_name").fill("七年级（3）班")
    page.locator("select#id_platform").select_option("k12")
    page.locator("form").filter(has=page.locator("input#id_name")).locator("button[type=submit]").click()
    code = page.locator(".class-code-big").inner_text().strip()
    _switch(page, "student")
    page.goto("/classes/")
    page.locator("input#id_code").fill(code)
    page.locator("form").filter(has=page.locator("input#id_code")).locator("button[type=submit]").click()

    # Lesson preparation: a plan for the class period, the lesson's hours added from its page, reordered.
    _switch(page, "teacher")
    page.goto("/k12/me/")
    page.locator("details summary").filter(has_text=re.compile("New plan|新建")).click()
    page.locator("input#id_title").fill("第3课 有理数 备课")
    page.locator("select#id_klass").select_option(label="七年级（3）班")
    page.locator("textarea#id_notes").fill("导入：温度计上的正负数。")
    page.locator("form[action$='/teaching/plans/'] button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("第3课 有理数 备课")
    plan_url = page.url

    page.goto(f"/k12/lessons/{lesson.pk}/")
    teacher_part = page.locator("#teacher")
    expect(teacher_part).to_contain_text(choice.explanation)  # answers and explanations for the teacher
    plan_form = page.locator("form.k12-plan-form")
    for box in plan_form.locator("input[name=hours]").all():
        box.check()
    plan_form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(plan_url) + r"(#.*)?$"))
    items = page.locator("ol.k12-plan-items > li")
    expect(items).to_have_count(2)
    first_title = items.nth(0).locator("a").inner_text()
    items.nth(0).locator("button[value=down]").click()
    expect(page.locator("ol.k12-plan-items > li").nth(1).locator("a")).to_have_text(first_title)

    # Homework: the lesson's exercises for the class, due in two days.
    page.goto(f"/k12/lessons/{lesson.pk}/")
    form = page.locator("form.k12-homework-form")
    form.locator("select#id_klass").select_option(label="七年级（3）班")
    due = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    form.locator("input#id_due_at").fill(due.strftime("%Y-%m-%dT%H:%M"))
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/k12/teaching/(#.*)?$"))
    homework_link = page.locator(".k12-homework-list a").first
    expect(homework_link).to_contain_text("第3课 有理数")

    # The student sees it on the learning page with the due date, and answers it (one wrong).
    _switch(page, "student")
    page.goto("/k12/me/")
    row = page.locator(".k12-homework li").first
    expect(row).to_contain_text(due.strftime("%Y-%m-%d %H:%M"))
    row.locator("a").click()
    questions = page.locator(".quiz-question")
    expect(questions).to_have_count(3)  # the lesson's exercises in order: choice, true-or-false, blank
    questions.nth(0).locator("input[value='B']").check()
    questions.nth(1).locator("input[value='false']").check()  # wrong on purpose
    questions.nth(2).locator("input[type=text]").fill("七")
    page.locator("form.quiz-form button[type=submit]").click()
    expect(page.locator(".quiz-score")).to_contain_text("67")

    # The teacher reviews: per question, per student, most missed, nobody missing.
    _switch(page, "teacher")
    page.goto("/k12/teaching/")
    page.locator(".k12-homework-list a").first.click()
    expect(page.locator(".quiz-missed li")).to_have_count(1)
    expect(page.locator(".quiz-missed")).to_contain_text(judge.prompt)
    expect(page.locator("#students-title + .table-wrap tbody tr")).to_contain_text("67")

    # The parent links with the student's code and sees the homework's score.
    _switch(page, "student")
    page.goto("/family/")
    page.locator("form[action$='/family/code/'] button").click()
    link_code = page.locator(".family-code strong").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", link_code)
    _switch(page, "parent")
    page.goto("/family/")
    page.locator("input#id_code").fill(link_code.lower())
    page.locator("form[action$='/family/link/'] button[type=submit]").click()
    page.locator(".family-child a[href*='/k12/family/']").first.click()
    expect(page.locator(".k12-child-homework tbody tr").first).to_contain_text("第3课 有理数")
    expect(page.locator(".k12-child-score").first).to_have_text("67")


def test_classroom_mode_steps_with_the_keyboard(page, demo_accounts):
    lesson, (choice, _judge, _blank) = lesson_with_exercises(title="第4课 数轴")
    login(page, "teacher")
    page.goto(f"/k12/lessons/{lesson.pk}/classroom/")
    expect(page.locator("body.classroom-step-task")).to_be_visible()
    page.keyboard.press("PageDown")  # a clicker's "next"
    expect(page).to_have_url(re.compile(r"/classroom/2/$"))
    page.wait_for_load_state("load")  # the key handler (a deferred script) is in place
    page.keyboard.press("ArrowRight")
    expect(page.locator("p.classroom-question")).to_have_text(choice.prompt)
    page.wait_for_load_state("load")
    page.keyboard.press("PageUp")
    expect(page).to_have_url(re.compile(r"/classroom/2/$"))


def test_the_parents_pages_fit_a_phone_without_javascript(browser, committed_db, live_server, demo_accounts):
    from smartedu.accounts.models import User
    from smartedu.guardians import services as guardian_services

    student = User.objects.get(username="student")
    code, _ = guardian_services.link_code_issue(child=student)
    guardian_services.guardian_link(parent=User.objects.get(username="parent"), code=code)
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, "parent")
        page.goto("/family/")
        expect(page.get_by_role("heading", level=1)).to_have_text("家庭")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator(".family-child a[href*='/k12/family/']").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("学习记录")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
