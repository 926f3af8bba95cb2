"""Career guidance services: submissions and profiles, privacy and sharing, live courses and reminders,
training progress, quality reports, counted links."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from employment.guidance import access, services
from employment.guidance.models import LiveRegistration, QualityReport, Submission, SubmissionShare
from employment.seed import MINIMAL_PDF
from smartedu.accounts.models import Role
from tests.factories import UserFactory, front
from tests.factories import employment as f
from tests.factories import employment_guidance as fg

pytestmark = pytest.mark.django_db


def test_loading_the_files_twice_changes_nothing():
    first = fg.assessments()
    again = fg.assessments()
    assert {a.pk for a in first.values()} == {a.pk for a in again.values()}
    assert first["holland-riasec"].questions.count() == 36
    assert first["holland-riasec"].dimensions.count() == 6


def test_a_riasec_result_gives_the_holland_code_and_explanations():
    assessment = fg.riasec()
    graduate = f.graduate(verified=False)
    submission, created = services.submission_create(
        user=graduate, assessment=assessment, answers=fg.answers(assessment, 1, I=5, S=4, A=4)
    )
    assert created
    assert submission.scores["I"] == 100
    profile = services.submission_profile(submission=submission)
    assert profile.code[0] == "I"
    assert set(profile.code[1:]) == {"S", "A"}
    assert profile.dimensions[0].code == "I"
    assert profile.dimensions[0].level == "high"
    assert "研究" in profile.dimensions[0].explanation or "钻研" in profile.dimensions[0].explanation
    assert profile.dimensions[-1].level == "low"


def test_missing_answers_are_named_and_nothing_is_stored():
    assessment = fg.riasec()
    answers = fg.answers(assessment)
    del answers["3"], answers["17"]
    with pytest.raises(ValidationError) as error:
        services.submission_create(user=f.graduate(), assessment=assessment, answers=answers)
    assert error.value.message_dict["missing"] == ["3", "17"]
    assert "3, 17" in error.value.message_dict["answers"][0]
    bad = fg.answers(assessment)
    bad["1"] = 9
    with pytest.raises(ValidationError) as error:
        services.submission_create(user=f.graduate(), assessment=assessment, answers=bad)
    assert "answers" in error.value.message_dict
    assert Submission.objects.count() == 0


def test_the_same_token_twice_is_one_result_and_only_graduates_take_assessments():
    assessment = fg.riasec()
    graduate = f.graduate()
    one, _ = services.submission_create(
        user=graduate, assessment=assessment, answers=fg.answers(assessment), token="t1"
    )
    two, created = services.submission_create(
        user=graduate, assessment=assessment, answers=fg.answers(assessment), token="t1"
    )
    assert one.pk == two.pk
    assert not created
    assert Submission.objects.count() == 1
    for user in (f.employer(), f.officer(), UserFactory(role=Role.STUDENT)):
        with pytest.raises(PermissionDenied):
            services.submission_create(user=user, assessment=assessment, answers=fg.answers(assessment))


def test_results_are_private_until_shared_within_the_university():
    assessment = fg.riasec()
    graduate = f.graduate(university_name="中山大学")
    submission, _ = services.submission_create(
        user=graduate, assessment=assessment, answers=fg.answers(assessment)
    )
    own_officer, other_officer = f.officer("中山大学"), f.officer("暨南大学")
    for outsider in (f.graduate(), own_officer, other_officer, UserFactory(role=Role.ADMIN, is_staff=True)):
        assert not access.readable_submissions(outsider).filter(pk=submission.pk).exists()
    with pytest.raises(ValidationError) as error:
        services.submission_share(graduate=graduate, submission=submission, recipient=other_officer)
    assert "recipient" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.submission_share(graduate=graduate, submission=submission, recipient=f.graduate())
    services.submission_share(graduate=graduate, submission=submission, recipient=own_officer)
    services.submission_share(graduate=graduate, submission=submission, recipient=own_officer)
    assert SubmissionShare.objects.count() == 1
    assert access.readable_submissions(own_officer).filter(pk=submission.pk).exists()
    assert not access.readable_submissions(other_officer).exists()
    with pytest.raises(PermissionDenied):
        services.submission_share(graduate=f.graduate(), submission=submission, recipient=own_officer)


def test_a_result_is_shared_with_the_counsellor_of_the_graduates_own_class_only():
    assessment = fg.riasec()
    graduate = f.graduate(university_name="中山大学", specialty="软件工程", year=2022)
    submission, _ = services.submission_create(
        user=graduate, assessment=assessment, answers=fg.answers(assessment)
    )
    own = front.counsellor("中山大学", specialty="软件工程", year=2022)
    other_class = front.counsellor("中山大学", specialty="会计学", year=2022)
    other_year = front.counsellor("中山大学", specialty="软件工程", year=2021)
    other_university = front.counsellor("暨南大学", specialty="软件工程", year=2022)

    assert set(access.share_recipients(graduate).filter(role=Role.COUNSELLOR)) == {own}
    for outsider in (other_class, other_year, other_university):
        with pytest.raises(ValidationError):
            services.submission_share(graduate=graduate, submission=submission, recipient=outsider)
    services.submission_share(graduate=graduate, submission=submission, recipient=own)
    assert access.readable_submissions(own).filter(pk=submission.pk).exists()
    assert not access.readable_submissions(other_class).exists()


def test_an_unverified_graduate_has_no_one_to_share_with():
    assert not access.share_recipients(f.graduate(verified=False)).exists()


def test_live_registration_is_one_row_and_the_reminder_goes_once():
    course = fg.live_course(starts_in=timedelta(minutes=20))
    users = [UserFactory(email=f"u{i}@example.com") for i in range(3)]
    for user in users:
        services.live_register(user=user, course=course)
    services.live_register(user=users[0], course=course)
    course.refresh_from_db()
    assert course.registration_count == 3
    assert LiveRegistration.objects.count() == 3
    later = fg.live_course(starts_in=timedelta(hours=3))
    services.live_register(user=users[0], course=later)
    with pytest.raises(ValidationError):
        services.live_register(user=users[0], course=fg.live_course(starts_in=timedelta(hours=-3)))
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.live_reminders_send() == 3
    assert services.live_reminders_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [u.email for u in users]
    assert "简历写作专题讲座" in mail.outbox[0].subject


def test_training_progress_counts_lessons_once_and_completes_the_course():
    course = fg.training_course(lessons=2)
    graduate = f.graduate()
    services.training_lesson_complete(user=graduate, course=course, lesson_number=1)
    services.training_lesson_complete(user=graduate, course=course, lesson_number=1)
    enrolment = services.training_lesson_complete(user=graduate, course=course, lesson_number=2)
    assert enrolment.completed_at is not None
    assert enrolment.completions.count() == 2
    with pytest.raises(ValidationError) as error:
        services.training_lesson_complete(user=graduate, course=course, lesson_number=9)
    assert "lesson" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.training_enrol(user=f.employer(), course=course)


def test_quality_reports_are_checked_before_storing_and_scoped():
    university = f.university("中山大学")
    officer = f.officer("中山大学")
    with pytest.raises(ValidationError) as error:
        services.report_upload(
            actor=officer,
            university=university,
            year=timezone.localdate().year - 1,
            title="报告",
            file=SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>"),
        )
    assert "file" in error.value.message_dict
    assert QualityReport.objects.count() == 0
    with pytest.raises(PermissionDenied):
        services.report_upload(
            actor=f.officer("暨南大学"),
            university=university,
            year=2024,
            title="报告",
            file=SimpleUploadedFile("r.pdf", MINIMAL_PDF),
        )
    report = services.report_upload(
        actor=officer,
        university=university,
        year=2024,
        title="中山大学2024届毕业生就业质量年度报告",
        file=SimpleUploadedFile("r.pdf", MINIMAL_PDF),
    )
    assert report.file.name.endswith(".pdf")


def test_a_site_click_is_counted_and_an_unknown_site_is_none():
    site = services.site_register(
        name="广东省大学生就业创业服务平台", url="https://www.gdjy.cn/", kind="provincial"
    )
    services.site_follow(site_id=site.pk, client="198.51.100.7")
    site.refresh_from_db()
    assert site.click_count == 1
    assert services.site_follow(site_id=site.pk + 100, client="198.51.100.7") is None
    with pytest.raises(ValidationError):
        services.site_register(name="x", url="javascript:alert(1)", kind="provincial")
