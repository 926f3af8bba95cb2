import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from k12.models import (
    Edition,
    ETextbook,
    Grade,
    Lesson,
    PublishStatus,
    Resource,
    Stage,
    Subject,
    Textbook,
    Volume,
)
from k12.pdf import minimal_pdf
from smartedu.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.k12 import (
    ChapterFactory,
    LessonFactory,
    PublisherFactory,
    QuestionFactory,
    ResourceFactory,
    TextbookFactory,
    UnitFactory,
    column,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "section",
    "column",
    "tag",
    "resource",
    "partnerlink",
    "publisher",
    "textbook",
    "lesson",
    "lessonhour",
    "etextbook",
    "submission",
]


@pytest.fixture
def editor(client):
    user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", MODELS)
def test_every_content_list_renders_with_its_filters(client, editor, model):
    QuestionFactory()
    ChapterFactory()
    ResourceFactory()
    response = client.get(reverse(f"admin:k12_{model}_changelist"), {"q": "1"})
    assert response.status_code == 200


def test_publish_and_unpublish_actions(client, editor):
    draft = ResourceFactory(status=PublishStatus.DRAFT, published_at=None)
    url = reverse("admin:k12_resource_changelist")
    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.published_at is not None
    lesson = QuestionFactory().hour.lesson
    client.post(
        reverse("admin:k12_lesson_changelist"), {"action": "unpublish", "_selected_action": [lesson.pk]}
    )
    assert Lesson.objects.get(pk=lesson.pk).status == PublishStatus.DRAFT


