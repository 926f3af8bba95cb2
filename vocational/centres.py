"""The other three centres: textbooks (教材资源中心), simulation practice records (虚拟仿真实训中心) and
training for teachers and staff (教师服务中心). Writes are services (keyword-only, one transaction each);
reads start from the ``visible()`` querysets.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Max, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from smartedu.accounts.models import Role, User
from vocational import access
from vocational.models import (
    Resource,
    ResourceKind,
    SimulationPractice,
    Specialty,
    Textbook,
    TextbookEvaluation,
    TrainingCourse,
    TrainingEnrollment,
)

MAX_PRACTICE_SECONDS = 6 * 3600
TRAINING_ROLES = frozenset({Role.TEACHER, Role.OFFICER, Role.ADMIN})


def isbn13_check_digit(first12: str) -> str:
    """ISO 2108: weights 1, 3 alternating over the first 12 digits."""
    total = sum(int(d) * (3 if n % 2 else 1) for n, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn13_is_valid(isbn: str) -> bool:
    return len(isbn) == 13 and isbn.isdigit() and isbn13_check_digit(isbn[:12]) == isbn[12]


# --- Textbooks ----------------------------------------------------------------------------------------


@transaction.atomic
def textbook_create(
    *,
    specialty: Specialty,
    title: str,
    isbn: str,
    publisher: str,
    edition_year: int,
    editors: str = "",
    plan_status: str = "none",
    plan_batch: str = "",
    selection_status: str = "candidate",
    review_status: str = "pending",
) -> Textbook:
    if not isbn13_is_valid(isbn):
        raise ValidationError({"isbn": [_("Not a valid ISBN-13 (check digit).")]})
    return Textbook.objects.create(
        specialty=specialty,
        title=title.strip(),
        isbn=isbn,
        publisher=publisher,
        edition_year=edition_year,
        editors=editors,
        plan_status=plan_status,
        plan_batch=plan_batch,
        selection_status=selection_status,
        review_status=review_status,
    )


@transaction.atomic
def textbook_evaluate(*, user: User, textbook: Textbook, stars: int, comment: str = "") -> TextbookEvaluation:
    """A signed-in user's evaluation (1–5 stars, a comment); evaluating again replaces it."""
    if not access.rating_allowed(user):
        raise PermissionDenied(_("Log in to evaluate textbooks."))
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": [_("Give 1 to 5 stars.")]})
    comment = comment.strip()
    if len(comment) > 1000:
        raise ValidationError({"comment": [_("At most %(n)d characters.") % {"n": 1000}]})
    locked = Textbook.objects.select_for_update().get(pk=textbook.pk)
    evaluation = TextbookEvaluation.objects.filter(textbook=locked, user=user).first()
    if evaluation is None:
        evaluation = TextbookEvaluation.objects.create(
            textbook=locked, user=user, stars=stars, comment=comment
        )
        locked.rating_count += 1
        locked.rating_sum += stars
    else:
        locked.rating_sum += stars - evaluation.stars
        evaluation.stars, evaluation.comment = stars, comment
        evaluation.save(update_fields=["stars", "comment", "created_at"])
    locked.save(update_fields=["rating_count", "rating_sum"])
    return evaluation


def textbook_list(*, specialty: str = "", plan: str = "", selection: str = "") -> QuerySet[Textbook]:
    qs = Textbook.objects.visible().select_related("specialty")
    if specialty:
        qs = qs.filter(specialty__code=specialty)
    if plan:
        qs = qs.filter(plan_status=plan)
    if selection:
        qs = qs.filter(selection_status=selection)
    return qs


# --- Simulation practice ------------------------------------------------------------------------------


def simulation_list() -> QuerySet[Resource]:
    return (
        Resource.objects.visible().filter(kind=ResourceKind.SIMULATION).select_related("library__specialty")
    )


@transaction.atomic
def practice_record(
    *,
    student: User,
    resource: Resource,
    seconds: int,
    score: int,
    client_token: str = "",
    now: datetime | None = None,
) -> tuple[SimulationPractice, bool]:
    """A finished practice run, as the simulation reports it: ``(practice, created)``; the same
    ``client_token`` twice is one run."""
    if not access.is_student(student):
        raise PermissionDenied(_("Only students' practice is recorded."))
    if resource.kind != ResourceKind.SIMULATION:
        raise ValidationError({"resource": [_("This resource is not a simulation.")]})
    errors = {}
    if not isinstance(seconds, int) or not 1 <= seconds <= MAX_PRACTICE_SECONDS:
        errors["seconds"] = [_("Between 1 second and 6 hours.")]
    if not isinstance(score, int) or not 0 <= score <= 100:
        errors["score"] = [_("A score from 0 to 100.")]
    if errors:
        raise ValidationError(errors)
    client_token = client_token.strip()[:64]
    if client_token:
        found = SimulationPractice.objects.filter(student=student, client_token=client_token).first()
        if found is not None:
            return found, False
    try:
        with transaction.atomic():
            practice = SimulationPractice.objects.create(
                resource=resource,
                student=student,
                seconds=seconds,
                score=score,
                client_token=client_token,
                finished_at=now or timezone.now(),
            )
    except IntegrityError:
        return SimulationPractice.objects.get(student=student, client_token=client_token), False
    return practice, True


def practice_summary(*, student_id: int, resource: Resource) -> dict[str, int | None]:
    """Attempts, total time and best score of a student on one simulation (one query)."""
    row = SimulationPractice.objects.filter(student_id=student_id, resource=resource).aggregate(
        attempts=Count("pk"), seconds=Sum("seconds"), best=Max("score"), average=Avg("score")
    )
    return {
        "attempts": row["attempts"],
        "seconds": row["seconds"] or 0,
        "best": row["best"],
        "average": round(row["average"]) if row["average"] is not None else None,
    }


# --- Training -----------------------------------------------------------------------------------------


def training_allowed(user: object) -> bool:
    """Training is for teachers and staff (employment officers, administrators)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) in TRAINING_ROLES
    )


@transaction.atomic
def training_enroll(*, user: User, course: TrainingCourse) -> tuple[TrainingEnrollment, bool]:
    if not training_allowed(user):
        raise PermissionDenied(_("Training courses are for teachers and staff."))
    if not course.is_published:
        raise ValidationError({"course": [_("This training course is closed.")]})
    return TrainingEnrollment.objects.get_or_create(course=course, user=user)


@transaction.atomic
def training_complete(
    *, user: User, course: TrainingCourse, now: datetime | None = None
) -> TrainingEnrollment:
    """Mark the user's enrolment complete (idempotent: the first completion time is kept)."""
    enrollment = TrainingEnrollment.objects.select_for_update().filter(course=course, user=user).first()
    if enrollment is None:
        raise ValidationError({"course": [_("Enrol in this training course first.")]})
    if enrollment.completed_at is None:
        enrollment.completed_at = now or timezone.now()
        enrollment.save(update_fields=["completed_at"])
    return enrollment


def training_list() -> QuerySet[TrainingCourse]:
    return (
        TrainingCourse.objects.visible().annotate(enrolled=Count("enrollments", distinct=True)).order_by("pk")
    )
