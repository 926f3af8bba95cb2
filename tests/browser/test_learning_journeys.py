"""On a 390 × 844 phone, without JavaScript: a teacher opens a class, a student joins it with the code and
answers the class's quiz, then reads the graded result with its explanations and the wrong-answer book."""

import pytest
from playwright.sync_api import expect

from smartedu.accounts.models import User
from smartedu.quizzes.models import Purpose
from tests.browser.conftest import login
from tests.factories.learning import TEST_OWNER, QuizFactory, register_test_owner

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


def fits_the_screen(page) -> None:
    """Nothing sticks out sideways: the page scrolls only down."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_class_and_its_quiz_on_a_phone(phone, demo_accounts):
    register_test_owner()  # quizzes of "tests.item", visible to everyone
    TEST_OWNER.reset()
    page = phone
    login(page, "teacher")
    page.goto("/classes/")
    page.get_by_label("班级名称").fill("数控技术2401班")
    page.locator("select#id_platform").select_option("vocational")
    page.get_by_role("button", name="创建").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("数控技术2401班")
    code = page.locator(".class-code-big").inner_text().strip()
    assert len(code) == 7

    from smartedu.classes.models import Class

    klass = Class.objects.get(code=code)
    quiz = QuizFactory(purpose=Purpose.IN_CLASS, klass=klass, title="第一单元随堂测验")

    page.context.clear_cookies()
    login(page, "student")
    page.goto("/classes/")
    fits_the_screen(page)
    page.get_by_label("班级码").fill(f"{code[:3].lower()} {code[3:].lower()}")
    page.get_by_role("button", name="加入", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("你已加入数控技术2401班")

    page.goto(f"/quizzes/{quiz.pk}/")
    fits_the_screen(page)
    choice = page.locator(".quiz-choice").first
    assert choice.bounding_box()["height"] >= 24  # tap targets
    questions = [qq.question for qq in quiz.quiz_questions.select_related("question").order_by("order")]
    single, multiple, judge, blank = questions
    page.locator(f'input[name="q{single.pk}"][value="B"]').check()
    page.locator(f'input[name="q{multiple.pk}"][value="A"]').check()
    page.locator(f'input[name="q{multiple.pk}"][value="C"]').check()
    page.locator(f'input[name="q{judge.pk}"][value="false"]').check()  # wrong on purpose
    page.locator(f'input[name="q{blank.pk}"]').fill(" 3.14 ")
    page.get_by_role("button", name="提交答案").click()

    expect(page.locator(".quiz-score")).to_contain_text("得分：75")
    expect(page.locator("li.quiz-wrong")).to_have_count(1)
    expect(page.locator("li.quiz-wrong")).to_contain_text("一个标准大气压下纯水在100℃沸腾")
    expect(page.get_by_role("button", name="提交答案")).to_have_count(0)  # an in-class test is taken once
    fits_the_screen(page)

    page.goto("/quizzes/wrong-answers/")
    expect(page.locator("li.quiz-wrong")).to_have_count(1)
    expect(page.locator("li.quiz-wrong")).to_contain_text("在标准大气压下，水的沸点是100℃。")
    fits_the_screen(page)
    assert User.objects.get(username="student").quiz_attempts.count() == 1
