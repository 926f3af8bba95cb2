"""The catalogue: facet counts against a brute-force count for every combination of two filters, keyword,
orders, the index's freshness after a switch, and suggestions."""

import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from higher_ed import catalogue, rules, selectors, services
from higher_ed.models import Course, Platform
from tests.factories.higher_ed import course, ministry_admin, platform, teacher

pytestmark = pytest.mark.django_db

API = "/api/v1/higher-ed"


@dataclass(frozen=True)
class Row:
    """A course as the brute force sees it: its value for every facet (sets for the multi-valued ones)."""

    pk: int
    values: dict
    text: str


def catalogue_data():
    lin = teacher("林毅夫")
    shown = [
        course("数据结构", first_class=True, credit=True, runs=("open", "archived")),
        course(
            "操作系统",
            university_name="清华大学",
            platform_code="xuetangx",
            languages=("zh", "en"),
            credit=True,
            runs=("upcoming",),
        ),
        course(
            "宏观经济学",
            class_code="0201",
            platform_code="xuetangx",
            first_class=True,
            teachers=(lin,),
            runs=("archived",),
        ),
        course(
            "微观经济学",
            university_name="复旦大学",
            class_code="0201",
            platform_code="zhihuishu",
            credit=True,
        ),
        course(
            "传染病学",
            university_name="复旦大学",
            class_code="1002",
            platform_code="pmphmooc",
            first_class=True,
            credit=True,
            runs=("open", "upcoming"),
        ),
        course(
            "数据结构（英文）",
            university_name="清华大学",
            platform_code="xuetangx-intl",
            languages=("en",),
            international=True,
        ),
        course(
            "国际经济学",
            class_code="0204",
            platform_code="icourse-intl",
            languages=("en", "fr"),
            international=True,
            first_class=True,
            runs=("archived",),
        ),
        course(
            "集成电路科学与工程导论",
            university_name="复旦大学",
            class_code=None,
            category_code="14",
            runs=("upcoming",),
        ),
        course(
            "敦煌艺术",
            university_name="兰州大学",
            class_code="1301",
            languages=("zh", "en"),
            credit=True,
            credits=Decimal("1.5"),
            runs=("open", "archived"),
        ),
        course("中国古代史", class_code="0601", platform_code="chaoxing", runs=()),
    ]
    hidden = course("编译原理", platform_code="uooc", first_class=True)
    delisted = course("计算机网络", first_class=True)
    services.courses_list_set(ids=[delisted.pk], listed=False)
    services.platform_switch(
        platform=platform("uooc"), enabled=False, reason="数据接口检修", by=ministry_admin()
    )
    return shown, hidden, delisted


def rows_of(courses) -> list[Row]:
    rows = []
    for c in Course.objects.filter(pk__in=[c.pk for c in courses]).select_related(
        "category", "specialty_class", "platform", "university"
    ):
        statuses = set(c.runs.values_list("status", flat=True))
        rows.append(
            Row(
                pk=c.pk,
                values={
                    "category": {c.category.code},
                    "specialty_class": {c.specialty_class.code} if c.specialty_class else set(),
                    "university": {str(c.university_id)},
                    "platform": {c.platform.code},
                    "language": set(c.language_codes),
                    "first_class": {"true" if c.first_class else "false"},
                    "credit": {"true" if c.credit else "false"},
                    "international": {"true" if c.international else "false"},
                    "status": statuses,
                },
                text=c.search_text,
            )
        )
    return rows


def matches(row: Row, facet: str, value: str) -> bool:
    if facet == "q":
        return all(term in row.text for term in rules.fold(value).split())
    return value in row.values[facet]


def brute_force(rows: list[Row], chosen: dict[str, str]) -> dict[str, dict[str, int]]:
    """For each facet value: courses matching every chosen filter except those of the value's own facet."""
    expected: dict[str, dict[str, int]] = {facet: {} for facet in selectors.FACETS}
    for facet in selectors.FACETS:
        for row in rows:
            if not all(matches(row, f, v) for f, v in chosen.items() if f != facet):
                continue
            for value in row.values[facet]:
                expected[facet][value] = expected[facet].get(value, 0) + 1
        if facet in chosen:
            expected[facet].setdefault(chosen[facet], 0)
    return expected


