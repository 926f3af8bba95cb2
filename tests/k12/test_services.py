import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from k12 import services
from k12.models import (
    Edition,
    ETextbook,
    Favourite,
    Grade,
    LessonVisit,
    PublishStatus,
    QuestionKind,
    Resource,
    ResourceKind,
    Stage,
    Subject,
    Submission,
    SubmissionAnswer,
    Volume,
)
from k12.pdf import minimal_pdf
from smartedu.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.k12 import (
    LessonFactory,
    PublisherFactory,
    QuestionFactory,
    ResourceFactory,
    UnitFactory,
    column,
    lesson_with_exercises,
)

pytestmark = pytest.mark.django_db


def _taxonomy(stage="primary", subject="math", grade=1):
    return {
        "edition": Edition.objects.get(code="pep"),
        "subject": Subject.objects.get(code=subject),
        "stage": Stage.objects.get(code=stage),
        "grade": Grade.objects.get(number=grade) if grade else None,
    }


# --- textbooks ----------------------------------------------------------------------------------


def test_textbook_create_names_the_book_and_takes_the_editions_publisher():
    book = services.textbook_create(**_taxonomy(), volume=Volume.AUTUMN, status=PublishStatus.PUBLISHED)
    assert book.title == "数学 一年级上册（人教版）"
    assert book.publisher.name == "人民教育出版社"
    assert book.published_at is not None
    senior = services.textbook_create(**_taxonomy(stage="senior", grade=None), volume=Volume.COMPULSORY_1)
    assert senior.title == "数学 必修第一册（人教版）"
    assert senior.order < book.order


@pytest.mark.parametrize(
    ("taxonomy", "volume", "field"),
    [
        ({"subject": "chemistry", "stage": "primary", "grade": 1}, Volume.AUTUMN, "subject"),  # not taught
        ({"subject": "english", "stage": "primary", "grade": 1}, Volume.AUTUMN, "grade"),  # from grade 3
        ({"subject": "math", "stage": "primary", "grade": 8}, Volume.AUTUMN, "grade"),  # other stage
        ({"subject": "math", "stage": "primary", "grade": None}, Volume.AUTUMN, "grade"),  # term needs grade
        ({"subject": "math", "stage": "primary", "grade": 1}, Volume.COMPULSORY_1, "volume"),
    ],
)
def test_textbook_create_rejects_impossible_books(taxonomy, volume, field):
    with pytest.raises(ValidationError) as exc:
        services.textbook_create(**_taxonomy(**taxonomy), volume=volume)
    assert field in exc.value.message_dict


def test_lesson_create_numbers_lessons_within_their_unit():
    unit = UnitFactory()
    first = services.lesson_create(unit=unit, title="一")
    second = services.lesson_create(unit=unit, title="二", status=PublishStatus.PUBLISHED)
    assert (first.order, second.order) == (1, 2)
    assert second.textbook_id == unit.textbook_id
    assert not first.is_published
    assert second.published_at is not None
    hour = services.lesson_hour_create(lesson=first, title="第一课时")
    assert hour.order == 1


@pytest.mark.parametrize(
    ("kind", "options", "answer", "field"),
    [
        (QuestionKind.CHOICE, [{"key": "A", "text": "x"}], "A", "options"),
        (QuestionKind.CHOICE, [{"key": "A", "text": "x"}, {"key": "A", "text": "y"}], "A", "options"),
        (QuestionKind.CHOICE, [{"key": "A", "text": "x"}, {"key": "B", "text": "y"}], "C", "answer"),
        (QuestionKind.TRUE_FALSE, [], "yes", "answer"),
        (QuestionKind.FILL_IN, [], " ", "answer"),
    ],
)
def test_question_create_checks_its_shape(kind, options, answer, field):
    hour = LessonFactory().hours.create(order=1, title="第一课时")
    with pytest.raises(ValidationError) as exc:
        services.question_create(hour=hour, kind=kind, prompt="?", options=options, answer=answer)
    assert field in exc.value.message_dict
    assert not hour.questions.exists()


# --- resources and publishing -------------------------------------------------------------------


def test_resource_create_takes_its_section_from_its_column():
    resource = services.resource_create(
        column=column("sports"), kind=ResourceKind.VIDEO, audience="student", title="第九套广播体操"
    )
    assert resource.section.code == "after-school"
    assert resource.status == PublishStatus.DRAFT


def test_resource_save_moves_section_with_column():
    resource = ResourceFactory(column=column("party-history"))
    resource.column = column("parent-classroom")
    services.resource_save(resource=resource)
    resource.refresh_from_db()
    assert resource.section.code == "family-education"


def test_a_link_resource_needs_a_valid_address():
    with pytest.raises(ValidationError) as exc:
        services.resource_create(
            column=column("study-tours"),
            kind=ResourceKind.LINK,
            audience="student",
            title="x",
            url="not a url",
        )
    assert "url" in exc.value.message_dict
    assert not Resource.objects.exists()


def test_publish_and_unpublish_keep_the_first_publication_date():
    draft = ResourceFactory(status=PublishStatus.DRAFT, published_at=None)
    assert services.content_publish(queryset=Resource.objects.all()) == 1
    draft.refresh_from_db()
    first = draft.published_at
    assert draft.is_published
    assert first is not None
    assert services.content_unpublish(queryset=Resource.objects.all()) == 1
    assert services.content_publish(queryset=Resource.objects.all()) == 1
    draft.refresh_from_db()
    assert draft.published_at == first


