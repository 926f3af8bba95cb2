import pytest
from django.urls import reverse

from k12.models import Favourite, LessonVisit, PartnerLink, PartnerLinkKind, PublishStatus, Submission
from smartedu.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.k12 import (
    ChapterFactory,
    ETextbookFactory,
    LessonFactory,
    ResourceFactory,
    TagFactory,
    column,
    lesson_with_exercises,
)

pytestmark = pytest.mark.django_db


def form_data(questions, wrong: int = 0) -> dict[str, str]:
    data = {f"q{q.pk}": q.answer.split("|")[0] for q in questions}
    for question in questions[:wrong]:
        data[f"q{question.pk}"] = {"choice": "A", "true_false": "false"}.get(question.kind, "wrong")
    return data


@pytest.fixture
def student(client):
    user = UserFactory(role=Role.STUDENT)
    client.force_login(user)
    return user


# --- landing page, sections and resources -------------------------------------------------------


def test_index_shows_sections_columns_hot_newest_and_partner_links(client):
    hot = ResourceFactory(title="最热的资源", view_count=999)
    ResourceFactory(title="草稿资源", status=PublishStatus.DRAFT, view_count=10**6)
    museum = PartnerLink.objects.create(
        kind=PartnerLinkKind.PARTNER_SITE, name="数字敦煌", url="https://example.org/"
    )
    PartnerLink.objects.create(kind=PartnerLinkKind.HOTLINE, name="心理援助热线", phone="12355")
    response = client.get("/k12/")
    text = response.text
    hot_resources, _newest = response.context["hot_and_newest"]
    assert hot_resources == [hot]
    for name in (
        "专题教育",
        "教改实践经验",
        "党史学习",
        "“双减”经验",
        "最热的资源",
        "数字敦煌",
        "12355",
        "人教PEP版",
    ):
        assert name in text
    assert "草稿资源" not in text
    assert f'href="{reverse("k12:partner-visit", args=[museum.pk])}"' in text
    assert 'href="https://' not in text  # partner sites are reached through our redirect


def test_partner_link_redirects_to_the_site(client):
    link = PartnerLink.objects.create(
        kind=PartnerLinkKind.PARTNER_SITE, name="数字敦煌", url="https://example.org/"
    )
    response = client.get(reverse("k12:partner-visit", args=[link.pk]))
    assert response.status_code == 302
    assert response["Location"] == "https://example.org/"


def test_section_page_filters_by_audience_kind_and_tag(client):
    tag = TagFactory(code="safety", name="安全")
    ResourceFactory(column=column("life-safety"), title="防溺水", audience="parent", tags=[tag])
    ResourceFactory(column=column("life-safety"), title="交通安全", audience="student")
    ResourceFactory(column=column("sports"), title="广播体操", audience="parent")
    response = client.get("/k12/sections/thematic/", {"audience": "parent", "tag": "safety"})
    assert response.status_code == 200
    assert [r.title for r in response.context["resources"]] == ["防溺水"]
    assert 'aria-current="page">' in response.text


def test_column_page_lists_only_its_column_and_links_course_columns_to_the_textbooks(client):
    ResourceFactory(column=column("party-history"), title="党史故事")
    ResourceFactory(column=column("patriotism"), title="爱国故事")
    response = client.get("/k12/sections/thematic/party-history/")
    assert [r.title for r in response.context["resources"]] == ["党史故事"]
    course = client.get("/k12/sections/course-teaching/course-junior/")
    assert f'href="{reverse("k12:textbooks")}?stage=junior"' in course.text


def test_a_column_under_the_wrong_section_is_404(client):
    assert client.get("/k12/sections/family-education/party-history/").status_code == 404
    assert client.get("/k12/sections/nope/").status_code == 404


def test_section_page_with_an_unknown_filter_value_is_400_with_the_error_shown(client):
    ResourceFactory(column=column("party-history"))
    response = client.get("/en/k12/sections/thematic/", {"kind": "hologram"})
    assert response.status_code == 400
    assert 'class="errorlist"' in response.text
    assert list(response.context["resources"]) == []


