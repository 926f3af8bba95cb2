"""Higher education in the federated search: course documents, visibility (hidden courses, switched-off
platforms), popularity from the hot score, the "more" link into the catalogue, typeahead names."""

import pytest
from django.urls import reverse

from higher_ed import services
from higher_ed.models import Course, Platform
from higher_ed.search import course_document
from higher_ed.selectors import course_list_queryset
from smartedu.search import selectors
from smartedu.search import services as search_services
from smartedu.search.models import SearchDocument, SearchPending
from tests.factories.higher_ed import course, ministry_admin, teacher

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_indexed")]


def found(query: str, **kwargs) -> list[str]:
    results = selectors.search(query=query, groups=False, **kwargs)
    return [item.title for item in results.items if item.platform == "higher_ed"]


def counted(query: str) -> int:
    return selectors.search(query=query).counts_by_kind.get("higher_ed.course", 0)


def switch(code: str, *, enabled: bool) -> None:
    services.platform_switch(
        platform=Platform.objects.get(code=code), enabled=enabled, reason="数据接口检修", by=ministry_admin()
    )


def test_a_course_document_has_title_body_facets_url_and_its_hot_score():
    lin = teacher("林毅夫")
    made = course("宏观经济学", class_code="0201", teachers=(lin,), first_class=True)
    Course.objects.filter(pk=made.pk).update(hot_score=420)
    document = course_document(course_list_queryset().get(pk=made.pk))
    assert document.title == "宏观经济学"
    assert {"林毅夫", "北京大学", "经济学"} <= set(document.body.split())
    assert document.url == f"/higher-ed/courses/{made.pk}/"
    assert document.facets == {"category": "02", "specialty_class": "0201", "partner": "icourse163"}
    assert document.facet_labels["partner"] == "中国大学MOOC（爱课程）"
    assert document.popularity == 420


def test_a_course_is_found_by_title_teacher_and_university_with_its_teachers_indexed():
    course("数据结构", teachers=(teacher("李明"),), university_name="清华大学")
    assert found("数据结构") == ["数据结构"]
    assert found("李明") == ["数据结构"]  # teachers are added after the course row: indexed again
    assert found("清华大学 数据") == ["数据结构"]


def test_a_platform_switched_off_disappears_from_search_and_returns_when_switched_on():
    course("数据结构", platform_code="xuetangx")
    course("数据库系统")
    assert counted("数据") == 2

    switch("xuetangx", enabled=False)
    assert found("数据") == ["数据库系统"]
    assert counted("数据") == 1
    assert "数据结构" not in [s.text for s in selectors.suggest(query="数据结")]
    assert not SearchDocument.objects.filter(kind="higher_ed.course", title="数据结构").exists()

    switch("xuetangx", enabled=True)
    assert sorted(found("数据")) == ["数据库系统", "数据结构"]
    assert counted("数据") == 2


def test_a_switch_acts_in_the_next_request_before_the_index_catches_up(settings):
    course("数据结构", platform_code="xuetangx")
    course("数据库系统")
    settings.SEARCH_INDEX_EAGER = False  # the production path: the switch only queues the documents

    switch("xuetangx", enabled=False)
    assert SearchPending.objects.filter(kind="higher_ed.course").count() == 1
    assert SearchDocument.objects.filter(kind="higher_ed.course").count() == 2  # not re-indexed yet
    results = selectors.search(query="数据")
    assert results.counts_by_kind == {"higher_ed.course": 1}
    assert [item.title for group in results.groups for item in group.items] == ["数据库系统"]
    assert [o.code for f in selectors.search(query="数据", platform="higher_ed").facet_choices
            if f.key == "partner" for o in f.options] == ["icourse163"]  # fmt: skip
    assert "数据结构" not in [s.text for s in selectors.suggest(query="数据结")]

    search_services.search_index_pending()
    assert SearchDocument.objects.filter(kind="higher_ed.course").count() == 1
    switch("xuetangx", enabled=True)  # back with the queue's next batch (a second in production)
    assert SearchPending.objects.filter(kind="higher_ed.course").count() == 1
    search_services.search_index_pending()
    assert counted("数据") == 2


def test_a_hidden_course_leaves_search_and_comes_back():
    made = course("操作系统")
    services.courses_list_set(ids=[made.pk], listed=False)
    assert found("操作系统") == []
    services.courses_list_set(ids=[made.pk], listed=True)
    assert found("操作系统") == ["操作系统"]


def test_the_hotter_course_comes_first_once_the_index_reads_the_hot_scores():
    cold = course("数据结构与算法")
    hot = course("数据结构（双语）")
    Course.objects.filter(pk=cold.pk).update(hot_score=10)
    Course.objects.filter(pk=hot.pk).update(hot_score=900)  # the nightly task writes with bulk_update
    search_services.search_reconcile()
    assert found("数据结构") == ["数据结构（双语）", "数据结构与算法"]


def test_facets_filter_within_higher_education_and_more_leads_into_the_catalogue():
    course("数据结构")  # 0809 计算机类, 工学
    course("数据经济学", class_code="0201")
    results = selectors.search(query="数据", platform="higher_ed", facets={"category": "02"})
    assert [item.title for item in results.items] == ["数据经济学"]
    grouped = selectors.search(query="数据")
    (group,) = [g for g in grouped.groups if g.key == "higher_ed"]
    assert group.kinds[0].more_url == f"{reverse('higher_ed:index')}?q=%E6%95%B0%E6%8D%AE"


def test_the_more_link_keeps_the_catalogue_facets_and_answers(client):
    course("数据结构")
    kind_url = selectors._more_url("higher_ed.course", "数据", {"category": "08", "partner": "icourse163"})
    assert kind_url == f"{reverse('higher_ed:index')}?q=%E6%95%B0%E6%8D%AE&category=08&platform=icourse163"
    response = client.get(kind_url)
    assert response.status_code == 200
    assert "数据结构" in response.content.decode()


def test_typeahead_offers_universities_teachers_and_disciplines():
    course("数据结构", teachers=(teacher("张伟"),), university_name="复旦大学")
    search_services.search_terms_refresh()
    offered = {(s.text, s.category) for s in selectors.suggest(query="复旦")}
    assert ("复旦大学", "university") in offered
    assert ("张伟", "teacher") in {(s.text, s.category) for s in selectors.suggest(query="张伟")}
    assert ("计算机类", "specialty") in {(s.text, s.category) for s in selectors.suggest(query="计算机")}


def test_the_api_searches_higher_education_with_its_facets(client):
    course("数据结构")
    course("数据结构", platform_code="xuetangx")
    response = client.get(
        "/api/v1/search/", {"q": "数据结构", "platform": "higher_ed", "partner": "xuetangx"}
    )
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == ["数据结构"]
    assert response.json()["count"] == 1
    unknown = client.get("/api/v1/search/", {"q": "数据", "platform": "higher_ed", "category": "99"})
    assert unknown.status_code == 400
    assert "category" in unknown.json()
