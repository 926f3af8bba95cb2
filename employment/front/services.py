"""Every write of the employment front (STYLE.md: services do writes).

* ``counsellor_assign`` and ``graduate_support_set``: an officer's and a counsellor's work on their graduates.
* ``progress_rollup``: recomputes every progress figure and replaces the table in one transaction.
* ``directive_send`` records a directive and queues its delivery; ``directive_deliver`` (the Celery task)
  writes the recipients' inbox rows in batches, idempotently; ``directive_read``/``directive_acknowledge``.
* ``survey_create``, ``survey_close``, ``survey_answer``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from employment.front import access
from employment.front.models import (
    DIRECTIVE_ATTACHMENT_UPLOAD,
    AudienceKind,
    CounsellorAssignment,
    DeliveryStatus,
    Directive,
    DirectiveAttachment,
    DirectiveDelivery,
    FieldKind,
    GraduateSupport,
    GraduatingClass,
    ProgressFigure,
    RollupRun,
    Survey,
    SurveyField,
    SurveyResponse,
    SurveyStatus,
)
from employment.models import Application, ApplicationStatus, GraduateProfile
from employment.outcomes import outcomes
from smartedu.accounts.models import Province, Role, User
from smartedu.institutions.models import Institution
from smartedu.portal.registry import Progress, no_progress

logger = logging.getLogger(__name__)

DELIVERY_BATCH = 5000
MAX_ATTACHMENTS = 5
OFFER_STATUSES = (ApplicationStatus.OFFER, ApplicationStatus.HIRED)
# The base measures of the roll-up, in display order; outcomes and destinations follow.
BASE_MEASURES = ("graduates", "intention", "applied", "offer", "employed", "help")
OTHER_DESTINATION = "other"


# --- Classes, counsellors, help ---------------------------------------------------------------------------


@transaction.atomic
def graduating_class_get_or_create(
    *, university: Institution, specialty: str, graduation_year: int
) -> GraduatingClass:
    graduating_class, _created = GraduatingClass.objects.get_or_create(
        university=university, specialty=specialty.strip(), graduation_year=graduation_year
    )
    return graduating_class


@transaction.atomic
def counsellor_assign(
    *, actor: User, counsellor: User, specialty: str, graduation_year: int
) -> CounsellorAssignment:
    """An officer makes ``counsellor`` (of the officer's university) the counsellor of a graduating class."""
    university_id = access.officer_university_id(actor)
    if university_id is None:
        raise PermissionDenied
    counsellor_university = getattr(getattr(counsellor, "affiliation", None), "institution_id", None)
    if counsellor.role != Role.COUNSELLOR or counsellor_university != university_id:
        raise ValidationError({"counsellor": [_("Choose a counsellor of your own university.")]})
    if not specialty.strip():
        raise ValidationError({"specialty": [_("This field is required.")]})
    graduating_class = graduating_class_get_or_create(
        university=Institution.objects.get(pk=university_id),
        specialty=specialty,
        graduation_year=graduation_year,
    )
    assignment, _created = CounsellorAssignment.objects.update_or_create(
        user=counsellor, defaults={"graduating_class": graduating_class, "assigned_by": actor}
    )
    return assignment


@transaction.atomic
def graduate_support_set(
    *, actor: User, graduate: GraduateProfile, needs_help: bool, note: str = ""
) -> GraduateSupport:
    """Mark or unmark a graduate of ``actor``'s scope as needing help (困难帮扶); idempotent."""
    if not access.graduates_in_scope(actor).filter(pk=graduate.pk).exists():
        raise PermissionDenied
    support, _created = GraduateSupport.objects.update_or_create(
        graduate=graduate, defaults={"needs_help": needs_help, "note": note.strip()[:300], "set_by": actor}
    )
    return support


# --- The progress roll-up ---------------------------------------------------------------------------------

CELL = ("university_id", "university__province_id", "specialty", "degree", "graduation_year")
CellKey = tuple[int, int, str, str, int]


def _cells(queryset: QuerySet[GraduateProfile]) -> Iterable[tuple[CellKey, int]]:
    for row in queryset.values(*CELL).annotate(n=Count("pk", distinct=True)).order_by():
        yield (tuple(row[c] for c in CELL), row["n"])  # type: ignore[misc,unused-ignore]


def _measures() -> tuple[list[tuple[str, QuerySet[GraduateProfile]]], QuerySet[GraduateProfile]]:
    """Each measure and the graduates who reached it (one grouped query each), and the employed graduates
    annotated with their destination (the job type of their hired, else offered, application)."""
    graduates = GraduateProfile.objects.all()
    applied = Exists(Application.objects.filter(graduate_id=OuterRef("user_id")))
    offered = Exists(Application.objects.filter(graduate_id=OuterRef("user_id"), status__in=OFFER_STATUSES))
    registered = [(outcome.key, outcome.graduates(GraduateProfile.objects.all())) for outcome in outcomes()]
    employed = Q(offered=True)
    for _key, reached in registered:
        employed |= Q(pk__in=reached.values("pk"))
    best_offer = (
        Application.objects.filter(graduate_id=OuterRef("user_id"), status__in=OFFER_STATUSES)
        .order_by("status", "-updated_at", "-pk")  # "hired" sorts before "offer"
        .values("job__job_type")[:1]
    )
    employed_graduates = graduates.annotate(offered=offered).filter(employed)
    measures: list[tuple[str, QuerySet[GraduateProfile]]] = [
        ("graduates", graduates),
        ("intention", graduates.filter(user__intention__isnull=False)),
        ("applied", graduates.filter(applied)),
        ("offer", graduates.filter(offered)),
        ("employed", employed_graduates),
        ("help", graduates.filter(support__needs_help=True)),
    ]
    measures += [(f"outcome:{key}", reached) for key, reached in registered]
    return measures, employed_graduates.annotate(destination=Subquery(best_offer))


def progress_rollup(*, progress: Progress = no_progress) -> RollupRun:
    """Recompute every progress figure and replace the whole table in one transaction.

    Recompute-and-replace: running it twice, or again after a crash mid-way (whose transaction rolled back),
    leaves the same rows. Each measure costs one grouped query, whatever the number of graduates.
    """
    started = timezone.now()
    measures, with_destination = _measures()
    rows: list[ProgressFigure] = []
    total = 0
    for measure, queryset in progress(measures, desc="progress"):
        for key, n in _cells(queryset):
            university_id, province_id, specialty, degree, year = key
            if measure == "graduates":
                total += n
            rows.append(
                ProgressFigure(
                    university_id=university_id,
                    province_id=province_id,
                    specialty=specialty,
                    degree=degree,
                    graduation_year=year,
                    measure=measure,
                    count=n,
                )
            )
    for row in (
        with_destination.values(*CELL, "destination").annotate(n=Count("pk", distinct=True)).order_by()
    ):
        rows.append(
            ProgressFigure(
                university_id=row["university_id"],
                province_id=row["university__province_id"],
                specialty=row["specialty"],
                degree=row["degree"],
                graduation_year=row["graduation_year"],
                measure=f"destination:{row['destination'] or OTHER_DESTINATION}",
                count=row["n"],
            )
        )
    with transaction.atomic():
        ProgressFigure.objects.all().delete()
        ProgressFigure.objects.bulk_create(rows, batch_size=2000)
        run = RollupRun.objects.create(
            started_at=started, finished_at=timezone.now(), graduates=total, rows=len(rows)
        )
    logger.info("progress rollup: %d graduates, %d rows", total, len(rows))
    return run


# --- Directives -------------------------------------------------------------------------------------------


def front_line_users() -> QuerySet[User]:
    """Approved, active officers and counsellors with a university: who directives reach."""
    return User.objects.filter(
        role__in=access.FRONT_LINE_ROLES,
        is_active=True,
        approved_at__isnull=False,
        affiliation__isnull=False,
    )


def directive_recipients(directive: Directive) -> QuerySet[User]:
    users = front_line_users()
    if directive.audience == AudienceKind.UNIVERSITY:
        return users.filter(affiliation__institution_id=directive.audience_university_id or 0)
    if directive.audience == AudienceKind.PROVINCE:
        return users.filter(affiliation__institution__province_id=directive.audience_province_id or 0)
    return users


def _check_attachments(files: Sequence[UploadedFile]) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": [_("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS}]})
    errors: list[str] = []
    for upload in files:
        try:
            DIRECTIVE_ATTACHMENT_UPLOAD.check(upload)
        except ValidationError as exc:
            errors += [f"{upload.name}: {message}" for message in exc.messages]
    if errors:
        raise ValidationError({"attachments": errors})