def choices(rows: list[Row]) -> list[tuple[str, str]]:
    found = {(facet, value) for row in rows for facet, values in row.values.items() for value in values}
    found |= {("q", "经济"), ("q", "林毅夫"), ("q", "北京大学 数据")}
    return sorted(found)


@pytest.mark.slow
def test_facet_counts_match_a_brute_force_count_for_every_combination_of_two_filters(api_client, monkeypatch):
    # A thousand requests in a few seconds from one address.
    for throttle in (AnonRateThrottle, UserRateThrottle):
        monkeypatch.setattr(throttle, "rate", "100000/min", raising=False)
    shown, _hidden, _delisted = catalogue_data()
    rows = rows_of(shown)
    options = choices(rows)
    combinations = (
        [()]
        + [(o,) for o in options]
        + [(a, b) for a, b in itertools.combinations(options, 2) if a[0] != b[0]]
    )
    assert len(combinations) > 400
    for combination in combinations:
        chosen = dict(combination)
        response = api_client.get(f"{API}/facets/", chosen)
        assert response.status_code == 200, (chosen, response.json())
        got = {facet: {v["value"]: v["count"] for v in values} for facet, values in response.json().items()}
        assert got == brute_force(rows, chosen), chosen
        listed = api_client.get(f"{API}/courses/", {**chosen, "page_size": 100}).json()
        expected_ids = {r.pk for r in rows if all(matches(r, f, v) for f, v in chosen.items())}
        assert listed["count"] == len(expected_ids), chosen
        assert {c["id"] for c in listed["results"]} == expected_ids, chosen


def test_switched_off_and_delisted_courses_count_nowhere(api_client):
    shown, hidden, delisted = catalogue_data()
    counts = api_client.get(f"{API}/facets/").json()
    assert "uooc" not in {v["value"] for v in counts["platform"]}
    assert sum(v["count"] for v in counts["category"]) == len(shown)
    assert api_client.get(f"{API}/courses/").json()["count"] == len(shown)
    for gone in (hidden, delisted):
        assert api_client.get(f"{API}/courses/{gone.pk}/").status_code == 404


def test_a_switch_shows_in_the_very_next_request_and_back(api_client):
    shown, _hidden, _delisted = catalogue_data()
    admin = ministry_admin()
    before = api_client.get(f"{API}/facets/").json()
    xuetangx = next(v for v in before["platform"] if v["value"] == "xuetangx")
    assert xuetangx["count"] == 2
    services.platform_switch(platform=platform("xuetangx"), enabled=False, reason="整改", by=admin)
    after = api_client.get(f"{API}/facets/").json()
    assert "xuetangx" not in {v["value"] for v in after["platform"]}
    assert sum(v["count"] for v in after["category"]) == len(shown) - 2
    assert api_client.get(f"{API}/courses/", {"q": "宏观"}).json()["count"] == 0
    services.platform_switch(platform=platform("xuetangx"), enabled=True, reason="整改完成", by=admin)
    again = api_client.get(f"{API}/facets/").json()
    assert again == before


def test_the_index_is_rebuilt_only_when_the_token_changes(django_assert_num_queries):
    course()
    first = catalogue.catalogue_index()
    with django_assert_num_queries(1):  # the token
        assert catalogue.catalogue_index() is first
    course("操作系统")
    assert catalogue.catalogue_index() is not first
    assert catalogue.catalogue_index().size == 2


def test_an_index_older_than_its_maximum_age_is_rebuilt(monkeypatch):
    course()
    first = catalogue.catalogue_index()
    monkeypatch.setattr(catalogue, "MAX_AGE", 0.0)
    assert catalogue.catalogue_index() is not first


def test_orders_hot_newest_enrolled_and_relevance():
    a = course("数据结构")
    b = course("数据库系统概论")
    c = course("大数据技术原理与应用")
    Course.objects.filter(pk=a.pk).update(hot_score=5, enrollment_count=30)
    Course.objects.filter(pk=b.pk).update(hot_score=50, enrollment_count=10)
    Course.objects.filter(pk=c.pk).update(hot_score=500, enrollment_count=20)
    services.courses_list_set(ids=[], listed=True)  # a write that changes the token

    def titles(**kwargs):
        return [x.title for x in selectors.course_search(query=selectors.CatalogueQuery(**kwargs))[0:10]]

    assert titles(ordering="hot") == ["大数据技术原理与应用", "数据库系统概论", "数据结构"]
    assert titles(ordering="newest") == ["大数据技术原理与应用", "数据库系统概论", "数据结构"]
    assert titles(ordering="enrolled") == ["数据结构", "大数据技术原理与应用", "数据库系统概论"]
    # Relevance: titles beginning with the keyword first (hottest first among them), then containing it.
    assert titles(q="数据", ordering="relevance") == ["数据库系统概论", "数据结构", "大数据技术原理与应用"]


