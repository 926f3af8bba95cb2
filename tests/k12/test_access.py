"""One rule, every entry point: "only students submit exercises" holds in the service, the page, the
form shown on the page, the API and the navigation alike (k12/access.py)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from k12 import access, services
from k12.models import Submission
from smartedu.accounts.models import Role
from smartedu.portal.registry import nav_links_for
from tests.factories import UserFactory
from tests.factories.k12 import lesson_with_exercises

pytestmark = pytest.mark.django_db

ROLES = [*Role.values, "anonymous", "inactive student"]


def _user(role: str):
    if role == "anonymous":
        return None
    if role == "inactive student":
        return UserFactory(role=Role.STUDENT, is_active=False)
    return UserFactory(role=role, is_staff=role == Role.ADMIN)


@pytest.mark.parametrize("role", ROLES)
def test_only_students_submit_at_every_entry_point(client, api_client, role):
    lesson, questions = lesson_with_exercises()
    user = _user(role)
    allowed = role == Role.STUDENT
    answers = {q.pk: q.answer.split("|")[0] for q in questions}
    assert access.can_submit_exercises(user) is allowed

    # the service
    if user is not None:
        if allowed:
            services.submission_create(student=user, lesson=lesson, answers=answers)
        else:
            with pytest.raises(PermissionDenied):
                services.submission_create(student=user, lesson=lesson, answers=answers)

    # the page: the form is shown only to those the submit view accepts
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("k12:lesson", args=[lesson.pk]))
    submit_url = reverse("k12:lesson-submit", args=[lesson.pk])
    assert (submit_url in page.text) is allowed
    posted = client.post(submit_url, {f"q{pk}": value for pk, value in answers.items()})
    if allowed:
        assert posted.status_code == 302
    elif user is None or not user.is_active:
        assert posted.status_code == 302  # to the login page
        assert "/accounts/login/" in posted["Location"]
    else:
        assert posted.status_code == 403

    # the API
    if user is not None and user.is_active:
        api_client.force_authenticate(user)
    response = api_client.post(
        f"/api/v1/k12/lessons/{lesson.pk}/submissions/",
        {"answers": [{"question": pk, "answer": value} for pk, value in answers.items()]},
        format="json",
    )
    signed_in = user is not None and user.is_active
    assert (
        response.status_code == (201 if allowed else 403) if signed_in else response.status_code in (401, 403)
    )
    assert Submission.objects.count() == (3 if allowed else 0)


@pytest.mark.parametrize("role", ROLES)
def test_my_learning_is_linked_exactly_for_those_it_opens_for(client, role):
    user = _user(role)
    shown = user is not None and "k12-my-learning" in {link.key for link in nav_links_for(user)}
    assert shown is access.my_learning_openable(user)
    if user is not None:
        client.force_login(user)
    status = client.get(reverse("k12:my-learning")).status_code
    assert (status == 200) is shown