def directive_send(
    *,
    sender: User,
    title: str,
    body: str,
    audience: str,
    province: Province | None = None,
    university: Institution | None = None,
    urgent: bool = False,
    attachments: Sequence[UploadedFile] = (),
    client_token: str = "",
) -> Directive:
    """Record a directive to an audience within the sender's scope and queue its delivery (one action).

    A provincial administrator's ``all`` means every officer and counsellor of its province. An audience
    outside the sender's scope is refused (``PermissionDenied``); an audience without recipients is a
    ``ValidationError`` on ``audience``. Attachments are checked by content before anything is stored.
    The same ``client_token`` (the form's one-time token) sends once: a double click gets the first directive.
    """
    client_token = client_token.strip()[:64]
    if client_token:
        sent = Directive.objects.filter(sender=sender, client_token=client_token).first()
        if sent is not None:
            return sent
    if not access.audience_within_scope(sender, kind=audience, province=province, university=university):
        raise PermissionDenied(_("That audience is outside your scope."))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("This field is required.")]
    if not body.strip():
        errors["body"] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    _check_attachments(attachments)
    if audience == AudienceKind.ALL and not access.is_ministry_admin(sender):
        audience, province = AudienceKind.PROVINCE, Province.objects.get(pk=sender.scope_province_id or 0)
    directive = Directive(
        sender=sender,
        title=title.strip(),
        body=body.strip(),
        urgent=urgent,
        audience=audience,
        audience_province=province if audience == AudienceKind.PROVINCE else None,
        audience_university=university if audience == AudienceKind.UNIVERSITY else None,
    )
    recipients = directive_recipients(directive).count()
    if recipients == 0:
        raise ValidationError({"audience": [_("No officer or counsellor is in that audience.")]})
    directive.recipient_count = recipients
    directive.client_token = client_token
    try:
        with transaction.atomic():
            directive.save()
            for upload in attachments:
                DirectiveAttachment.objects.create(
                    directive=directive, file=upload, name=(upload.name or "file")[:200]
                )
            transaction.on_commit(lambda: _queue_delivery(directive.pk))
    except IntegrityError:  # a concurrent double click with the same token won the insert
        return Directive.objects.get(sender=sender, client_token=client_token)
    return directive