def test_section_page_paginates_and_keeps_the_filters(client):
    for number in range(15):
        ResourceFactory(column=column("party-history"), title=f"党史{number:02d}", audience="student")
    first = client.get("/k12/sections/thematic/", {"audience": "student"})
    assert len(first.context["resources"]) == 12
    assert "?audience=student&amp;page=2" in first.text
    second = client.get("/k12/sections/thematic/", {"audience": "student", "page": 2})
    assert len(second.context["resources"]) == 3


def test_resource_page_shows_views_and_draft_resources_are_404(client):
    resource = ResourceFactory(title="眼保健操", view_count=4321, body="跟着做")
    draft = ResourceFactory(status=PublishStatus.DRAFT)
    response = client.get(reverse("k12:resource", args=[resource.pk]))
    assert response.context["object"] == response.context["resource"] == resource
    assert "4321" in response.text
    assert client.get(reverse("k12:resource", args=[draft.pk])).status_code == 404


def test_link_resources_leave_through_a_redirect(client):
    link = ResourceFactory(kind="link", url="https://example.org/museum")
    page = client.get(reverse("k12:resource", args=[link.pk]))
    assert reverse("k12:resource-visit", args=[link.pk]) in page.text
    assert (
        client.get(reverse("k12:resource-visit", args=[link.pk]))["Location"] == "https://example.org/museum"
    )


# --- the textbook browser and the lesson page ---------------------------------------------------


def test_textbook_browser_keeps_each_choice_in_the_url(client):
    lesson = LessonFactory(title="第1课 认识数字")
    book = lesson.textbook
    steps = [
        {"stage": "primary"},
        {"subject": "math"},
        {"edition": book.edition.code},
        {"textbook": book.pk},
        {"unit": lesson.unit_id},
    ]
    query: dict = {}
    for step in steps:
        query.update(step)
        response = client.get("/k12/textbooks/", query)
        assert response.status_code == 200
    assert reverse("k12:lesson", args=[lesson.pk]) in response.text
    assert "第1课 认识数字" in response.text
    assert response.context["state"].unit == lesson.unit


def test_lesson_page_shows_hours_exercises_pages_and_neighbours(client):
    lesson, questions = lesson_with_exercises(view_count=77)
    following = LessonFactory(unit=lesson.unit, order=lesson.order + 1, title="下一课")
    etextbook = ETextbookFactory(textbook=lesson.textbook)
    response = client.get(reverse("k12:lesson", args=[lesson.pk]))
    text = response.text
    assert response.context["object"] == response.context["lesson"] == lesson
    assert "77" in text
    assert "观看视频并完成练习。" in text  # the learning task sheet
    assert reverse("k12:lesson", args=[following.pk]) in text
    assert f"{reverse('k12:etextbook', args=[etextbook.pk])}?page=3" in text
    for question in questions:
        assert question.prompt in text
    assert 'action="/k12/lessons/' not in text  # anonymous visitors are asked to log in instead


def test_draft_lessons_are_404(client):
    lesson = LessonFactory(status=PublishStatus.DRAFT)
    assert client.get(reverse("k12:lesson", args=[lesson.pk])).status_code == 404


def test_a_student_submits_the_exercises_and_sees_the_score(client, student):
    lesson, questions = lesson_with_exercises()
    page = client.get(reverse("k12:lesson", args=[lesson.pk]))
    assert reverse("k12:lesson-submit", args=[lesson.pk]) in page.text
    response = client.post(reverse("k12:lesson-submit", args=[lesson.pk]), form_data(questions, wrong=1))
    submission = Submission.objects.get(student=student)
    assert response.status_code == 302
    assert response["Location"] == reverse("k12:submission", args=[submission.pk])
    result = client.get(response["Location"])
    assert result.context["submission"].score == 67
    assert "✗" in result.text
    assert "✓" in result.text
    assert questions[0].explanation in result.text
    again = client.get(reverse("k12:lesson", args=[lesson.pk]))
    assert (again.context["last_submission"].pk, again.context["last_submission"].score) == (
        submission.pk,
        67,
    )
    assert f'href="{reverse("k12:submission", args=[submission.pk])}"' in again.text


