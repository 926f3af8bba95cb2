"""Every write of career guidance (views, the API, seeders and test factories call these).

Assessments are loaded from the data files under ``assessments/`` (idempotent by slug). A submission is
validated in full (every question answered with a value of the scale; missing ones named) and scored by
``engine``; a form's token makes a double submit one row. Shares, live-course registrations, training
enrolments and completed lessons are one row each however often they are sent.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from employment.guidance import access, engine
from employment.guidance.models import (
    REPORT_UPLOAD,
    Assessment,
    Dimension,
    EmploymentSite,
    LessonCompletion,
    LiveCourse,
    LiveRegistration,
    QualityReport,
    Question,
    Submission,
    SubmissionShare,
    TrainingCourse,
    TrainingEnrolment,
    TrainingLesson,
)
from smartedu.accounts.models import User
from smartedu.institutions.models import Institution

logger = logging.getLogger(__name__)

ASSESSMENT_DIR = Path(__file__).resolve().parent / "assessments"
ASSESSMENT_FILES = ("riasec.json", "work_values.json", "career_readiness.json")


# --- Assessments ---------------------------------------------------------------------------------------


def _definition_errors(data: Mapping[str, Any]) -> list[str]:
    problems = []
    codes = [d["code"] for d in data.get("dimensions", [])]
    if len(set(codes)) != len(codes) or not codes:
        problems.append("dimensions: codes must be present and unique")
    for i, question in enumerate(data.get("questions", []), start=1):
        unknown = set(question.get("weights", {})) - set(codes)
        if unknown or not question.get("weights"):
            problems.append(f"question {i}: weights on unknown dimensions {sorted(unknown)}")
    for code in codes:
        if not any(code in q["weights"] for q in data.get("questions", [])):
            problems.append(f"dimension {code}: no question weighs on it")
    return problems


@transaction.atomic
def assessment_load(*, data: Mapping[str, Any], order: int = 100) -> Assessment:
    """Create or replace an assessment from its definition (a data file's JSON). Idempotent by slug;
    earlier results keep their scores."""
    problems = _definition_errors(data)
    if problems:
        raise ValidationError({"definition": problems})
    assessment, _created = Assessment.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "kind": data["kind"],
            "summary": data["summary"],
            "instructions": data.get("instructions", ""),
            "minutes": data.get("minutes", 10),
            "scale": data["scale"],
            "order": order,
        },
    )
    assessment.dimensions.all().delete()
    assessment.questions.all().delete()
    Dimension.objects.bulk_create(
        Dimension(
            assessment=assessment,
            code=d["code"],
            name=d["name"],
            description=d["description"],
            high_text=d["high"],
            low_text=d["low"],
            careers=d.get("careers", ""),
            order=i,
        )
        for i, d in enumerate(data["dimensions"])
    )
    Question.objects.bulk_create(
        Question(assessment=assessment, number=i, text=q["text"], weights=q["weights"])
        for i, q in enumerate(data["questions"], start=1)
    )
    return assessment


def assessments_load_files() -> list[Assessment]:
    """The three assessments written for the project (the data files under ``assessments/``)."""
    return [
        assessment_load(data=json.loads((ASSESSMENT_DIR / name).read_text(encoding="utf-8")), order=i)
        for i, name in enumerate(ASSESSMENT_FILES, start=1)
    ]


def _answer_errors(
    assessment: Assessment, answers: Mapping[Any, Any]
) -> tuple[dict[int, int], dict[str, list[str]]]:
    allowed = set(assessment.scale_values())
    numbers = list(assessment.questions.values_list("number", flat=True))
    clean: dict[int, int] = {}
    missing, invalid = [], []
    for number in numbers:
        value = answers.get(str(number), answers.get(number))
        if value in (None, ""):
            missing.append(number)
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            invalid.append(number)
            continue
        if value not in allowed:
            invalid.append(number)
        else:
            clean[number] = value
    errors: dict[str, list[str]] = {}
    if missing:
        errors["answers"] = [
            _("Answer every question; missing: %(numbers)s.") % {"numbers": ", ".join(map(str, missing))}
        ]
        errors["missing"] = [str(n) for n in missing]
    if invalid:
        errors.setdefault("answers", []).append(
            _("Choose one of the answers offered for questions %(numbers)s.")
            % {"numbers": ", ".join(map(str, invalid))}
        )
    unknown = {str(k) for k in answers} - {str(n) for n in numbers}
    if unknown:
        errors.setdefault("answers", []).append(
            _("Unknown questions: %(numbers)s.") % {"numbers": ", ".join(sorted(unknown))}
        )
    return clean, errors


def submission_create(
    *, user: User, assessment: Assessment, answers: Mapping[Any, Any], token: str = ""
) -> tuple[Submission, bool]:
    """Score a completed assessment for a graduate. Missing answers are a ``ValidationError`` naming them;
    the same form token twice (a double submit) gives back the first result."""
    if not access.assessment_takable(user):
        raise PermissionDenied(_("Only graduates take career assessments."))
    token = (token or "")[:40]
    if token:
        existing = Submission.objects.filter(user=user, token=token).first()
        if existing is not None:
            return existing, False
    clean, errors = _answer_errors(assessment, answers)
    if errors:
        raise ValidationError(errors)
    questions = [engine.QuestionSpec(number=q.number, weights=q.weights) for q in assessment.questions.all()]
    dimensions = list(assessment.dimensions.values_list("code", flat=True))
    scores = engine.score(
        questions=questions, answers=clean, scale=assessment.scale_values(), dimensions=dimensions
    )
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                assessment=assessment,
                user=user,
                answers={str(k): v for k, v in clean.items()},
                scores=scores,
                token=token,
            )
    except IntegrityError:  # the concurrent twin with the same token won
        return Submission.objects.get(user=user, token=token), False
    return submission, True


@dataclass(frozen=True)
class ProfileDimension:
    code: str
    name: str
    description: str
    score: int
    level: str
    explanation: str
    careers: str


@dataclass(frozen=True)
class Profile:
    dimensions: list[ProfileDimension]  # highest first
    code: str  # the Holland code for interest assessments, else ""
    summary: str


def submission_profile(*, submission: Submission) -> Profile:
    """The result profile: dimensions from the highest score, each with its level and explanation."""
    dimensions = list(submission.assessment.dimensions.all())
    order = [d.code for d in dimensions]
    scores = submission.scores
    rows = []
    for d in sorted(dimensions, key=lambda d: (-scores.get(d.code, 0), order.index(d.code))):
        value = int(scores.get(d.code, 0))
        lvl = engine.level(value)
        explanation = d.high_text if lvl == "high" else d.low_text if lvl == "low" else d.description
        rows.append(
            ProfileDimension(
                code=d.code,
                name=d.name,
                description=d.description,
                score=value,
                level=lvl,
                explanation=explanation,
                careers=d.careers,
            )
        )
    code = ""
    if submission.assessment.kind == "interest":
        code = engine.holland_code(scores, order)
    top = [r.name for r in rows[:2]]
    if code:
        summary = _("Your interest code is %(code)s: your strongest interests are %(top)s.") % {
            "code": code,
            "top": "、".join(r.name for r in rows[:3]),
        }
    else:
        summary = _("Your strongest dimensions are %(top)s.") % {"top": "、".join(top)}
    return Profile(dimensions=rows, code=code, summary=summary)


def submission_share(
    *, graduate: User, submission: Submission, recipient: User
) -> tuple[SubmissionShare, bool]:
    """Share one's result with a counsellor or an officer of one's university (one row however often)."""
    if submission.user_id != graduate.pk:
        raise PermissionDenied
    if not access.share_recipient_allowed(graduate, recipient):
        raise ValidationError(
            {"recipient": [_("Share only with a counsellor or an officer of your university.")]}
        )
    try:
        with transaction.atomic():
            return SubmissionShare.objects.get_or_create(submission=submission, recipient=recipient)
    except IntegrityError:
        return SubmissionShare.objects.get(submission=submission, recipient=recipient), False


def submission_unshare(*, graduate: User, submission: Submission, recipient_id: int) -> int:
    if submission.user_id != graduate.pk:
        raise PermissionDenied
    deleted, _rows = SubmissionShare.objects.filter(submission=submission, recipient_id=recipient_id).delete()
    return deleted


# --- Live courses --------------------------------------------------------------------------------------

REMIND_BEFORE = timedelta(minutes=30)


def live_register(*, user: User, course: LiveCourse) -> tuple[LiveRegistration, bool]:
    """Register for a live course that has not ended; a second registration gives back the first."""
    if not access.live_registrable(user):
        raise PermissionDenied
    if course.starts_at + timedelta(minutes=course.minutes) <= timezone.now():
        raise ValidationError({"course": [_("This course is over; watch the replay instead.")]})
    try:
        with transaction.atomic():
            registration, created = LiveRegistration.objects.get_or_create(course=course, user=user)
            if created:
                LiveCourse.objects.filter(pk=course.pk).update(registration_count=F("registration_count") + 1)
    except IntegrityError:
        return LiveRegistration.objects.get(course=course, user=user), False
    return registration, created


def live_replay_set(*, actor: User, course: LiveCourse, replay_url: str) -> LiveCourse:
    """The replay link, once the course is recorded (administrators)."""
    from smartedu.accounts.access import is_platform_admin

    if not is_platform_admin(actor):
        raise PermissionDenied
    if not replay_url.startswith(("https://", "http://")):
        raise ValidationError({"replay_url": [_("Enter a web address.")]})
    course.replay_url = replay_url
    course.save(update_fields=["replay_url"])
    return course


def _mail_each(subject: str, body: str, recipients: list[str]) -> None:
    """One message per registrant (addresses are never disclosed to each other)."""
    for address in recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)


def live_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the registrants of the courses starting within ``REMIND_BEFORE`` (by e-mail). Each
    registration is reminded once: it is marked in the same transaction, so a second run sends nothing."""
    now = now or timezone.now()
    courses = LiveCourse.objects.filter(starts_at__gt=now, starts_at__lte=now + REMIND_BEFORE)
    sent = 0
    for course in courses:
        with transaction.atomic():
            due = list(
                LiveRegistration.objects.select_for_update(skip_locked=True)
                .filter(course=course, reminded_at__isnull=True)
                .select_related("user")
            )
            if not due:
                continue
            LiveRegistration.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
            recipients = [r.user.email for r in due if r.user.email]
            start = timezone.localtime(course.starts_at).strftime("%Y-%m-%d %H:%M")
            subject = _("Reminder: %(title)s starts at %(start)s") % {"title": course.title, "start": start}
            body = _(
                "The live guidance course “%(title)s” by %(speaker)s starts at %(start)s (Beijing time)."
            ) % {
                "title": course.title,
                "speaker": course.speaker,
                "start": start,
            }
            transaction.on_commit(partial(_mail_each, subject, body, recipients))
            sent += len(due)
    if sent:
        logger.info("live course reminders: %s registrations", sent)
    return sent


# --- Training courses ----------------------------------------------------------------------------------


def training_enrol(*, user: User, course: TrainingCourse) -> tuple[TrainingEnrolment, bool]:
    if not access.training_enrollable(user):
        raise PermissionDenied(_("Training courses are for graduates."))
    try:
        with transaction.atomic():
            return TrainingEnrolment.objects.get_or_create(course=course, user=user)
    except IntegrityError:
        return TrainingEnrolment.objects.get(course=course, user=user), False


@transaction.atomic
def training_lesson_complete(*, user: User, course: TrainingCourse, lesson_number: int) -> TrainingEnrolment:
    """Mark a lesson done (enrolling first if needed); the course is complete when every lesson is."""
    lesson = TrainingLesson.objects.filter(course=course, number=lesson_number).first()
    if lesson is None:
        raise ValidationError({"lesson": [_("This course has no such lesson.")]})
    enrolment, _created = training_enrol(user=user, course=course)
    LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    done = LessonCompletion.objects.filter(enrolment=enrolment).count()
    if enrolment.completed_at is None and done >= course.lessons.count():
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
    return enrolment


# --- Quality reports and employment sites --------------------------------------------------------------


@transaction.atomic
def report_upload(
    *, actor: User, university: Institution, year: int, title: str, file: UploadedFile
) -> QualityReport:
    """Upload (or replace) a university's quality report of a year. The file is checked by content (a PDF,
    at most 30 MB) before anything is stored."""
    if not access.reportable_universities(actor).filter(pk=university.pk).exists():
        raise PermissionDenied(_("You do not publish this university's reports."))
    errors: dict[str, list[str]] = {}
    current = timezone.localdate().year
    if not 2010 <= year <= current:
        errors["year"] = [_("Enter a year between 2010 and %d.") % current]
    if not title.strip():
        errors["title"] = [_("This field is required.")]
    try:
        REPORT_UPLOAD(file)
    except ValidationError as exc:
        errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    report = QualityReport.objects.filter(university=university, year=year).first() or QualityReport(
        university=university, year=year
    )
    report.title = title.strip()
    report.file = file
    report.uploaded_by = actor
    report.save()
    return report


# A client's clicks on one site count once a day: a flood of requests cannot inflate the figure.
SITE_CLICK_WINDOW_SECONDS = 24 * 3600


def site_follow(*, site_id: int, client: str) -> EmploymentSite | None:
    """Give back a registered employment site (None: not registered), counting the click of ``client`` (the
    real client address) once per site and day. The key is a keyed hash: the address is never stored."""
    site = EmploymentSite.objects.filter(pk=site_id).first()
    if site is None:
        return None
    day = timezone.localdate()
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{day}|{client}|{site.pk}".encode()).hexdigest()[:32]
    if cache.add(f"guidance:site-click:{digest}", 1, SITE_CLICK_WINDOW_SECONDS):
        EmploymentSite.objects.filter(pk=site.pk).update(click_count=F("click_count") + 1)
    return site


def site_register(*, name: str, url: str, kind: str, **where: Any) -> EmploymentSite:
    if not url.startswith("https://") and not url.startswith("http://"):
        raise ValidationError({"url": [_("Enter a web address.")]})
    site, _created = EmploymentSite.objects.update_or_create(
        url=url, defaults={"name": name, "kind": kind, **where}
    )
    return site