def test_results_are_read_a_page_at_a_time_by_primary_key(django_assert_num_queries):
    for title in ("数据结构", "操作系统", "编译原理"):
        course(title)
    results = selectors.course_search(query=selectors.CatalogueQuery())
    catalogue.catalogue_index()
    with django_assert_num_queries(0):
        assert results.count() == 3
    with django_assert_num_queries(2):  # the courses with their relations, then their teachers
        page = results[0:2]
    assert len(page) == 2


def test_an_unknown_facet_value_in_a_query_matches_nothing():
    course()
    query = selectors.CatalogueQuery(category=10**9)
    assert selectors.course_search(query=query).count() == 0
    assert selectors.facet_counts(query=query)["category"] == [
        selectors.FacetValue(value="08", label="工学", count=1, selected=False)
    ]


def test_universities_facet_keeps_the_top_ones_and_the_chosen_one():
    for name in ("北京大学", "北京大学", "清华大学", "复旦大学"):
        course(university_name=name)
    pku = Course.objects.filter(university__name="北京大学").first().university_id
    fudan = Course.objects.filter(university__name="复旦大学").first().university_id
    top = selectors.facet_counts(query=selectors.CatalogueQuery(), university_limit=1)["university"]
    assert [(v.value, v.count) for v in top] == [(str(pku), 2)]
    chosen = selectors.facet_counts(query=selectors.CatalogueQuery(university=fudan), university_limit=1)
    assert [(v.label, v.selected) for v in chosen["university"]] == [("北京大学", False), ("复旦大学", True)]


def test_suggestions_offer_course_university_and_teacher_names_leading_matches_first():
    lin = teacher("林毅夫")
    course("新结构经济学", class_code="0201", teachers=(lin,))
    course("宏观经济学", class_code="0201")
    course("宏观经济学", class_code="0201", university_name="复旦大学")
    found = selectors.suggestions(q="经济")
    assert [s.text for s in found] == ["宏观经济学", "新结构经济学"] or [s.text for s in found] == [
        "新结构经济学",
        "宏观经济学",
    ]
    assert {s.kind for s in found} == {"course"}
    shared = next(s for s in selectors.suggestions(q="宏观") if s.text == "宏观经济学")
    assert shared.pk is None  # two courses carry it: the suggestion searches the catalogue
    assert [(s.text, s.kind) for s in selectors.suggestions(q="林")] == [("林毅夫", "teacher")]
    assert [(s.text, s.kind) for s in selectors.suggestions(q="复旦")] == [("复旦大学", "university")]
    assert selectors.suggestions(q="   ") == []


def test_suggestions_leave_out_switched_off_platforms():
    course("操作系统", platform_code="xuetangx", teachers=(teacher("王建国"),))
    assert [s.text for s in selectors.suggestions(q="操作")] == ["操作系统"]
    services.platform_switch(platform=platform("xuetangx"), enabled=False, reason="检修", by=ministry_admin())
    assert selectors.suggestions(q="操作") == []
    assert selectors.suggestions(q="王建国") == []


def test_suggestions_are_capped_at_ten():
    for i in range(14):
        course(f"工程力学第{i}版", class_code="0801")
    assert len(selectors.suggestions(q="工程力学")) == 10


def test_positions_lists_set_bits():
    assert catalogue.positions(0) == []
    assert catalogue.positions(0b1010_0001) == [0, 5, 7]
    mask = catalogue.bitset_of([3, 700, 9000], 10_000)
    assert catalogue.positions(mask) == [3, 700, 9000]


def test_the_index_reads_visible_courses_only():
    course()
    course(platform_code="xuetangx")
    Platform.objects.filter(code="xuetangx").update(enabled=False)
    assert catalogue.build(token="x").size == 1
