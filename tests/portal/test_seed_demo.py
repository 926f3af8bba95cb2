import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from smartedu.accounts.models import Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # every sub-platform's small seed

DEMO = {
    "admin": Role.ADMIN,
    "admin_gd": Role.ADMIN,
    "student": Role.STUDENT,
    "teacher": Role.TEACHER,
    "graduate": Role.GRADUATE,
    "employer": Role.EMPLOYER,
    "officer": Role.OFFICER,
    "counsellor": Role.COUNSELLOR,
    "parent": Role.PARENT,
}


def snapshot() -> list[tuple]:
    return list(User.objects.order_by("username").values_list("username", "role", "email", "province__code"))


def test_seed_demo_creates_the_demo_accounts_and_is_idempotent(capsys):
    call_command("seed_demo", "--scale", "small")
    first = snapshot()
    out, err = capsys.readouterr()
    call_command("seed_demo", "--scale", "small")
    assert snapshot() == first
    # Besides the demo accounts, higher education seeds sign-in-less learner accounts for its enrolments,
    # vocational the demo student's sign-in-less classmates, and employment graduates and employers in every
    # state (em_), the employment front a few officers and counsellors of other universities (front_).
    prefixes = ("he_learner_", "he_bot_", "voc_student_", "em_", "front_")
    assert {u: r for u, r, *_ in first if not u.startswith(prefixes)} == DEMO
    for username in DEMO:
        assert username in out
    assert "smartedu-demo" in out
    # DESIGN.md: the demo parent is linked to the demo student; the demo teacher's K-12 class has the student
    assert (
        User.objects.get(username="parent").guardian_links_as_parent.filter(child__username="student").count()
        == 1
    )
    assert (
        User.objects.get(username="student")
        .class_memberships.filter(klass__teacher__username="teacher", klass__platform="k12")
        .exists()
    )
    assert "accounts" in err
    assert "100%" in err


def test_demo_accounts_log_in_and_can_act():
    call_command("seed_demo", "--no-progress")
    request = RequestFactory().post("/accounts/login/")
    for username, role in DEMO.items():
        user = authenticate(request=request, username=username, password="smartedu-demo")
        assert user is not None, username
        assert user.role == role
        assert user.is_approved
    assert User.objects.get(username="admin").is_superuser
    assert (
        User.objects.get(username="admin_gd").scope_province_id
        == User.objects.get(username="employer").province_id
    )  # 广东 (44)