def test_an_incomplete_form_is_shown_again_with_errors_and_nothing_saved(client, student):
    lesson, questions = lesson_with_exercises()
    data = form_data(questions)
    data.pop(f"q{questions[1].pk}")
    response = client.post(reverse("k12:lesson-submit", args=[lesson.pk]), data)
    assert response.status_code == 400
    assert 'class="errorlist"' in response.text
    assert not Submission.objects.exists()


def test_submitting_needs_a_signed_in_student_and_a_published_lesson(client):
    lesson, questions = lesson_with_exercises()
    url = reverse("k12:lesson-submit", args=[lesson.pk])
    assert client.post(url, form_data(questions)).status_code == 302  # to the login page
    client.force_login(UserFactory(role=Role.TEACHER))
    assert client.post(url, form_data(questions)).status_code == 403
    client.force_login(UserFactory(role=Role.STUDENT))
    draft, draft_questions = lesson_with_exercises(status=PublishStatus.DRAFT)
    assert (
        client.post(reverse("k12:lesson-submit", args=[draft.pk]), form_data(draft_questions)).status_code
        == 404
    )
    assert client.get(url).status_code == 405
    assert not Submission.objects.exists()


def test_nobody_else_sees_a_students_results(client, student):
    lesson, questions = lesson_with_exercises()
    client.post(reverse("k12:lesson-submit", args=[lesson.pk]), form_data(questions))
    submission = Submission.objects.get()
    client.force_login(UserFactory(role=Role.STUDENT))
    assert client.get(reverse("k12:submission", args=[submission.pk])).status_code == 404


# --- favourites and "continue where you left off" -----------------------------------------------


def test_favourites_and_recent_lessons_on_my_learning(client, student):
    seen, liked = LessonFactory(title="看过的课"), LessonFactory(title="收藏的课")
    client.get(reverse("k12:lesson", args=[seen.pk]))
    client.post(reverse("k12:lesson-favourite", args=[liked.pk]))
    resource = ResourceFactory(title="收藏的资源")
    client.post(reverse("k12:resource-favourite", args=[resource.pk]))
    assert LessonVisit.objects.filter(user=student, lesson=seen).exists()
    page = client.get(reverse("k12:my-learning"))
    for title in ("看过的课", "收藏的课", "收藏的资源"):
        assert title in page.text
    client.post(reverse("k12:lesson-favourite", args=[liked.pk]), {"action": "remove"})
    assert not Favourite.objects.filter(user=student, lesson=liked).exists()


