"""Every write of the vocational platform (STYLE.md: services do writes).

Keyword-only functions, each one transaction; ``ValidationError({field: [...]})`` for bad input,
``PermissionDenied`` for a role that may not act, ``UpstreamConflict`` (409) for an upstream change that no
longer applies. Edits of a standard or demonstration course are recorded as ``CourseChange`` rows in the same
transaction, so that every copy can review them later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from smartedu.accounts.models import User
from smartedu.classes.models import Class
from smartedu.portal import uploads
from smartedu.quizzes import services as quiz_services
from smartedu.quizzes.models import Purpose, Quiz
from vocational import access
from vocational.models import (
    FORKABLE_KINDS,
    TEACHER_UPLOAD,
    ChangeKind,
    ClassQuestion,
    ClassReply,
    Course,
    CourseChange,
    CourseKind,
    CoursePublication,
    Decision,
    Item,
    Library,
    Resource,
    ResourceKind,
    ResourceRating,
    Unit,
    UpstreamDecision,
)

PLATFORM = "vocational"
RESOURCE_KIND = "vocational.resource"


class UpstreamConflict(Exception):
    """An upstream change that no longer applies to the copy (answered 409 with the reason)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _text(value: str | None, *, field: str, max_length: int | None = None, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if max_length is not None and len(value) > max_length:
        raise ValidationError({field: [_("At most %(n)d characters.") % {"n": max_length}]})
    if "\x00" in value:
        raise ValidationError({field: [_("Null characters are not allowed.")]})
    return value


def _require_edit(user: User | None, course: Course) -> None:
    """``user`` None is the platform itself (seeders, the admin's own checks done)."""
    if user is not None and not access.course_editable(user, course):
        raise PermissionDenied(_("Only the owner of this course may change it."))


def _snapshot_item(item: Item) -> dict[str, Any]:
    return {"title": item.title, "note": item.note, "resource": item.resource_id, "unit": item.unit_id}


def _record(
    course: Course,
    kind: str,
    *,
    unit_ref: int,
    item_ref: int | None = None,
    resource_ref: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Number and keep a change of a library course (copies review it); personalised courses keep none."""
    if course.kind not in FORKABLE_KINDS:
        return
    Course.objects.filter(pk=course.pk).update(change_seq=F("change_seq") + 1, updated_at=timezone.now())
    course.refresh_from_db(fields=["change_seq"])
    CourseChange.objects.create(
        course=course,
        seq=course.change_seq,
        kind=kind,
        unit_ref=unit_ref,
        item_ref=item_ref,
        resource_ref=resource_ref,
        before=dict(before or {}),
        after=dict(after or {}),
    )


# --- Library content (the seeder and administrators) -------------------------------------------------


@transaction.atomic
def library_create(
    *, specialty: Any, title: str, summary: str = "", partners: Sequence[tuple[str, str, bool]] = ()
) -> Library:
    """A specialty's resource library with its co-building colleges and enterprises ``(kind, name, lead)``."""
    library = Library.objects.create(
        specialty=specialty, title=_text(title, field="title", max_length=120), summary=summary
    )
    from vocational.models import LibraryPartner

    LibraryPartner.objects.bulk_create(
        LibraryPartner(library=library, kind=kind, name=name, lead=lead, order=n)
        for n, (kind, name, lead) in enumerate(partners)
    )
    return library


@transaction.atomic
def resource_create(
    *,
    kind: str,
    title: str,
    library: Library | None = None,
    owner: User | None = None,
    body: str = "",
    url: str = "",
    file: Any = None,
    duration_seconds: int = 0,
    is_extension: bool = False,
) -> Resource:
    if kind not in ResourceKind.values:
        raise ValidationError({"kind": [_("One of: %(kinds)s.") % {"kinds": ", ".join(ResourceKind.values)}]})
    if library is None and owner is None:
        raise ValidationError({"library": [_("A resource belongs to a library or to a teacher.")]})
    resource = Resource(
        kind=kind,
        title=_text(title, field="title", max_length=200),
        library=library,
        owner=owner,
        body=body,
        url=url,
        duration_seconds=duration_seconds,
        is_extension=is_extension,
    )
    if file is not None:
        try:
            TEACHER_UPLOAD.check(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        resource.file = file
    resource.save()
    return resource


@transaction.atomic
def resource_upload(*, user: User, title: str, file: Any) -> Resource:
    """A teacher's own PDF, PPTX or MP4, accepted by its content and size (never by its name)."""
    if not access.upload_allowed(user):
        raise PermissionDenied(_("Only teachers add their own resources."))
    if file is None:
        raise ValidationError({"file": [_("Choose a file.")]})
    try:
        detected = TEACHER_UPLOAD.check(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    kind = ResourceKind.VIDEO if detected.key == uploads.MP4.key else ResourceKind.DOCUMENT
    return resource_create(kind=kind, title=title, owner=user, file=file)


@transaction.atomic
def resource_quiz_create(
    *, user: User | None, title: str, questions: Sequence[Mapping[str, Any]], library: Library | None = None
) -> Resource:
    """A quiz resource: the resource row and its practice quiz (smartedu.quizzes) of ``questions``, each
    ``{kind, prompt, options, answer, explanation, knowledge_points: [names]}``."""
    if user is not None and not access.is_teacher(user):
        raise PermissionDenied(_("Only teachers add their own resources."))
    if not questions:
        raise ValidationError({"questions": [_("A quiz needs at least one question.")]})
    resource = resource_create(kind=ResourceKind.QUIZ, title=title, owner=user, library=library)
    resource_exercises_add(resource=resource, questions=questions, created_by=user)
    return resource


@transaction.atomic
def resource_exercises_add(
    *,
    resource: Resource,
    questions: Sequence[Mapping[str, Any]],
    created_by: User | None = None,
    title: str = "",
) -> Quiz:
    """A practice quiz on any resource; questions tagged with knowledge points of its specialty."""
    subject = resource.library.specialty.name if resource.library is not None else ""
    made = []
    for n, q in enumerate(questions):
        points = [
            quiz_services.knowledge_point_get_or_create(platform=PLATFORM, name=name, subject=subject)
            for name in q.get("knowledge_points", [])
        ]
        try:
            made.append(
                quiz_services.question_create(
                    platform=PLATFORM,
                    kind=q.get("kind", ""),
                    prompt=q.get("prompt", ""),
                    options=q.get("options", []),
                    answer=q.get("answer", ""),
                    explanation=q.get("explanation", ""),
                    knowledge_points=points,
                    created_by=created_by,
                )
            )
        except ValidationError as exc:
            raise ValidationError({f"questions[{n}]": exc.messages}) from exc
    return quiz_services.quiz_create(
        owner_ref=f"{RESOURCE_KIND}:{resource.pk}",
        title=title or _("Practice: %(title)s") % {"title": resource.title},
        questions=made,
    )


@transaction.atomic
def class_test_create(
    *, user: User, resource: Resource, klass: Class, opens_at: datetime, closes_at: datetime
) -> Quiz:
    """An in-class test of a resource's practice questions for one class, open inside a window the
    teacher sets (smartedu.quizzes checks the class's teacher and the window)."""
    practice = (
        Quiz.objects.for_owner(RESOURCE_KIND, resource.pk)
        .filter(purpose=Purpose.PRACTICE, is_active=True)
        .first()
    )
    if practice is None:
        raise ValidationError({"resource": [_("This resource has no exercises.")]})
    return quiz_services.quiz_create(
        owner_ref=f"{RESOURCE_KIND}:{resource.pk}",
        title=_("In-class test: %(title)s") % {"title": resource.title},
        questions=[qq.question for qq in practice.quiz_questions.select_related("question")],
        purpose=Purpose.IN_CLASS,
        klass=klass,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=user,
    )


@transaction.atomic
def resource_rate(*, user: User, resource: Resource, stars: int) -> ResourceRating:
    """Rate a resource 1–5; rating again replaces the user's rating (counters kept in step)."""
    if not access.rating_allowed(user):
        raise PermissionDenied(_("Log in to rate resources."))
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": [_("Give 1 to 5 stars.")]})
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    rating = ResourceRating.objects.filter(resource=locked, user=user).first()
    if rating is None:
        rating = ResourceRating.objects.create(resource=locked, user=user, stars=stars)
        locked.rating_count += 1
        locked.rating_sum += stars
    else:
        locked.rating_sum += stars - rating.stars
        rating.stars = stars
        rating.save(update_fields=["stars", "rated_at"])
    locked.save(update_fields=["rating_count", "rating_sum"])
    return rating


# --- Courses ------------------------------------------------------------------------------------------


@transaction.atomic
def course_create(
    *,
    kind: str,
    title: str,
    specialty: Any,
    library: Library | None = None,
    description: str = "",
    institution: str = "",
    award: str = "",
    owner: User | None = None,
) -> Course:
    if kind not in CourseKind.values:
        raise ValidationError({"kind": [_("Unknown course type.")]})
    if kind == CourseKind.PERSONAL:
        raise ValidationError({"kind": [_("Personalised courses are made by copying a course.")]})
    return Course.objects.create(
        kind=kind,
        title=_text(title, field="title", max_length=200),
        description=description,
        specialty=specialty,
        library=library,
        institution=institution,
        award=award,
        owner=owner,
    )


@transaction.atomic
def course_fork(*, user: User, source: Course) -> tuple[Course, bool]:
    """Copy a standard or demonstration course into a personalised course ``user`` owns: ``(copy, created)``.

    The copy keeps each unit's and item's upstream row (``origin``) and the source's change number, so later
    upstream changes can be offered. A teacher has one copy per source: forking again (a double click)
    returns the first copy.
    """
    if not access.fork_allowed(user):
        raise PermissionDenied(_("Only teachers copy courses."))
    if source.kind not in FORKABLE_KINDS or not source.is_published:
        raise PermissionDenied(_("Only standard and demonstration courses are copied."))
    existing = Course.objects.filter(kind=CourseKind.PERSONAL, owner=user, source=source).first()
    if existing is not None:
        return existing, False
    source = Course.objects.select_for_update().get(pk=source.pk)
    try:
        with transaction.atomic():
            copy = Course.objects.create(
                kind=CourseKind.PERSONAL,
                title=source.title,
                description=source.description,
                specialty_id=source.specialty_id,
                library_id=source.library_id,
                institution=user.institution[:120],
                owner=user,
                source=source,
                synced_seq=source.change_seq,
                is_published=False,
            )
    except IntegrityError:
        return Course.objects.get(kind=CourseKind.PERSONAL, owner=user, source=source), False
    units = list(source.units.order_by("order", "pk").prefetch_related("items"))
    new_units = Unit.objects.bulk_create(
        Unit(course=copy, title=u.title, order=u.order, hidden=u.hidden, origin_ref=u.pk) for u in units
    )
    if not all(u.pk for u in new_units):  # backends that return no ids on bulk_create
        new_units = list(copy.units.order_by("order", "pk"))
    Item.objects.bulk_create(
        Item(
            unit=new_unit,
            resource_id=item.resource_id,
            title=item.title,
            note=item.note,
            order=item.order,
            hidden=item.hidden,
            origin_ref=item.pk,
        )
        for old, new_unit in zip(units, new_units, strict=True)
        for item in old.items.all()
    )
    return copy, True


@transaction.atomic
def course_update(
    *,
    user: User | None,
    course: Course,
    title: str | None = None,
    description: str | None = None,
    is_published: bool | None = None,
) -> Course:
    _require_edit(user, course)
    fields = []
    if title is not None:
        course.title = _text(title, field="title", max_length=200)
        fields.append("title")
    if description is not None:
        course.description = _text(description, field="description", max_length=5000, required=False)
        fields.append("description")
    if is_published is not None:
        course.is_published = bool(is_published)
        fields.append("is_published")
    if fields:
        course.save(update_fields=[*fields, "updated_at"])
    return course


@transaction.atomic
def course_delete(*, user: User, course: Course) -> None:
    """A personalised course goes with its units, items and records (resources stay)."""
    if not course.is_personal:
        raise PermissionDenied(_("Library courses are not deleted here."))
    _require_edit(user, course)
    course.delete()


@transaction.atomic
def course_publish(*, user: User, course: Course, klass: Class) -> tuple[CoursePublication, bool]:
    """Publish a personalised course to one of the teacher's vocational classes (idempotent)."""
    _require_edit(user, course)
    if not course.is_personal:
        raise ValidationError({"course": [_("Only personalised courses are published to classes.")]})
    if klass.platform != PLATFORM or not klass.is_active:
        raise ValidationError({"klass": [_("Choose an active class of the vocational platform.")]})
    if klass.teacher_id != course.owner_id:
        raise ValidationError({"klass": [_("Publish to your own classes only.")]})
    if not course.is_published:
        course.is_published = True
        course.save(update_fields=["is_published", "updated_at"])
    return CoursePublication.objects.get_or_create(course=course, klass=klass)


@transaction.atomic
def course_unpublish(*, user: User, course: Course, klass: Class) -> bool:
    _require_edit(user, course)
    deleted, _detail = CoursePublication.objects.filter(course=course, klass=klass).delete()
    return deleted > 0


# --- Units and items ----------------------------------------------------------------------------------


def _next_order(queryset: Any) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def unit_create(*, user: User | None, course: Course, title: str) -> Unit:
    _require_edit(user, course)
    unit = Unit.objects.create(
        course=course, title=_text(title, field="title", max_length=200), order=_next_order(course.units)
    )
    _record(course, ChangeKind.UNIT_ADDED, unit_ref=unit.pk, after={"title": unit.title})
    return unit


@transaction.atomic
def unit_update(
    *, user: User | None, unit: Unit, title: str | None = None, hidden: bool | None = None
) -> Unit:
    course = unit.course
    _require_edit(user, course)
    before = {"title": unit.title}
    if title is not None:
        unit.title = _text(title, field="title", max_length=200)
    if hidden is not None:
        unit.hidden = bool(hidden)
    unit.save()
    if title is not None and before["title"] != unit.title:
        _record(course, ChangeKind.UNIT_EDITED, unit_ref=unit.pk, before=before, after={"title": unit.title})
    return unit


@transaction.atomic
def unit_delete(*, user: User | None, unit: Unit) -> None:
    course = unit.course
    _require_edit(user, course)
    _record(course, ChangeKind.UNIT_REMOVED, unit_ref=unit.pk, before={"title": unit.title})
    unit.delete()


def _reorder(rows: Any, ids: Sequence[Any], *, field: str) -> None:
    current = list(rows.values_list("pk", flat=True))
    try:
        wanted = [int(i) for i in ids]
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: [_("Give the list of ids, as numbers.")]}) from exc
    unknown = [i for i in wanted if i not in set(current)]
    if unknown:
        raise ValidationError(
            {field: [_("Not in this list: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}]}
        )
    missing = sorted(set(current) - set(wanted))
    if missing or len(set(wanted)) != len(wanted):
        raise ValidationError(
            {
                field: [
                    _("Give every id exactly once; missing or repeated: %(ids)s.")
                    % {
                        "ids": ", ".join(
                            map(str, missing or sorted({i for i in wanted if wanted.count(i) > 1}))
                        )
                    }
                ]
            }
        )
    objs = list(rows.select_for_update().order_by("pk"))
    position = {pk: n for n, pk in enumerate(wanted, 1)}
    for obj in objs:
        obj.order = position[obj.pk]
    rows.model.objects.bulk_update(objs, ["order"])


@transaction.atomic
def unit_reorder(*, user: User, course: Course, ids: Sequence[Any]) -> None:
    """Put the course's units in the order of ``ids`` (every unit once); unknown ids are refused by name."""
    _require_edit(user, course)
    _reorder(course.units.all(), ids, field="ids")


@transaction.atomic
def item_reorder(*, user: User, unit: Unit, ids: Sequence[Any]) -> None:
    _require_edit(user, unit.course)
    _reorder(unit.items.all(), ids, field="ids")


@transaction.atomic
def item_add(*, user: User | None, unit: Unit, resource: Resource, title: str = "", note: str = "") -> Item:
    """Put a resource into a unit: any visible library resource, or the teacher's own."""
    course = unit.course
    _require_edit(user, course)
    if user is not None and not access.resource_visible(user, resource.pk):
        raise ValidationError({"resource": [_("No such resource.")]})
    if user is not None and resource.owner_id is not None and resource.owner_id != user.pk:
        raise ValidationError({"resource": [_("No such resource.")]})
    item = Item.objects.create(
        unit=unit,
        resource=resource,
        title=_text(title or resource.title, field="title", max_length=200),
        note=_text(note, field="note", max_length=5000, required=False),
        order=_next_order(unit.items),
    )
    _record(
        course,
        ChangeKind.ITEM_ADDED,
        unit_ref=unit.pk,
        item_ref=item.pk,
        resource_ref=resource.pk,
        after=_snapshot_item(item),
    )
    return item


@transaction.atomic
def item_update(
    *,
    user: User | None,
    item: Item,
    title: str | None = None,
    note: str | None = None,
    hidden: bool | None = None,
) -> Item:
    course = item.unit.course
    _require_edit(user, course)
    before = _snapshot_item(item)
    if title is not None:
        item.title = _text(title, field="title", max_length=200)
    if note is not None:
        item.note = _text(note, field="note", max_length=5000, required=False)
    if hidden is not None:
        item.hidden = bool(hidden)
    item.save()
    after = _snapshot_item(item)
    if (before["title"], before["note"]) != (after["title"], after["note"]):
        _record(
            course,
            ChangeKind.ITEM_EDITED,
            unit_ref=item.unit_id,
            item_ref=item.pk,
            resource_ref=item.resource_id,
            before=before,
            after=after,
        )
    return item


@transaction.atomic
def item_delete(*, user: User | None, item: Item) -> None:
    course = item.unit.course
    _require_edit(user, course)
    _record(
        course,
        ChangeKind.ITEM_REMOVED,
        unit_ref=item.unit_id,
        item_ref=item.pk,
        resource_ref=item.resource_id,
        before=_snapshot_item(item),
    )
    item.delete()


# --- Upstream sync ------------------------------------------------------------------------------------


def _copy_of(course: Course, origin_model: type[Unit] | type[Item], ref: int) -> Any:
    if origin_model is Unit:
        return course.units.filter(origin_ref=ref).first()
    return Item.objects.filter(unit__course=course, origin_ref=ref).first()


def _apply(course: Course, change: CourseChange, *, overwrite: bool) -> None:
    kind = change.kind
    if kind == ChangeKind.ITEM_ADDED:
        unit = _copy_of(course, Unit, change.unit_ref)
        if unit is None:
            raise UpstreamConflict(_("The unit this item was added to is not in your course any more."))
        if change.item_ref and _copy_of(course, Item, change.item_ref) is not None:
            raise UpstreamConflict(_("This item is already in your course."))
        resource = Resource.objects.filter(pk=change.resource_ref or 0).first()
        if resource is None:
            raise UpstreamConflict(_("The resource of this item no longer exists."))
        Item.objects.create(
            unit=unit,
            resource=resource,
            title=change.after.get("title", resource.title)[:200],
            note=change.after.get("note", ""),
            order=_next_order(unit.items),
            origin_ref=change.item_ref,
        )
    elif kind == ChangeKind.ITEM_REMOVED:
        item = _copy_of(course, Item, change.item_ref) if change.item_ref else None
        if item is None:
            raise UpstreamConflict(_("This item is not in your course any more."))
        item.delete()
    elif kind == ChangeKind.ITEM_EDITED:
        item = _copy_of(course, Item, change.item_ref) if change.item_ref else None
        if item is None:
            raise UpstreamConflict(_("This item is not in your course any more."))
        changed = [f for f in ("title", "note") if change.before.get(f) != change.after.get(f)]
        yours = [f for f in changed if getattr(item, f) not in (change.before.get(f), change.after.get(f))]
        if yours and not overwrite:
            raise UpstreamConflict(
                _("You edited this item's %(fields)s yourself; accept with overwrite to replace your text.")
                % {"fields": ", ".join(yours)}
            )
        for f in changed:
            setattr(item, f, change.after.get(f, ""))
        item.save()
    elif kind == ChangeKind.UNIT_ADDED:
        if _copy_of(course, Unit, change.unit_ref) is not None:
            raise UpstreamConflict(_("This unit is already in your course."))
        Unit.objects.create(
            course=course,
            title=change.after.get("title", "")[:200] or "—",
            order=_next_order(course.units),
            origin_ref=change.unit_ref,
        )
    elif kind == ChangeKind.UNIT_REMOVED:
        unit = _copy_of(course, Unit, change.unit_ref)
        if unit is None:
            raise UpstreamConflict(_("This unit is not in your course any more."))
        unit.delete()
    elif kind == ChangeKind.UNIT_EDITED:
        unit = _copy_of(course, Unit, change.unit_ref)
        if unit is None:
            raise UpstreamConflict(_("This unit is not in your course any more."))
        if unit.title not in (change.before.get("title"), change.after.get("title")) and not overwrite:
            raise UpstreamConflict(
                _("You renamed this unit yourself; accept with overwrite to replace your title.")
            )
        unit.title = change.after.get("title", unit.title)
        unit.save(update_fields=["title"])


@transaction.atomic
def upstream_decide(
    *, user: User, course: Course, change_id: int, decision: str, overwrite: bool = False
) -> UpstreamDecision:
    """Accept (apply to the copy) or ignore one upstream change, once.

    Deciding the same change again with the same decision returns the first decision (a double click);
    a different decision on an already decided change is refused. A change that no longer applies raises
    ``UpstreamConflict`` and nothing is written.
    """
    _require_edit(user, course)
    if decision not in Decision.values:
        raise ValidationError({"decision": [_("One of: accepted, ignored.")]})
    if not course.is_personal or course.source_id is None:
        raise ValidationError({"course": [_("This course is not a copy.")]})
    course = Course.objects.select_for_update().get(pk=course.pk)
    source_id = course.source_id
    if source_id is None:
        raise ValidationError({"course": [_("This course is not a copy.")]})
    change = CourseChange.objects.filter(pk=change_id, course_id=source_id, seq__gt=course.synced_seq).first()
    if change is None:
        raise ValidationError({"change": [_("No such upstream change for this course.")]})
    existing = UpstreamDecision.objects.filter(course=course, change=change).first()
    if existing is not None:
        if existing.decision == decision:
            return existing
        raise UpstreamConflict(
            _("This change was already %(decision)s.") % {"decision": existing.get_decision_display()}
        )
    if decision == Decision.ACCEPTED:
        _apply(course, change, overwrite=overwrite)
    return UpstreamDecision.objects.create(course=course, change=change, decision=decision)


# --- Q&A ----------------------------------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *,
    user: User,
    course: Course,
    body: str,
    klass: Class | None = None,
    item: Item | None = None,
    client_token: str = "",
    now: datetime | None = None,
) -> tuple[ClassQuestion, bool]:
    """A student asks in a class the course is published to (the first such class when none is named)."""
    if not access.is_student(user) or not access.course_is_students(user, course):
        raise PermissionDenied(_("Only the students of this course's classes ask questions."))
    client_token = client_token.strip()[:64]
    if client_token:
        found = ClassQuestion.objects.filter(student=user, client_token=client_token).first()
        if found is not None:
            return found, False
    classes = list(
        course.publications.filter(klass__memberships__student=user, klass__is_active=True).values_list(
            "klass_id", flat=True
        )
    )
    if klass is not None and klass.pk not in classes:
        raise ValidationError({"klass": [_("You are not in this class.")]})
    if item is not None and item.unit.course_id != course.pk:
        raise ValidationError({"item": [_("This item is not in the course.")]})
    question = ClassQuestion.objects.create(
        course=course,
        klass_id=klass.pk if klass else classes[0],
        item=item,
        student=user,
        body=_text(body, field="body", max_length=2000),
        client_token=client_token,
        asked_at=now or timezone.now(),
    )
    return question, True


@transaction.atomic
def question_reply(
    *, user: User, question: ClassQuestion, body: str, now: datetime | None = None
) -> ClassReply:
    """The course's teacher (or an administrator, or a classmate) replies; the teacher's first reply sets
    the response time the teacher response rate reads."""
    course = question.course
    by_teacher = access.course_editable(user, course)
    if not by_teacher and not access.course_is_students(user, course):
        raise PermissionDenied(_("Only the course's teacher and students reply."))
    now = now or timezone.now()
    reply = ClassReply.objects.create(
        question=question,
        author=user,
        body=_text(body, field="body", max_length=2000),
        by_teacher=by_teacher,
        created_at=now,
    )
    if by_teacher:
        ClassQuestion.objects.filter(pk=question.pk, first_reply_at__isnull=True).update(first_reply_at=now)
        question.refresh_from_db(fields=["first_reply_at"])
    return reply


# --- Resource quality ---------------------------------------------------------------------------------


@transaction.atomic
def quality_scores_refresh(*, batch_size: int = 2000) -> int:
    """Recompute every library resource's quality score (nightly); the previous score is kept so the
    ranking shows what rose and what fell.

    score = 40 × use (log-scaled views and course placements, relative to the busiest resource)
          + 40 × rating (mean stars / 5; 0 until rated)
          + 20 × quiz outcome (share of right answers to the resource's quizzes; 0 without answers)
    """
    import math

    from django.db.models import Count, Q

    from smartedu.quizzes.models import AttemptAnswer

    rows = list(
        Resource.objects.filter(owner__isnull=True)
        .annotate(placements=Count("items"))
        .values_list("pk", "view_count", "placements", "rating_sum", "rating_count", "quality_score")
    )
    if not rows:
        return 0
    use = {pk: math.log1p(views + 10 * placements) for pk, views, placements, *_rest in rows}
    top = max(use.values()) or 1.0
    quiz_owner = {
        q.pk: q.owner_id for q in Quiz.objects.filter(owner_kind=RESOURCE_KIND).only("pk", "owner_id")
    }
    outcome: dict[int, tuple[int, int]] = {}
    for quiz_id, answered, right in (
        AttemptAnswer.objects.filter(attempt__quiz_id__in=list(quiz_owner))
        .values("attempt__quiz_id")
        .annotate(n=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
        .values_list("attempt__quiz_id", "n", "right")
    ):
        owner = quiz_owner[quiz_id]
        n, r = outcome.get(owner, (0, 0))
        outcome[owner] = (n + answered, r + right)
    updated = []
    for pk, _views, _placements, rating_sum, rating_count, previous in rows:
        n, r = outcome.get(pk, (0, 0))
        score = (
            40 * use[pk] / top
            + 40 * ((rating_sum / rating_count / 5) if rating_count else 0)
            + 20 * (r / n if n else 0)
        )
        updated.append(Resource(pk=pk, quality_previous=previous, quality_score=round(score, 2)))
    Resource.objects.bulk_update(updated, ["quality_previous", "quality_score"], batch_size=batch_size)
    return len(updated)
