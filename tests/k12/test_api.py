import pytest

from k12.models import PublishStatus, Submission, SubmissionAnswer
from smartedu.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.k12 import (
    ChapterFactory,
    ETextbookFactory,
    LessonFactory,
    QuestionFactory,
    ResourceFactory,
    TagFactory,
    TextbookFactory,
    UnitFactory,
    column,
    lesson_with_exercises,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/k12"


def right_answers(questions) -> list[dict]:
    return [{"question": q.pk, "answer": q.answer.split("|")[0]} for q in questions]


# --- sections and resources ---------------------------------------------------------------------


def test_sections_list_the_six_sections_with_their_columns(api_client):
    body = api_client.get(f"{API}/sections/").json()
    assert body["count"] == 6
    course = body["results"][1]
    assert course["name"] == "课程教学"
    assert [c["stage"] for c in course["columns"]] == ["primary", "junior", "senior"]
    assert sum(len(s["columns"]) for s in body["results"]) == 36


def test_resources_filter_by_section_column_audience_kind_tag_and_text(api_client, search_indexed):
    tag = TagFactory(code="safety")
    wanted = ResourceFactory(
        column=column("life-safety"), audience="parent", kind="document", title="防溺水安全读本", tags=[tag]
    )
    ResourceFactory(column=column("life-safety"), audience="student", kind="document", tags=[tag])
    ResourceFactory(column=column("sports"), audience="parent", kind="document")
    ResourceFactory(
        column=column("life-safety"), audience="parent", kind="document", status=PublishStatus.DRAFT
    )
    query = {
        "section": "thematic",
        "column": "life-safety",
        "audience": "parent",
        "kind": "document",
        "tag": "safety",
        "q": "防溺水",
    }
    body = api_client.get(f"{API}/resources/", query).json()
    assert [r["id"] for r in body["results"]] == [wanted.pk]
    assert body["results"][0]["section"] == "thematic"
    assert body["results"][0]["tags"] == ["safety"]


def test_resources_order_by_views_for_hot_lists(api_client):
    cold = ResourceFactory(view_count=3)
    hot = ResourceFactory(view_count=300)
    body = api_client.get(f"{API}/resources/", {"ordering": "-views"}).json()
    assert [r["id"] for r in body["results"]] == [hot.pk, cold.pk]
    assert body["results"][0]["views"] == 300


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("resources", {"section": "nope"}, "section"),
        ("resources", {"column": "nope"}, "column"),
        ("resources", {"audience": "aliens"}, "audience"),
        ("resources", {"kind": "hologram"}, "kind"),
        ("resources", {"tag": "nope"}, "tag"),
        ("resources", {"ordering": "-popularity"}, "ordering"),
        ("textbooks", {"stage": "college"}, "stage"),
        ("textbooks", {"grade": "13"}, "grade"),
        ("textbooks", {"volume": "third"}, "volume"),
        ("textbooks", {"edition": "unknown"}, "edition"),
        ("lessons", {"subject": "alchemy"}, "subject"),
        ("lessons", {"textbook": "999999"}, "textbook"),
        ("etextbooks", {"publisher": "abc"}, "publisher"),
    ],
)
def test_unknown_filter_values_are_400_naming_the_field(api_client, path, params, field):
    response = api_client.get(f"{API}/{path}/", params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_resource_detail_and_drafts_are_404(api_client):
    resource = ResourceFactory(body="正文")
    draft = ResourceFactory(status=PublishStatus.DRAFT)
    assert api_client.get(f"{API}/resources/{resource.pk}/").json()["body"] == "正文"
    assert api_client.get(f"{API}/resources/{draft.pk}/").status_code == 404


def test_listing_is_read_only(api_client):
    api_client.force_authenticate(UserFactory(role=Role.TEACHER))
    assert api_client.post(f"{API}/resources/", {"title": "x"}).status_code == 405


# --- textbooks and lessons ----------------------------------------------------------------------


def test_textbooks_filter_by_stage_subject_edition_grade_and_volume(api_client):
    book = TextbookFactory()
    TextbookFactory()
    query = {
        "stage": "primary",
        "subject": "math",
        "edition": book.edition.code,
        "grade": book.grade.number,
        "volume": book.volume,
    }
    body = api_client.get(f"{API}/textbooks/", query).json()
    assert [b["id"] for b in body["results"]] == [book.pk]
    assert body["results"][0]["edition"] == {"code": book.edition.code, "name": book.edition.name}


def test_textbook_detail_is_the_unit_lesson_tree_without_drafts(api_client):
    unit = UnitFactory(title="第一单元")
    lesson = LessonFactory(unit=unit, title="第1课")
    LessonFactory(unit=unit, status=PublishStatus.DRAFT)
    body = api_client.get(f"{API}/textbooks/{unit.textbook_id}/").json()
    assert body["units"] == [
        {
            "id": unit.pk,
            "order": unit.order,
            "title": "第一单元",
            "lessons": [{"id": lesson.pk, "order": lesson.order, "title": "第1课"}],
        }
    ]


def test_lessons_filter_and_detail_hide_the_answers(api_client):
    lesson, _questions = lesson_with_exercises()
    LessonFactory(textbook=TextbookFactory())
    body = api_client.get(f"{API}/lessons/", {"textbook": lesson.textbook_id, "subject": "math"}).json()
    assert [item["id"] for item in body["results"]] == [lesson.pk]
    detail = api_client.get(f"{API}/lessons/{lesson.pk}/").json()
    assert [len(hour["questions"]) for hour in detail["hours"]] == [2, 1]
    question = detail["hours"][0]["questions"][0]
    assert set(question) == {"id", "order", "type", "prompt", "options"}


def test_unpublished_lessons_are_404(api_client):
    draft = LessonFactory(status=PublishStatus.DRAFT)
    assert api_client.get(f"{API}/lessons/{draft.pk}/").status_code == 404
    assert api_client.get(f"{API}/lessons/").json()["count"] == 0


# --- submissions --------------------------------------------------------------------------------


def test_a_student_submits_and_gets_score_and_correctness(api_client):
    lesson, (choice, judge, blank) = lesson_with_exercises()
    student = UserFactory(role=Role.STUDENT)
    api_client.force_authenticate(student)
    answers = [
        {"question": choice.pk, "answer": "A"},
        {"question": judge.pk, "answer": "true"},
        {"question": blank.pk, "answer": "7"},
    ]
    response = api_client.post(f"{API}/lessons/{lesson.pk}/submissions/", {"answers": answers}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["score"], body["correct_count"], body["question_count"]) == (67, 2, 3)
    by_question = {a["question"]: a for a in body["answers"]}
    assert by_question[choice.pk]["is_correct"] is False
    assert by_question[choice.pk]["correct_answer"] == "B"
    assert by_question[choice.pk]["explanation"]
    own = api_client.get(f"{API}/lessons/{lesson.pk}/submissions/").json()
    assert [s["id"] for s in own["results"]] == [body["id"]]


def test_token_authenticated_students_submit_too(api_client):
    lesson, questions = lesson_with_exercises()
    UserFactory(username="xiaoming", role=Role.STUDENT)
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "xiaoming", "password": "correct horse battery"}
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    response = api_client.post(
        f"{API}/lessons/{lesson.pk}/submissions/", {"answers": right_answers(questions)}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["score"] == 100


@pytest.mark.parametrize("problem", ["missing", "foreign", "duplicate", "not a list", "bad id"])
def test_bad_submissions_are_400_and_nothing_is_saved(api_client, problem):
    lesson, questions = lesson_with_exercises()
    api_client.force_authenticate(UserFactory(role=Role.STUDENT))
    answers = right_answers(questions)
    if problem == "missing":
        answers = answers[:-1]
    elif problem == "foreign":
        answers.append({"question": QuestionFactory().pk, "answer": "B"})
    elif problem == "duplicate":
        answers.append(answers[0])
    elif problem == "not a list":
        answers = "B"
    else:
        answers[0]["question"] = "first"
    response = api_client.post(f"{API}/lessons/{lesson.pk}/submissions/", {"answers": answers}, format="json")
    assert response.status_code == 400
    assert "answers" in response.json()
    assert not Submission.objects.exists()
    assert not SubmissionAnswer.objects.exists()


def test_anonymous_submission_is_refused(api_client):
    lesson, questions = lesson_with_exercises()
    response = api_client.post(
        f"{API}/lessons/{lesson.pk}/submissions/", {"answers": right_answers(questions)}, format="json"
    )
    assert response.status_code in (401, 403)
    assert api_client.get(f"{API}/lessons/{lesson.pk}/submissions/").status_code in (401, 403)
    assert not Submission.objects.exists()


def test_submitting_for_an_unpublished_lesson_is_404(api_client):
    lesson, questions = lesson_with_exercises(status=PublishStatus.DRAFT)
    api_client.force_authenticate(UserFactory(role=Role.STUDENT))
    response = api_client.post(
        f"{API}/lessons/{lesson.pk}/submissions/", {"answers": right_answers(questions)}, format="json"
    )
    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_teachers_cannot_submit(api_client):
    lesson, questions = lesson_with_exercises()
    api_client.force_authenticate(UserFactory(role=Role.TEACHER))
    response = api_client.post(
        f"{API}/lessons/{lesson.pk}/submissions/", {"answers": right_answers(questions)}, format="json"
    )
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_students_never_see_others_submissions(api_client):
    lesson, questions = lesson_with_exercises()
    api_client.force_authenticate(UserFactory(role=Role.STUDENT))
    api_client.post(
        f"{API}/lessons/{lesson.pk}/submissions/", {"answers": right_answers(questions)}, format="json"
    )
    api_client.force_authenticate(UserFactory(role=Role.STUDENT))
    assert api_client.get(f"{API}/lessons/{lesson.pk}/submissions/").json()["count"] == 0


# --- e-textbooks --------------------------------------------------------------------------------


def test_etextbook_detail_lists_chapters_with_their_lessons(api_client):
    lesson = LessonFactory()
    etextbook = ETextbookFactory(textbook=lesson.textbook)
    ChapterFactory(etextbook=etextbook, unit=lesson.unit, start_page=3)
    body = api_client.get(f"{API}/etextbooks/{etextbook.pk}/").json()
    assert body["chapters"][0]["lessons"] == [lesson.pk]
    assert body["chapters"][0]["start_page"] == 3
    listed = api_client.get(f"{API}/etextbooks/", {"subject": "math", "stage": "primary"}).json()
    assert [e["id"] for e in listed["results"]] == [etextbook.pk]


# --- query counts -------------------------------------------------------------------------------


def _content(size: int) -> dict[str, int]:
    tag = TagFactory()
    for _ in range(size):
        ResourceFactory(tags=[tag, TagFactory()])
        lesson, _questions = lesson_with_exercises()
        etextbook = ETextbookFactory(textbook=lesson.textbook)
        ChapterFactory(etextbook=etextbook, unit=lesson.unit)
        LessonFactory(unit=lesson.unit)
    return {"lesson": lesson.pk, "textbook": lesson.textbook_id, "etextbook": etextbook.pk}


API_QUERY_LIMITS = {
    "sections/": 3,
    "resources/?ordering=-views&section=thematic&tag={tag}": 5,
    "textbooks/?stage=primary&subject=math": 4,
    "textbooks/{textbook}/": 3,
    "lessons/?subject=math": 3,
    "lessons/{lesson}/": 3,
    "etextbooks/?stage=primary": 3,
    "etextbooks/{etextbook}/": 3,
}


@pytest.mark.parametrize(("path", "limit"), list(API_QUERY_LIMITS.items()))
def test_api_query_counts_do_not_grow_with_the_data(
    api_client, count_queries, django_assert_max_num_queries, path, limit
):
    from k12.models import Tag

    counts = []
    for size in (1, 6):
        ids = _content(size)
        ids["tag"] = Tag.objects.order_by("pk").first().code
        url = f"{API}/" + path.format(**ids)
        with django_assert_max_num_queries(limit):
            response, queries = count_queries(lambda url=url: api_client.get(url))
        assert response.status_code == 200
        counts.append(queries)
    assert counts[0] == counts[1]


def test_submission_list_query_count_does_not_grow(api_client, count_queries, django_assert_max_num_queries):
    lesson, questions = lesson_with_exercises()
    student = UserFactory(role=Role.STUDENT)
    api_client.force_authenticate(student)
    counts = []
    for times in (1, 5):
        for _ in range(times):
            api_client.post(
                f"{API}/lessons/{lesson.pk}/submissions/",
                {"answers": right_answers(questions)},
                format="json",
            )
        with django_assert_max_num_queries(4):
            _response, queries = count_queries(
                lambda: api_client.get(f"{API}/lessons/{lesson.pk}/submissions/")
            )
        counts.append(queries)
    assert counts[0] == counts[1]
