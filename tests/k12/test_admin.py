import pytest
from django.urls import reverse

from k12.models import Lesson, PublishStatus, Resource
from smartedu.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.k12 import ChapterFactory, QuestionFactory, ResourceFactory, column

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
    assert Resource.objects.get(pk=resource.pk).section.code == "family-education"


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