def test_my_learning_needs_an_account(client):
    response = client.get(reverse("k12:my-learning"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- e-textbooks --------------------------------------------------------------------------------


def test_etextbook_reader_has_the_toc_the_inline_pdf_and_a_download(client):
    lesson = LessonFactory(title="第1课 认识数字")
    etextbook = ETextbookFactory(textbook=lesson.textbook, title="数学一年级上册")
    ChapterFactory(etextbook=etextbook, unit=lesson.unit, title="第一单元", start_page=3)
    response = client.get(reverse("k12:etextbook", args=[etextbook.pk]), {"page": 3})
    text = response.text
    assert response.context["object"] == response.context["etextbook"] == etextbook
    # pdf.js draws the PDF (no <iframe>, which Android Chrome does not render), from page 3 of the address
    assert f'data-file="{reverse("k12:etextbook-file", args=[etextbook.pk])}"' in text
    assert 'data-page="3"' in text
    assert "<iframe" not in text
    assert 'href="?page=3" data-page="3" aria-current="page"' in text
    assert "第一单元" in text
    assert reverse("k12:lesson", args=[lesson.pk]) in text
    assert "?download=1" in text


def test_etextbook_file_is_inline_for_our_frame_and_a_download_on_request(client):
    etextbook = ETextbookFactory()
    inline = client.get(reverse("k12:etextbook-file", args=[etextbook.pk]))
    assert inline["Content-Type"] == "application/pdf"
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(inline.streaming_content).startswith(b"%PDF")
    download = client.get(reverse("k12:etextbook-file", args=[etextbook.pk]), {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")


def test_draft_etextbooks_are_404_everywhere(client):
    draft = ETextbookFactory(status=PublishStatus.DRAFT)
    assert client.get(reverse("k12:etextbook", args=[draft.pk])).status_code == 404
    assert client.get(reverse("k12:etextbook-file", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("k12:etextbooks")).text


def test_etextbook_list_filters_by_publisher(client):
    wanted = ETextbookFactory(title="甲社教材")
    ETextbookFactory(title="乙社教材")
    response = client.get(reverse("k12:etextbooks"), {"publisher": wanted.publisher_id})
    assert [e.title for e in response.context["etextbooks"]] == ["甲社教材"]
    assert client.get(reverse("k12:etextbooks"), {"stage": "college"}).status_code == 400


# --- query counts -------------------------------------------------------------------------------


def _content(size: int) -> dict:
    tag = TagFactory()
    for _ in range(size):
        ResourceFactory(column=column("party-history"), tags=[tag, TagFactory()])
        lesson, _questions = lesson_with_exercises()
        LessonFactory(unit=lesson.unit)
        etextbook = ETextbookFactory(textbook=lesson.textbook)
        ChapterFactory(etextbook=etextbook, unit=lesson.unit)
        PartnerLink.objects.create(
            kind=PartnerLinkKind.PARTNER_SITE, name=f"站点{PartnerLink.objects.count()}"
        )
    resource = ResourceFactory(column=column("party-history"), tags=[tag])
    book = lesson.textbook
    return {
        "resource": resource.pk,
        "lesson": lesson.pk,
        "etextbook": etextbook.pk,
        "tag": tag.code,
        "browser": (
            f"stage=primary&subject=math&edition={book.edition.code}&textbook={book.pk}&unit={lesson.unit_id}"
        ),
    }


PAGE_QUERY_LIMITS = {
    # ... + the options of the one-form textbook choice (one query).
    "/k12/": 5,
    # Section, its columns, the filter's lookups, count, page, tags, the tag choices of the form.
    "/k12/sections/thematic/?tag={tag}": 8,
    "/k12/sections/thematic/party-history/?audience=student": 9,
    # A content page's object is cached per generation; its view count is read live (one column).
    "/k12/resources/{resource}/": 3,
    "/k12/textbooks/?{browser}": 6,
    # ... + the lesson's stored recommendations (smartedu.search, one query).
    "/k12/lessons/{lesson}/": 7,
    # Count and page, the stage lookup, the choices of the form's five selects.
    "/k12/etextbooks/?stage=primary": 8,
    "/k12/etextbooks/{etextbook}/": 3,
}


@pytest.mark.parametrize(("path", "limit"), list(PAGE_QUERY_LIMITS.items()))
def test_page_query_counts_do_not_grow_with_the_data(
    client, count_queries, django_assert_max_num_queries, path, limit
):
    counts = []
    for size in (1, 6):
        url = path.format(**_content(size))
        client.get(url)  # the process reads the taxonomy tables once (k12/taxonomy.py), then holds them
        with django_assert_max_num_queries(limit):
            response, queries = count_queries(lambda url=url: client.get(url))
        assert response.status_code == 200
        counts.append(queries)
    assert counts[0] == counts[1]


def test_signed_in_page_query_counts_do_not_grow(
    client, student, count_queries, django_assert_max_num_queries
):
    counts = []
    for size in (1, 6):
        ids = _content(size)
        for lesson_pk in (ids["lesson"],):
            client.get(reverse("k12:lesson", args=[lesson_pk]))
            client.post(reverse("k12:lesson-favourite", args=[lesson_pk]))
        sizes = []
        for url, limit in (
            (reverse("k12:lesson", args=[ids["lesson"]]), 12),
            (reverse("k12:my-learning"), 6),
            (reverse("k12:resource", args=[ids["resource"]]), 6),
        ):
            with django_assert_max_num_queries(limit):
                response, queries = count_queries(lambda url=url: client.get(url))
            assert response.status_code == 200
            sizes.append(queries)
        counts.append(sizes)
    assert counts[0] == counts[1]
