"""The header box on every page and /search/ (grouped, tabs, facets, pagination, bad input, zero results)."""

import pytest
from django.urls import reverse

from tests.factories.k12 import LessonFactory, ResourceFactory

pytestmark = pytest.mark.django_db
SEARCH = "/search/"


@pytest.mark.parametrize("path", ["/", "/k12/", "/k12/etextbooks/", "/accounts/login/", "/search/", "/en/"])
def test_every_page_has_the_header_search_box_without_inline_script(client, path):
    html = client.get(path).content.decode()
    assert '<form class="site-search" role="search" action="' in html
    assert 'name="q"' in html
    assert 'role="combobox"' in html
    assert "search/typeahead.js" in html
    assert "<script>" not in html


def test_results_are_grouped_by_sub_platform_with_counts_and_more_links(client, toc):
    ResourceFactory(title="勾股定理微课")
    response = client.get(SEARCH, {"q": "勾股定理"})
    html = response.content.decode()
    results = response.context["results"]
    assert response.status_code == 200
    assert [g.key for g in results.groups] == ["k12"]
    group = results.groups[0]
    assert group.count == results.all_total == sum(k.count for k in group.kinds)
    assert "<mark>勾股定理</mark>" in html
    more = {k.key: k.more_url for k in group.kinds}
    assert more["k12.etextbook"].startswith(reverse("k12:etextbooks") + "?q=")
    assert more["k12.lesson"].startswith(reverse("k12:lessons") + "?q=")
    # A kind whose sub-platform has no list of its own links to the search page's own tab.
    assert more["k12.resource"] is None
    assert "platform=k12&amp;kind=k12.resource" in html


def test_the_etextbook_more_link_lands_on_k12s_own_list_filtered_by_the_engine(client, toc):
    group = client.get(SEARCH, {"q": "勾股定理"}).context["results"].groups[0]
    url = next(k.more_url for k in group.kinds if k.key == "k12.etextbook")
    listed = client.get(url).context["etextbooks"]
    assert [e.title for e in listed] == ["数学 八年级下册（人教版）"]


def test_a_tab_filters_to_one_platform_with_facets_and_pages(client, toc):
    response = client.get(SEARCH, {"q": "数学", "platform": "k12", "stage": "senior"})
    results = response.context["results"]
    assert results.items
    assert all(item.facet_labels.get("stage") == "高中" for item in results.items)
    stage = next(f for f in results.facet_choices if f.key == "stage")
    assert any(o.selected and o.code == "senior" for o in stage.options)
    page_two = client.get(SEARCH, {"q": "数学", "platform": "k12", "page": 2}).context["results"]
    assert page_two.page == 2
    assert results.total > 20


def test_empty_and_whitespace_queries_give_the_empty_page(client):
    for query in ["", "   "]:
        response = client.get(SEARCH, {"q": query})
        assert response.status_code == 200
        assert "results" not in response.context


def test_a_query_over_100_characters_is_a_form_error(client):
    response = client.get(SEARCH, {"q": "数" * 101})
    assert response.status_code == 400
    assert response.context["form"].errors["q"]
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"), [({"platform": "mars"}, "platform"), ({"kind": "k12.nope"}, "kind")]
)
def test_an_unknown_platform_or_kind_is_a_form_error(client, params, field):
    response = client.get(SEARCH, {"q": "数学", **params})
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_the_query_is_escaped_wherever_it_is_shown(client):
    query = '<script>alert("x")</script>'
    html = client.get(SEARCH, {"q": query}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_zero_results_say_so_offer_shorter_terms_and_popular_items(client, toc):
    response = client.get(SEARCH, {"q": "量子纠缠 区块链"})
    results = response.context["results"]
    html = response.content.decode()
    assert results.all_total == 0
    assert results.shorter == ["量子", "纠缠", "区块链"]
    assert results.popular
    assert "量子纠缠 区块链" in html
    assert "search-empty" in html


def test_a_misspelling_shows_the_respelling_and_a_way_back(client, toc):
    response = client.get(SEARCH, {"q": "勾股定里"})
    results = response.context["results"]
    assert results.corrected_from == "勾股定里"
    assert "exact=1" in response.content.decode()
    assert client.get(SEARCH, {"q": "勾股定里", "exact": 1}).context["results"].all_total == 0


def test_the_search_page_runs_a_fixed_number_of_queries(client, toc, django_assert_max_num_queries):
    client.get(SEARCH, {"q": "函数"})
    with django_assert_max_num_queries(8):
        client.get(SEARCH, {"q": "函数"})
    with django_assert_max_num_queries(12):
        client.get(SEARCH, {"q": "函数", "platform": "k12", "stage": "junior"})


def test_k12_lists_use_the_engine_not_icontains(client, api_client, toc):
    # Two words in any order and a full-width query: icontains finds neither.
    body = api_client.get("/api/v1/k12/lessons/", {"q": "逆定理 勾股"}).json()
    assert [r["title"] for r in body["results"]] == ["17.2 勾股定理的逆定理"]
    body = api_client.get("/api/v1/k12/lessons/", {"q": "ｃ６０"}).json()
    assert [r["title"] for r in body["results"]] == ["课题1 金刚石、石墨和C60"]
    response = client.get("/k12/etextbooks/", {"q": "碳的氧化物 第六单元"})
    assert [e.title for e in response.context["etextbooks"]] == ["化学 九年级上册（人教版）"]


def test_the_lesson_page_shows_recommendations_with_their_reasons(client, toc):
    lesson = toc.lessons["人教版|25.1 随机事件与概率"]
    html = client.get(reverse("k12:lesson", args=[lesson.pk])).content.decode()
    assert "More lessons of this unit" in html or "本单元的其他课" in html
    assert "25.2 用列举法求概率" in html
    assert "10.1 随机事件与概率" in html  # the same topic in 人教A版 高中数学


def test_an_unpublished_lesson_is_never_searched_or_recommended(client, toc):
    from k12.models import Lesson, PublishStatus

    lesson = toc.lessons["人教版|25.2 用列举法求概率"]
    Lesson.objects.filter(pk=lesson.pk).update(status=PublishStatus.DRAFT)
    from smartedu.search import services

    services.search_mark_changed(kind="k12.lesson", ids=[lesson.pk])
    assert "25.2 用列举法求概率" not in client.get(SEARCH, {"q": "列举法"}).content.decode()
    other = toc.lessons["人教版|25.1 随机事件与概率"]
    assert "25.2 用列举法求概率" not in client.get(reverse("k12:lesson", args=[other.pk])).content.decode()


def test_drafts_are_not_found(client):
    from k12.models import PublishStatus

    LessonFactory(title="草稿课程内容", status=PublishStatus.DRAFT)
    assert client.get(SEARCH, {"q": "草稿课程"}).context["results"].all_total == 0
