"""K-12's filtered lesson list (``/k12/lessons/?q=…``): where the search page's "more" link for lessons leads.
Matches come from the search engine (same tokens and ranking as /search/), filters narrow them, 20 a page."""

import pytest
from django.urls import reverse

from k12.models import Grade, Lesson, PublishStatus, Stage, Subject
from smartedu.search import selectors as search_selectors
from tests.factories.k12 import LessonFactory, TextbookFactory, UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_indexed")]

URL = reverse("k12:lessons")


def titles(response) -> list[str]:
    return [lesson.title for lesson in response.context["lessons"]]


@pytest.fixture
def lessons():
    junior, eighth = Stage.objects.get(code="junior"), Grade.objects.get(number=8)
    math = TextbookFactory(subject=Subject.objects.get(code="math"), stage=junior, grade=eighth)
    physics = TextbookFactory(subject=Subject.objects.get(code="physics"), stage=junior, grade=eighth)
    unit = UnitFactory(textbook=math, title="第十七章 勾股定理")
    return {
        "theorem": LessonFactory(unit=unit, title="17.1 勾股定理", view_count=10),
        "converse": LessonFactory(unit=unit, title="17.2 勾股定理的逆定理", view_count=900),
        "buoyancy": LessonFactory(unit=UnitFactory(textbook=physics), title="10.1 浮力"),
        "draft": LessonFactory(unit=unit, title="17.3 勾股定理的应用", status=PublishStatus.DRAFT),
    }


def test_the_query_finds_visible_lessons_best_first_never_drafts(client, lessons):
    response = client.get(URL, {"q": "勾股定理"})
    assert response.status_code == 200
    # The exact title outranks the more viewed one (relevance first, then views), as on /search/.
    assert titles(response) == ["17.1 勾股定理", "17.2 勾股定理的逆定理"]
    text = response.content.decode()
    assert reverse("k12:lesson", args=[lessons["theorem"].pk]) in text
    assert "17.3 勾股定理的应用" not in text


def test_filters_narrow_the_matches_and_every_choice_stays_in_the_form(client, lessons):
    assert titles(client.get(URL, {"q": "浮力", "subject": "physics"})) == ["10.1 浮力"]
    assert titles(client.get(URL, {"q": "浮力", "subject": "math"})) == []
    response = client.get(URL, {"q": "勾股", "subject": "math", "stage": "junior"})
    assert titles(response) == ["17.2 勾股定理的逆定理", "17.1 勾股定理"]  # same tier: more views first
    assert 'value="勾股"' in response.content.decode()


def test_without_a_query_it_lists_every_visible_lesson(client, lessons):
    assert sorted(titles(client.get(URL))) == ["10.1 浮力", "17.1 勾股定理", "17.2 勾股定理的逆定理"]


def test_an_unknown_filter_value_or_a_long_query_is_a_400_naming_the_field(client, lessons):
    response = client.get(URL, {"q": "勾股", "subject": "alchemy"})
    assert response.status_code == 400
    assert "subject" in response.context["filter"].errors
    long = client.get(URL, {"q": "勾" * 101})
    assert long.status_code == 400
    assert "q" in long.context["filter"].errors


@pytest.mark.parametrize("query", ["' OR 1=1 --", "勾股 & | !", '"勾股" NEAR(x) *', ":* <script>"])
def test_query_syntax_is_searched_as_text_and_escaped(client, lessons, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_the_list_paginates_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    unit = UnitFactory(title="第二十四章 圆")
    for n in range(25):
        LessonFactory(unit=unit, title=f"24.{n} 圆的有关性质")
    # count, page rows (lesson + textbook taxonomy + unit in one), the four filter selects.
    with django_assert_num_queries(6):
        first = client.get(URL, {"q": "圆"})
    assert len(titles(first)) == 20
    with django_assert_num_queries(6):
        second = client.get(URL, {"q": "圆", "page": 2})
    assert len(titles(second)) == 5
    assert first.context["page_obj"].paginator.count == 25
    assert 'rel="next"' in first.content.decode()


def test_the_search_pages_more_link_for_lessons_leads_here_with_the_query(client, lessons):
    results = search_selectors.search(query="勾股定理")
    (group,) = [g for g in results.groups if g.key == "k12"]
    lesson_kind = next(k for k in group.kinds if k.key == "k12.lesson")
    assert lesson_kind.more_url == f"{URL}?q=%E5%8B%BE%E8%82%A1%E5%AE%9A%E7%90%86"
    response = client.get(lesson_kind.more_url)
    assert titles(response) == ["17.1 勾股定理", "17.2 勾股定理的逆定理"]
    assert Lesson.objects.visible().count() == 3