def test_saving_a_resource_in_the_admin_keeps_its_section_with_its_column(client, editor):
    resource = ResourceFactory(column=column("party-history"))
    target = column("parent-classroom")
    response = client.post(
        reverse("admin:k12_resource_change", args=[resource.pk]),
        {
            "status": PublishStatus.PUBLISHED,
            "published_at_0": "2024-03-01",
            "published_at_1": "08:00:00",
            "column": target.pk,
            "kind": "video",
            "audience": "parent",
            "title": "家长课堂第一讲",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Resource.objects.get(pk=resource.pk)
    assert saved.section.code == "family-education"
    assert saved.published_at is not None


def test_a_resource_published_in_the_admin_gets_a_publication_date(client, editor):
    response = client.post(
        reverse("admin:k12_resource_add"),
        {
            "status": PublishStatus.PUBLISHED,
            "column": column("sports").pk,
            "kind": "video",
            "audience": "student",
            "title": "第九套广播体操",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get(title="第九套广播体操")
    assert resource.published_at is not None
    assert resource.section.code == "after-school"


def test_the_admin_rejects_a_question_whose_answer_is_not_an_option(client, editor):
    question = QuestionFactory()
    hour = question.hour
    prefix = "questions"
    data = {
        "lesson": hour.lesson_id,
        "order": hour.order,
        "title": hour.title,
        "duration": 0,
        "teaching_design": "",
        "task_sheet": "",
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-INITIAL_FORMS": 1,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
        f"{prefix}-0-id": question.pk,
        f"{prefix}-0-hour": hour.pk,
        f"{prefix}-0-order": 1,
        f"{prefix}-0-kind": "choice",
        f"{prefix}-0-prompt": question.prompt,
        f"{prefix}-0-options": '[{"key": "A", "text": "1"}, {"key": "B", "text": "2"}]',
        f"{prefix}-0-answer": "Z",
        f"{prefix}-0-explanation": "",
    }
    response = client.post(reverse("admin:k12_lessonhour_change", args=[hour.pk]), data)
    assert response.status_code == 200  # shown again with the error
    question.refresh_from_db()
    assert question.answer == "B"


# --- admin writes keep the services' invariants (issue 7, point 3) ------------------------------


def _inline(prefix: str, rows: list[dict] | None = None, initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows or []),
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows or []):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def _saved(response) -> None:
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for f in response.context["inline_admin_formsets"][0].formset.forms]
        if response.context.get("inline_admin_formsets")
        else None,
    )


def test_a_lesson_published_in_the_admin_gets_its_date_its_units_textbook_and_the_next_order(client, editor):
    unit = UnitFactory()
    LessonFactory(unit=unit)  # order 1
    other_book = TextbookFactory()
    response = client.post(
        reverse("admin:k12_lesson_add"),
        {
            "unit": unit.pk,
            "order": "",
            "title": "17.1 勾股定理",
            "summary": "",
            "start_page": "",
            "end_page": "",
            "status": PublishStatus.PUBLISHED,
            "textbook": other_book.pk,  # not a field of the form: the unit decides
            **_inline(
                "hours",
                [{"order": "", "title": "第一课时", "duration": 0}, {"title": "第二课时", "duration": 0}],
            ),
        },
    )
    _saved(response)
    lesson = Lesson.objects.get(title="17.1 勾股定理")
    assert lesson.published_at is not None
    assert lesson.textbook_id == unit.textbook_id
    assert lesson.order == 2
    assert list(lesson.hours.values_list("order", flat=True)) == [1, 2]


def test_moving_a_lesson_to_another_unit_in_the_admin_moves_it_to_that_units_textbook(client, editor):
    lesson = LessonFactory(status=PublishStatus.DRAFT, published_at=None)
    target = UnitFactory()
    LessonFactory(unit=target)
    response = client.post(
        reverse("admin:k12_lesson_change", args=[lesson.pk]),
        {
            "unit": target.pk,
            "order": 0,
            "title": lesson.title,
            "status": PublishStatus.DRAFT,
            **_inline("hours"),
        },
    )
    _saved(response)
    lesson.refresh_from_db()
    assert (lesson.unit_id, lesson.textbook_id, lesson.order) == (target.pk, target.textbook_id, 2)
    assert lesson.published_at is None  # a draft has no publication date


def test_a_textbook_created_in_the_admin_is_named_sorted_and_dated_by_the_services(client, editor):
    response = client.post(
        reverse("admin:k12_textbook_add"),
        {
            "edition": Edition.objects.get(code="pep").pk,
            "subject": Subject.objects.get(code="math").pk,
            "stage": Stage.objects.get(code="junior").pk,
            "grade": Grade.objects.get(number=8).pk,
            "volume": Volume.SPRING,
            "title": "",
            "publisher": "",
            "status": PublishStatus.PUBLISHED,
            **_inline(
                "units", [{"title": "第十七章 勾股定理", "order": ""}, {"title": "第十八章 平行四边形"}]
            ),
        },
    )
    _saved(response)
    book = Textbook.objects.get()
    assert book.title == "数学 八年级下册（人教版）"
    assert book.publisher.name == "人民教育出版社"
    assert book.order > 0
    assert book.published_at is not None
    assert list(book.units.values_list("order", "title")) == [
        (1, "第十七章 勾股定理"),
        (2, "第十八章 平行四边形"),
    ]


def test_the_textbook_admin_refuses_impossible_books(client, editor):
    response = client.post(
        reverse("admin:k12_textbook_add"),
        {
            "edition": Edition.objects.get(code="pep").pk,
            "subject": Subject.objects.get(code="chemistry").pk,
            "stage": Stage.objects.get(code="primary").pk,
            "grade": Grade.objects.get(number=1).pk,
            "volume": Volume.AUTUMN,
            "status": PublishStatus.PUBLISHED,
            **_inline("units"),
        },
    )
    assert response.status_code == 200
    assert "subject" in response.context["adminform"].form.errors
    assert not Textbook.objects.exists()


def test_an_etextbook_published_in_the_admin_gets_its_date_and_numbered_chapters(client, editor):
    unit = UnitFactory()
    response = client.post(
        reverse("admin:k12_etextbook_add"),
        {
            "title": "数学 一年级上册",
            "publisher": PublisherFactory().pk,
            "subject": Subject.objects.get(code="math").pk,
            "stage": Stage.objects.get(code="primary").pk,
            "grade": Grade.objects.get(number=1).pk,
            "volume": Volume.AUTUMN,
            "file": SimpleUploadedFile("book.pdf", minimal_pdf(title="x", pages=6)),
            "page_count": 6,
            "status": PublishStatus.PUBLISHED,
            **_inline(
                "chapters",
                [
                    {"title": "第一单元", "start_page": 3, "unit": unit.pk, "order": ""},
                    {"title": "第二单元", "start_page": 5, "order": ""},
                ],
            ),
        },
    )
    _saved(response)
    etextbook = ETextbook.objects.get()
    assert etextbook.published_at is not None
    assert list(etextbook.chapters.values_list("order", "title")) == [(1, "第一单元"), (2, "第二单元")]


def test_a_question_added_in_the_admin_goes_last(client, editor):
    question = QuestionFactory()
    hour = question.hour
    response = client.post(
        reverse("admin:k12_lessonhour_change", args=[hour.pk]),
        {
            "lesson": hour.lesson_id,
            "order": hour.order,
            "title": hour.title,
            "duration": 0,
            **_inline(
                "questions",
                [
                    {
                        "id": question.pk,
                        "hour": hour.pk,
                        "order": question.order,
                        "kind": question.kind,
                        "prompt": question.prompt,
                        "options": '[{"key": "A", "text": "1"}, {"key": "B", "text": "2"}]',
                        "answer": "B",
                    },
                    {
                        "hour": hour.pk,
                        "order": "",
                        "kind": "fill_in",
                        "prompt": "3 + 4 = ____",
                        "answer": "7",
                    },
                ],
                initial=1,
            ),
        },
    )
    _saved(response)
    assert list(hour.questions.values_list("order", flat=True)) == [1, 2]


def test_the_admin_lists_what_is_visible_on_the_site(client, editor):
    shown = LessonFactory(title="看得见的课")
    LessonFactory(title="教材未发布的课", textbook=TextbookFactory(status=PublishStatus.DRAFT))
    response = client.get(reverse("admin:k12_lesson_changelist"), {"visible": "yes"})
    assert [lesson.pk for lesson in response.context["cl"].result_list] == [shown.pk]
    hidden = client.get(reverse("admin:k12_lesson_changelist"), {"visible": "no"})
    assert [lesson.title for lesson in hidden.context["cl"].result_list] == ["教材未发布的课"]