def _queue_delivery(directive_id: int) -> None:
    from employment.front.tasks import deliver_directive_task

    try:
        deliver_directive_task.delay(directive_id)
    except Exception:  # the broker is down: the beat sweep (deliver_pending_directives) delivers it later
        logger.exception("could not queue the delivery of directive %s", directive_id)


def directive_deliver(*, directive_id: int, batch_size: int = DELIVERY_BATCH) -> int:
    """Write the inbox rows of a directive's recipients, ``batch_size`` at a time, in recipient id order.

    Idempotent: rows are unique per (directive, recipient), inserted with ``ignore_conflicts``, so a retried
    or duplicated task adds nothing twice; it resumes after the last recipient already delivered. Returns how
    many rows the directive has.
    """
    directive = Directive.objects.filter(pk=directive_id).first()
    if directive is None:
        return 0
    Directive.objects.filter(pk=directive_id, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.DELIVERING
    )
    recipients = directive_recipients(directive).order_by("pk").values_list("pk", flat=True)
    last = (
        DirectiveDelivery.objects.filter(directive_id=directive_id)
        .order_by("-recipient_id")
        .values_list("recipient_id", flat=True)
        .first()
    )
    # Resume near the end, but re-check the last batch in case an earlier run stopped inside it.
    after = max(0, (last or 0) - 1) if last else 0
    delivered = DirectiveDelivery.objects.filter(directive_id=directive_id).count()
    while True:
        batch = list(recipients.filter(pk__gt=after)[:batch_size])
        if not batch:
            break
        now = timezone.now()
        with transaction.atomic():
            DirectiveDelivery.objects.bulk_create(
                [
                    DirectiveDelivery(directive_id=directive_id, recipient_id=pk, delivered_at=now)
                    for pk in batch
                ],
                ignore_conflicts=True,
            )
            delivered = DirectiveDelivery.objects.filter(directive_id=directive_id).count()
            Directive.objects.filter(pk=directive_id).update(delivered_count=delivered)
        after = batch[-1]
    Directive.objects.filter(pk=directive_id).update(
        status=DeliveryStatus.DELIVERED,
        delivered_count=delivered,
        recipient_count=max(delivered, directive.recipient_count),
        delivered_at=timezone.now(),
    )
    return delivered


def directives_pending() -> list[int]:
    """Directives whose delivery has not finished (for the beat sweep)."""
    return list(Directive.objects.exclude(status=DeliveryStatus.DELIVERED).values_list("pk", flat=True)[:100])


def directive_read(*, delivery: DirectiveDelivery) -> DirectiveDelivery:
    """Mark one's copy read; reading again keeps the first time."""
    if delivery.read_at is None:
        now = timezone.now()
        DirectiveDelivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=now)
        delivery.refresh_from_db(fields=["read_at"])
    return delivery


