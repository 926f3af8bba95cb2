"""Fairs: creation rules, registrations and approval, applications that carry the fair, counters, freeze."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from employment.fairs import services
from employment.fairs.models import Fair, FairApplication, FairJob, FairKind, FairRegistration
from employment.models import Application
from smartedu.accounts.models import Province, Role
from tests.factories import UserFactory
from tests.factories import employment as f
from tests.factories import employment_fairs as ff

pytestmark = pytest.mark.django_db


def test_a_joint_fair_needs_two_universities_and_the_window_must_be_ordered():
    with pytest.raises(ValidationError) as error:
        ff.fair(kind=FairKind.JOINT, organisers=("中山大学",), lasts=timedelta(days=-1))
    assert set(error.value.message_dict) == {"organisers", "ends_at"}


def test_a_sector_fair_names_its_sector_and_a_regional_one_its_province():
    start = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.fair_create(
            actor=ff.ministry(),
            data=services.FairInput(
                title="专场", kind=FairKind.SECTOR, starts_at=start, ends_at=start + timedelta(1)
            ),
        )
    assert "sector" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.fair_create(
            actor=ff.ministry(),
            data=services.FairInput(
                title="区域", kind=FairKind.REGIONAL, starts_at=start, ends_at=start + timedelta(1)
            ),
        )
    assert "province" in error.value.message_dict


def test_a_provincial_admin_creates_fairs_in_its_province_only():
    admin_gd = UserFactory(role=Role.ADMIN, is_staff=True, province=Province.objects.get(code="44"))
    made = ff.fair(actor=admin_gd)
    assert made.province.code == "44"
    with pytest.raises(ValidationError) as error:
        ff.fair(actor=admin_gd, province=Province.objects.get(code="11"))
    assert "province" in error.value.message_dict


def test_an_officer_organises_for_its_own_university_and_others_may_not_create():
    officer = f.officer("中山大学")
    made = ff.fair(actor=officer, organisers=())
    assert [u.name for u in made.organisers.all()] == ["中山大学"]
    for user in (f.graduate(), f.employer(), UserFactory(role=Role.STUDENT), f.officer(approved=False)):
        with pytest.raises(PermissionDenied):
            ff.fair(actor=user)


def test_registration_is_one_row_and_only_approved_employers_count():
    fair = ff.fair()
    owner = f.employer()
    jobs = [f.job(owner), f.job(owner, title="测试工程师")]
    first, created = services.fair_register(actor=owner, fair=fair, jobs=jobs[:1])
    again, created_again = services.fair_register(actor=owner, fair=fair, jobs=jobs)
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert FairRegistration.objects.count() == 1
    assert FairJob.objects.count() == 2
    fair.refresh_from_db()
    assert (fair.employer_count, fair.job_count) == (0, 0)  # pending counts nothing
    services.registration_decide(actor=ff.ministry(), registration=first, decision="approved")
    services.registration_decide(actor=ff.ministry(), registration=first, decision="approved")  # no-op
    fair.refresh_from_db()
    assert (fair.employer_count, fair.job_count) == (1, 2)
    services.fair_register(actor=owner, fair=fair, jobs=[f.job(owner, title="产品经理")])
    fair.refresh_from_db()
    assert fair.job_count == 3
    services.registration_decide(
        actor=ff.ministry(), registration=first, decision="rejected", note="岗位不符"
    )
    fair.refresh_from_db()
    assert (fair.employer_count, fair.job_count) == (0, 0)


def test_only_own_open_jobs_are_attached_and_only_verified_employers_register():
    fair = ff.fair()
    owner = f.employer()
    with pytest.raises(ValidationError) as error:
        services.fair_register(actor=owner, fair=fair, jobs=[f.job()])  # someone else's
    assert "jobs" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.fair_register(actor=owner, fair=fair, jobs=[])
    with pytest.raises(PermissionDenied):
        services.fair_register(actor=f.employer(verified=False), fair=fair, jobs=[f.job(owner)])


def test_a_decline_needs_a_reason_and_only_organisers_decide():
    fair = ff.fair(organisers=("中山大学",))
    registration = ff.registration(fair)
    with pytest.raises(ValidationError) as error:
        services.registration_decide(actor=ff.ministry(), registration=registration, decision="rejected")
    assert "note" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.registration_decide(
            actor=f.officer("暨南大学"), registration=registration, decision="approved"
        )
    decided = services.registration_decide(
        actor=f.officer("中山大学"), registration=registration, decision="approved"
    )
    assert decided.status == "approved"


def test_applying_from_a_running_fair_goes_through_part_1_and_carries_the_fair_once():
    fair = ff.fair()
    _, jobs = ff.approved_employer(fair)
    graduate = f.graduate()
    application, created = services.fair_apply(graduate=graduate, fair=fair, job=jobs[0])
    twin, created_twin = services.fair_apply(graduate=graduate, fair=fair, job=jobs[0])
    assert created
    assert not created_twin
    assert application.pk == twin.pk
    assert Application.objects.count() == 1
    assert application.events.count() == 1
    assert FairApplication.objects.get().fair_id == fair.pk
    fair.refresh_from_db()
    assert fair.application_count == 1


def test_no_application_outside_the_window_or_to_a_job_not_at_the_fair():
    upcoming = ff.fair(starts_in=timedelta(days=2))
    _, jobs = ff.approved_employer(upcoming)
    with pytest.raises(ValidationError) as error:
        services.fair_apply(graduate=f.graduate(), fair=upcoming, job=jobs[0])
    assert "fair" in error.value.message_dict
    running = ff.fair()
    with pytest.raises(ValidationError) as error:
        services.fair_apply(graduate=f.graduate(), fair=running, job=f.job())
    assert "job" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.fair_apply(graduate=f.graduate(verified=False), fair=running, job=jobs[0])


def test_a_closed_fair_freezes_its_figures_once_and_keeps_them():
    fair = ff.fair()
    _, jobs = ff.approved_employer(fair, jobs=3)
    services.fair_apply(graduate=f.graduate(), fair=fair, job=jobs[0])
    Fair.objects.filter(pk=fair.pk).update(view_count=42)
    assert services.fairs_freeze_closed() == 0  # still running
    later = fair.ends_at + timedelta(minutes=1)
    assert services.fairs_freeze_closed(now=later) == 1
    assert services.fairs_freeze_closed(now=later) == 0  # idempotent
    Fair.objects.filter(pk=fair.pk).update(view_count=99)  # views counted after the close
    fair.refresh_from_db()
    assert (fair.employer_count, fair.job_count, fair.application_count, fair.views) == (1, 3, 1, 42)
    with pytest.raises(ValidationError):
        services.registration_decide(
            actor=ff.ministry(), registration=fair.registrations.get(), decision="rejected", note="x"
        )