# --- submissions --------------------------------------------------------------------------------


def test_submission_create_grades_every_answer():
    student = UserFactory(role=Role.STUDENT)
    lesson, (choice, judge, blank) = lesson_with_exercises()
    submission = services.submission_create(
        student=student, lesson=lesson, answers={choice.pk: "B", judge.pk: "false", blank.pk: " 七 "}
    )
    assert (submission.correct_count, submission.question_count, submission.score) == (2, 3, 67)
    results = dict(
        SubmissionAnswer.objects.filter(submission=submission).values_list("question", "is_correct")
    )
    assert results == {choice.pk: True, judge.pk: False, blank.pk: True}


@pytest.mark.parametrize("problem", ["missing", "foreign", "blank", "not an option"])
def test_submission_create_rejects_bad_answers_and_writes_nothing(problem):
    student = UserFactory(role=Role.STUDENT)
    lesson, (choice, judge, blank) = lesson_with_exercises()
    answers = {choice.pk: "B", judge.pk: "true", blank.pk: "7"}
    if problem == "missing":
        del answers[judge.pk]
    elif problem == "foreign":
        answers[QuestionFactory().pk] = "B"
    elif problem == "blank":
        answers[blank.pk] = "  "
    else:
        answers[choice.pk] = "Z"
    with pytest.raises(ValidationError) as exc:
        services.submission_create(student=student, lesson=lesson, answers=answers)
    assert list(exc.value.message_dict) == ["answers"]
    assert not Submission.objects.exists()
    assert not SubmissionAnswer.objects.exists()


def test_only_students_submit_and_only_for_published_lessons():
    lesson, questions = lesson_with_exercises()
    answers = {q.pk: q.answer.split("|")[0] for q in questions}
    with pytest.raises(PermissionDenied):
        services.submission_create(student=UserFactory(role=Role.TEACHER), lesson=lesson, answers=answers)
    draft, draft_questions = lesson_with_exercises(status=PublishStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.submission_create(
            student=UserFactory(role=Role.STUDENT),
            lesson=draft,
            answers={q.pk: q.answer.split("|")[0] for q in draft_questions},
        )
    assert not Submission.objects.exists()


def test_a_lesson_without_exercises_cannot_be_submitted():
    with pytest.raises(ValidationError):
        services.submission_create(student=UserFactory(), lesson=LessonFactory(), answers={})


# --- favourites and visits ----------------------------------------------------------------------


def test_favourites_are_idempotent_and_removable():
    user = UserFactory()
    lesson = LessonFactory()
    services.favourite_add(user=user, lesson=lesson)
    services.favourite_add(user=user, lesson=lesson)
    assert Favourite.objects.filter(user=user).count() == 1
    assert services.favourite_remove(user=user, lesson=lesson) == 1
    assert services.favourite_remove(user=user, lesson=lesson) == 0
    with pytest.raises(ValidationError):
        services.favourite_add(user=user)


def test_lesson_visit_record_keeps_one_row_per_lesson_and_writes_once_per_window(django_assert_num_queries):
    user = UserFactory()
    lesson = LessonFactory()
    services.lesson_visit_record(user=user, lesson=lesson)
    first = LessonVisit.objects.get(user=user, lesson=lesson).last_seen_at
    # a reload within the window writes nothing
    with django_assert_num_queries(0):
        services.lesson_visit_record(user=user, lesson=lesson)
    # once the window has passed, the time moves on
    cache.delete(f"k12:visit:{user.pk}:{lesson.pk}")
    services.lesson_visit_record(user=user, lesson=lesson)
    visits = LessonVisit.objects.filter(user=user)
    assert visits.count() == 1
    assert visits.get().last_seen_at > first


# --- e-textbooks --------------------------------------------------------------------------------


def test_etextbook_create_stores_the_pdf_and_its_contents():
    unit = UnitFactory()
    etextbook = services.etextbook_create(
        title="数学 一年级上册",
        publisher=PublisherFactory(),
        subject=Subject.objects.get(code="math"),
        stage=Stage.objects.get(code="primary"),
        volume=Volume.AUTUMN,
        pdf=minimal_pdf(title="x", pages=8),
        page_count=8,
        chapters=[("第一单元", 1, unit), ("第二单元", 5, None)],
        textbook=unit.textbook,
    )
    assert default_storage.exists(etextbook.file.name)
    assert etextbook.file.read().startswith(b"%PDF-1.4")
    assert list(etextbook.chapters.values_list("title", "start_page", "unit")) == [
        ("第一单元", 1, unit.pk),
        ("第二单元", 5, None),
    ]


def test_etextbook_create_rejects_a_chapter_past_the_last_page():
    with pytest.raises(ValidationError):
        services.etextbook_create(
            title="x",
            publisher=PublisherFactory(),
            subject=Subject.objects.get(code="math"),
            stage=Stage.objects.get(code="primary"),
            volume=Volume.AUTUMN,
            pdf=minimal_pdf(title="x", pages=2),
            page_count=2,
            chapters=[("第一单元", 3, None)],
        )
    assert not ETextbook.objects.exists()
