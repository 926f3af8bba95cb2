import pytest

from smartedu.accounts.seed import seed_accounts
from smartedu.portal.registry import no_progress
from smartedu.quizzes.models import Quiz
from smartedu.search.models import SearchDocument
from vocational import seed as vocational_seed
from vocational import selectors
from vocational.models import (
    ClassQuestion,
    Course,
    CourseKind,
    CourseMetric,
    Library,
    Resource,
    SpecialtyCategory,
    StudyDay,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def seeded(search_indexed):
    seed_accounts(scale="small", progress=no_progress)
    vocational_seed.seed_vocational(scale="small", progress=no_progress)


def _snapshot():
    return (
        Library.objects.count(),
        Course.objects.count(),
        Resource.objects.count(),
        Quiz.objects.count(),
        ClassQuestion.objects.count(),
        StudyDay.objects.count(),
    )


def test_small_scale_is_real_looking_idempotent_and_ready_for_the_demo(seeded):
    first = _snapshot()
    vocational_seed.seed_vocational(scale="small", progress=no_progress)
    assert _snapshot() == first
    # libraries with their partners (the seed: about 17.5 colleges and 16 enterprises each)
    for library in selectors.library_list():
        assert 15 <= library.college_count <= 20
        assert 14 <= library.enterprise_count <= 18
    # every library resource carries exercises
    resources = set(Resource.objects.filter(owner__isnull=True).values_list("pk", flat=True))
    with_quiz = set(Quiz.objects.filter(owner_kind="vocational.resource").values_list("owner_id", flat=True))
    assert resources <= with_quiz
    # quality courses and open classes for every category
    categories = set(
        Course.objects.filter(kind=CourseKind.QUALITY).values_list(
            "specialty__specialty_class__category__code", flat=True
        )
    )
    assert categories == set(SpecialtyCategory.objects.values_list("code", flat=True))
    # the demo teacher's copy: published, with upstream changes waiting and non-trivial rates
    course = Course.objects.get(kind=CourseKind.PERSONAL, owner__username="teacher")
    assert course.publications.get().klass.memberships.filter(student__username="student").exists()
    assert selectors.pending_change_count(course=course) == 3
    overall = CourseMetric.objects.filter(course=course, klass__isnull=True, student__isnull=True).latest(
        "end"
    )
    for value in (overall.mastery, overall.interaction, overall.response):
        assert value is not None
        assert 0 < value < 1
    # searchable
    assert SearchDocument.objects.filter(kind="vocational.library").count() == Library.objects.count()


def test_seed_scale_adds_teacher_built_courses_in_bulk(monkeypatch):
    monkeypatch.setattr(vocational_seed, "SEED_COURSES", 120)
    monkeypatch.setattr(vocational_seed, "SEED_TEACHERS", 7)
    monkeypatch.setattr(vocational_seed, "CHUNK", 50)
    vocational_seed._bulk_personal_courses(no_progress)
    vocational_seed._bulk_personal_courses(no_progress)
    personal = Course.objects.filter(kind=CourseKind.PERSONAL)
    assert personal.count() == 120
    assert personal.values("owner").distinct().count() == 7
    assert personal.values("specialty__specialty_class__category").distinct().count() == 19
