"""Parents and children: link codes (expiring, single use, rate-limited), the parent's view of the child's
record and nothing else, consent for a child under 14 (PIPL)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from k12 import services as k12_services
from smartedu.accounts.models import Role
from smartedu.guardians import access, services
from smartedu.guardians.models import GuardianLink, LinkCode
from tests.factories import UserFactory
from tests.factories.k12 import LessonFactory, lesson_with_exercises
from tests.factories.learning import ClassFactory, join, student, teacher

pytestmark = pytest.mark.django_db


def parent(**kwargs):
    return UserFactory(role=Role.PARENT, **kwargs)


def test_a_code_links_once_and_is_kept_only_as_a_digest():
    child, mum = student(), parent()
    code, expires_at = services.link_code_issue(child=child)
    assert len(code) == 8
    assert expires_at > timezone.now()
    assert code not in LinkCode.objects.get(child=child).digest
    link, created = services.guardian_link(parent=mum, code=f"{code[:4].lower()}-{code[4:]}")
    assert created
    assert link.child == child
    with pytest.raises(ValidationError) as exc:  # used up
        services.guardian_link(parent=parent(), code=code)
    assert "code" in exc.value.message_dict
    new_code, _ = services.link_code_issue(child=child)
    again, created_again = services.guardian_link(parent=mum, code=new_code)
    assert again == link
    assert not created_again


def test_expired_replaced_and_malformed_codes_are_refused_alike():
    child, mum = student(), parent()
    old, _ = services.link_code_issue(child=child)
    new, _ = services.link_code_issue(child=child)
    messages = set()
    for code, now in ((old, None), ("0O1IL", None), (new, timezone.now() + timedelta(hours=1))):
        with pytest.raises(ValidationError) as exc:
            services.guardian_link(parent=mum, code=code, now=now)
        messages.add(tuple(exc.value.message_dict["code"]))
    assert len(messages) == 1
    assert not GuardianLink.objects.exists()


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.GRADUATE])
def test_only_parents_link_and_only_students_show_codes(role):
    child = student()
    code, _ = services.link_code_issue(child=child)
    with pytest.raises(PermissionDenied):
        services.guardian_link(parent=UserFactory(role=role), code=code)
    with pytest.raises(PermissionDenied):
        services.link_code_issue(child=parent())


def test_wrong_codes_are_rate_limited_on_the_client_address(client, settings):
    settings.GUARDIANS_LINK_FAILURES_PER_USER = 3
    child, mum = student(), parent()
    code, _ = services.link_code_issue(child=child)
    client.force_login(mum)
    for _ in range(3):
        assert client.post(reverse("guardians:link"), {"code": "ABCD-EFGH"}).status_code == 400
    response = client.post(reverse("guardians:link"), {"code": code})  # even the right code
    assert response.status_code == 429
    assert not GuardianLink.objects.exists()


def test_the_student_sees_a_code_and_the_parent_links_through_the_pages(client):
    child, mum = student(first_name="小明"), parent()
    client.force_login(child)
    page = client.post(reverse("guardians:code")).content.decode()
    code = page.split('class="family-code"')[1].split("<strong>")[1].split("</strong>")[0]
    client.force_login(mum)
    response = client.post(reverse("guardians:link"), {"code": code})
    assert response.status_code == 302
    page = client.get(reverse("guardians:index")).content.decode()
    assert "小明" in page
    assert reverse("k12:child", args=[child.pk]) in page


def test_a_parent_sees_the_childs_record_and_nobody_else_does(client):
    lesson, _questions = lesson_with_exercises()
    t = teacher()
    klass = ClassFactory(teacher=t, platform="k12")
    child, other_child, mum, other_mum = student(), student(), parent(), parent()
    join(child, klass)
    quiz, _ = k12_services.homework_assign(
        teacher=t, lesson=lesson, class_id=klass.pk, due_at=timezone.now() + timedelta(days=1)
    )
    from smartedu.quizzes import selectors as quiz_selectors
    from smartedu.quizzes import services as quiz_services

    rows = quiz_selectors.quiz_questions(quiz=quiz)
    quiz_services.attempt_submit(
        student=child, quiz=quiz, answers={rows[0].pk: "B", rows[1].pk: "true", rows[2].pk: "8"}
    )
    for kid, guardian in ((child, mum), (other_child, other_mum)):
        code, _ = services.link_code_issue(child=kid)
        services.guardian_link(parent=guardian, code=code)

    client.force_login(mum)
    response = client.get(reverse("k12:child", args=[child.pk]))
    assert response.status_code == 200
    assert quiz.title in response.content.decode()
    assert ">67<" in response.content.decode().replace(" ", "")
    # another parent's child, the child itself, the child's teacher, a stranger: alike 404
    assert client.get(reverse("k12:child", args=[other_child.pk])).status_code == 404
    for user in (other_mum, child, t, parent(), UserFactory(role=Role.ADMIN)):
        client.force_login(user)
        assert client.get(reverse("k12:child", args=[child.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("k12:child", args=[child.pk])).status_code == 302


def test_either_party_may_unlink_nobody_else(client):
    child, mum = student(), parent()
    code, _ = services.link_code_issue(child=child)
    link, _ = services.guardian_link(parent=mum, code=code)
    client.force_login(parent())
    assert client.post(reverse("guardians:unlink", args=[link.pk])).status_code == 404
    client.force_login(child)
    assert client.post(reverse("guardians:unlink", args=[link.pk])).status_code == 302
    assert not GuardianLink.objects.exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.GRADUATE, Role.EMPLOYER])
def test_the_family_page_is_for_parents_and_students(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("guardians:index")).status_code == 403
    assert client.post(reverse("guardians:code")).status_code == 403


def test_a_child_under_14_keeps_no_favourites_until_a_guardian_consents(client):
    today = timezone.localdate()
    young = student(birth_date=date(today.year - 10, 1, 1))
    older = student(birth_date=date(today.year - 15, 1, 1))
    lesson = LessonFactory()
    assert access.needs_guardian_consent(young)
    assert not access.needs_guardian_consent(older)
    with pytest.raises(PermissionDenied):
        k12_services.favourite_add(user=young, lesson=lesson)
    k12_services.favourite_add(user=older, lesson=lesson)

    client.force_login(young)
    client.post(reverse("k12:lesson-favourite", args=[lesson.pk]))
    assert not young.k12_favourites.exists()
    # learning records are kept: the lesson visit (lessons studied) is recorded
    client.get(reverse("k12:lesson", args=[lesson.pk]))
    assert young.k12_visits.exists()

    mum = parent()
    code, _ = services.link_code_issue(child=young)
    services.guardian_link(parent=mum, code=code)
    assert access.needs_guardian_consent(young)  # linked, but no consent yet
    client.force_login(mum)
    client.post(reverse("guardians:consent", args=[young.pk]), {"consent": "on"})
    assert not access.needs_guardian_consent(young)
    k12_services.favourite_add(user=young, lesson=lesson)
    client.post(reverse("guardians:consent", args=[young.pk]), {})
    assert access.needs_guardian_consent(young)
    # a parent not linked cannot consent
    client.force_login(parent())
    assert client.post(reverse("guardians:consent", args=[young.pk]), {"consent": "on"}).status_code == 404


def test_age_is_counted_to_the_birthday():
    assert access.age_on(date(2012, 11, 27), date(2026, 11, 26)) == 13
    assert access.age_on(date(2012, 11, 26), date(2026, 11, 26)) == 14


def test_the_family_education_section_links_to_the_parents_view(client):
    from k12.models import Section

    section = Section.objects.get(code="family-education")
    page = client.get(reverse("k12:section", args=[section.code])).content.decode()
    assert f'href="{reverse("guardians:index")}"' in page
    other = client.get(reverse("k12:section", args=["thematic"])).content.decode()
    assert f'href="{reverse("guardians:index")}"' not in other


def test_the_childs_record_reads_in_fixed_queries(client, django_assert_max_num_queries):
    t = teacher()
    klass = ClassFactory(teacher=t, platform="k12")
    child, mum = student(), parent()
    join(child, klass)
    for days in range(1, 6):
        lesson, _questions = lesson_with_exercises()
        k12_services.homework_assign(
            teacher=t, lesson=lesson, class_id=klass.pk, due_at=timezone.now() + timedelta(days=days)
        )
        k12_services.lesson_visit_record(user=child, lesson=lesson)
    code, _ = services.link_code_issue(child=child)
    services.guardian_link(parent=mum, code=code)
    client.force_login(mum)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("k12:child", args=[child.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("<tr><td>") == 5


def test_a_child_under_14_adds_no_profile_details_until_a_guardian_consents():
    from smartedu.accounts import services as account_services
    from smartedu.accounts.models import Province

    today = timezone.localdate()
    young = student(birth_date=date(today.year - 9, 6, 1))
    beijing = Province.objects.get(code="11")
    with pytest.raises(ValidationError) as exc:
        account_services.user_update_profile(
            user=young, email=young.email, province=beijing, institution="北京市第一小学", first_name="小红"
        )
    assert set(exc.value.message_dict) == {"province", "institution", "first_name"}
    # the account itself (e-mail) may change
    account_services.user_update_profile(user=young, email="new@example.org", province=None, institution="")
    mum = parent()
    code, _ = services.link_code_issue(child=young)
    services.guardian_link(parent=mum, code=code)
    services.guardian_consent_set(parent=mum, child_id=young.pk, consent=True)
    account_services.user_update_profile(
        user=young, email=young.email, province=beijing, institution="北京市第一小学", first_name="小红"
    )