def directive_acknowledge(*, delivery: DirectiveDelivery) -> DirectiveDelivery:
    """Acknowledge an urgent directive (reading it too); acknowledging again keeps the first time."""
    if not delivery.directive.urgent:
        raise ValidationError({"acknowledge": [_("Only urgent directives are acknowledged.")]})
    directive_read(delivery=delivery)
    if delivery.acknowledged_at is None:
        DirectiveDelivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now()
        )
        delivery.refresh_from_db(fields=["acknowledged_at"])
    return delivery


# --- Surveys ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldInput:
    label: str
    kind: str
    choices: list[str] = field(default_factory=list)
    required: bool = True


def survey_create(
    *, author: User, title: str, description: str = "", fields: Sequence[FieldInput], client_token: str = ""
) -> Survey:
    """An administrator's survey to the universities of its scope (the ministry: the nation).

    The same ``client_token`` (the form's one-time token) creates one survey: a double click gets the first.
    """
    if not access.surveys_manageable(author):
        raise PermissionDenied
    client_token = client_token.strip()[:64]
    if client_token:
        existing = Survey.objects.filter(author=author, client_token=client_token).first()
        if existing is not None:
            return existing
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("This field is required.")]
    clean = [f for f in fields if f.label.strip()]
    if not clean:
        errors["fields"] = [_("Add at least one field.")]
    for n, item in enumerate(clean, start=1):
        if item.kind not in FieldKind.values:
            errors.setdefault("fields", []).append(_("Field %(n)d: choose a kind.") % {"n": n})
        if item.kind == FieldKind.CHOICE and len([c for c in item.choices if c.strip()]) < 2:
            errors.setdefault("fields", []).append(
                _("Field %(n)d: a choice needs two options or more.") % {"n": n}
            )
    if errors:
        raise ValidationError(errors)
    province_id = None if access.is_ministry_admin(author) else author.scope_province_id
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                author=author,
                title=title.strip(),
                description=description.strip(),
                province_id=province_id,
                client_token=client_token,
            )
            SurveyField.objects.bulk_create(
                [
                    SurveyField(
                        survey=survey,
                        label=item.label.strip()[:200],
                        kind=item.kind,
                        choices=[c.strip() for c in item.choices if c.strip()]
                        if item.kind == FieldKind.CHOICE
                        else [],
                        required=item.required,
                        order=n,
                    )
                    for n, item in enumerate(clean)
                ]
            )
    except IntegrityError:  # a concurrent double click with the same token won the insert
        return Survey.objects.get(author=author, client_token=client_token)
    return survey


def survey_close(*, actor: User, survey: Survey) -> Survey:
    if not access.manageable_surveys(actor).filter(pk=survey.pk).exists():
        raise PermissionDenied
    Survey.objects.filter(pk=survey.pk, status=SurveyStatus.OPEN).update(
        status=SurveyStatus.CLOSED, closed_at=timezone.now()
    )
    survey.refresh_from_db()
    return survey


def survey_answers_clean(*, survey: Survey, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers typed by their fields; a ``ValidationError`` names each wrong field by key (``f12``)."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for item in survey.fields.all():
        raw = answers.get(item.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if item.required:
                errors[item.key] = [_("This field is required.")]
            continue
        if item.kind == FieldKind.INTEGER:
            try:
                value = int(str(raw).strip())
            except ValueError:
                errors[item.key] = [_("Enter a whole number.")]
                continue
            if value < 0 or value > 10_000_000:
                errors[item.key] = [_("Enter a number between 0 and 10,000,000.")]
                continue
            clean[item.key] = value
        elif item.kind == FieldKind.CHOICE:
            if str(raw) not in item.choices:
                errors[item.key] = [_("Choose one of the options.")]
                continue
            clean[item.key] = str(raw)
        else:
            clean[item.key] = str(raw).strip()[:2000]
    if errors:
        raise ValidationError(errors)
    return clean


def survey_answer(*, actor: User, survey: Survey, answers: dict[str, Any]) -> SurveyResponse:
    """An officer's answer for their university: one per university, changed until the survey closes."""
    university_id = access.officer_university_id(actor)
    if university_id is None or not access.answerable_surveys(actor).filter(pk=survey.pk).exists():
        raise PermissionDenied
    if not access.survey_editable(survey):
        raise ValidationError({"survey": [_("This survey is closed.")]})
    clean = survey_answers_clean(survey=survey, answers=answers)
    for _attempt in range(2):  # a concurrent first answer of a colleague wins the insert; then we update it
        try:
            with transaction.atomic():
                response, _created = SurveyResponse.objects.update_or_create(
                    survey=survey,
                    university_id=university_id,
                    defaults={"answers": clean, "answered_by": actor},
                )
            return response
        except IntegrityError:
            continue
    raise ValidationError({"survey": [_("Please try again.")]})
