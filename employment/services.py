"""Every write of the employment platform (admin, API, views, seeders and test factories call these).

Functions are keyword-only, run in a transaction and raise ``ValidationError({field: [...]})`` or
``PermissionDenied``. Nothing personal (names, ID numbers, phones, message bodies) is ever logged: log lines
carry ids and counts only.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employment import access, rules
from employment.models import (
    LICENCE_UPLOAD,
    RESUME_ATTACHMENT_UPLOAD,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Degree,
    Employer,
    EmployerReview,
    EmployerSize,
    EmployerStatus,
    EmployerType,
    Favourite,
    GraduateProfile,
    ImportStatus,
    Industry,
    Intention,
    Job,
    JobStatus,
    JobType,
    Message,
    RegistryImport,
    RegistryRecord,
    Resume,
    ResumeEntry,
    ResumeSection,
)
from smartedu.accounts import services as account_services
from smartedu.accounts.models import Province, User
from smartedu.institutions.models import Institution
from smartedu.portal.registry import Progress, no_progress

logger = logging.getLogger(__name__)

# --- The student-status registry --------------------------------------------------------------------

REGISTRY_COLUMNS = ("name", "id_number", "university", "specialty", "degree", "graduation_year")
# Chinese headers are accepted as well as the English ones.
REGISTRY_HEADER_ALIASES = {
    "姓名": "name",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "学校": "university",
    "院校": "university",
    "专业": "specialty",
    "学历": "degree",
    "毕业年份": "graduation_year",
}
DEGREE_ALIASES = {
    **{d.value: d.value for d in Degree},
    "专科": Degree.ASSOCIATE,
    "本科": Degree.BACHELOR,
    "硕士": Degree.MASTER,
    "硕士研究生": Degree.MASTER,
    "博士": Degree.DOCTOR,
    "博士研究生": Degree.DOCTOR,
}
IMPORT_CHUNK = 500


@dataclass(frozen=True)
class RegistryRow:
    line: int
    name: str
    id_number: str
    university_id: int
    specialty: str
    degree: str
    graduation_year: int


def _registry_rows(
    text: str, *, universities: dict[str, Institution], scope_province_id: int | None
) -> tuple[list[RegistryRow], list[dict[str, object]], int]:
    """Parse the CSV: good rows, bad rows (line number and the fields that are wrong), number of rows."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise ValidationError({"file": [_("The file is empty.")]})
    names = [REGISTRY_HEADER_ALIASES.get(h.strip(), h.strip().lower()) for h in header]
    missing = [c for c in REGISTRY_COLUMNS if c not in names]
    if missing:
        raise ValidationError({"file": [_("Missing columns: %s") % ", ".join(missing)]})
    good: list[RegistryRow] = []
    bad: list[dict[str, object]] = []
    total = 0
    this_year = timezone.localdate().year
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        total += 1
        row = {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(names)}
        errors: dict[str, str] = {}
        for column in ("name", "specialty"):
            if not row[column]:
                errors[column] = _("This field is required.")
        id_number = rules.id_number_normalise(row["id_number"])
        if not rules.id_number_valid(id_number):
            errors["id_number"] = _("The ID number's check digit is wrong.")
        university = universities.get(row["university"])
        if university is None:
            errors["university"] = _("Unknown university.")
        elif scope_province_id is not None and university.province_id != scope_province_id:
            errors["university"] = _("This university is outside your province.")
        degree = DEGREE_ALIASES.get(row["degree"])
        if degree is None:
            errors["degree"] = _("Unknown degree.")
        year = int(row["graduation_year"]) if row["graduation_year"].isdigit() else 0
        if not 1950 <= year <= this_year + 6:
            errors["graduation_year"] = _("Not a plausible graduation year.")
        if errors:
            bad.append({"line": line, "errors": errors})
            continue
        assert university is not None
        assert degree is not None
        good.append(
            RegistryRow(
                line=line,
                name=row["name"][:50],
                id_number=id_number,
                university_id=university.pk,
                specialty=row["specialty"][:60],
                degree=str(degree),
                graduation_year=year,
            )
        )
    return good, bad, total


def _registry_apply(chunk: Sequence[RegistryRow]) -> tuple[int, int, int]:
    """Upsert one chunk by (ID number, degree): created, updated, unchanged."""
    existing = {
        (r.id_number, r.degree): r
        for r in RegistryRecord.objects.select_for_update().filter(
            id_number__in=[row.id_number for row in chunk]
        )
    }
    created: dict[tuple[str, str], RegistryRecord] = {}
    changed: list[RegistryRecord] = []
    unchanged = 0
    fields = ("name", "university_id", "specialty", "graduation_year")
    for row in chunk:
        key = (row.id_number, row.degree)
        record = existing.get(key) or created.get(key)
        values = {f: getattr(row, f) for f in fields}
        if record is None:
            created[key] = RegistryRecord(id_number=row.id_number, degree=row.degree, **values)
        elif any(getattr(record, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(record, f, v)
            if record.pk:
                changed.append(record)
        else:
            unchanged += 1
    RegistryRecord.objects.bulk_create(created.values())
    if changed:
        now = timezone.now()
        for record in changed:
            record.imported_at = now
        RegistryRecord.objects.bulk_update(changed, [*fields, "imported_at"])
    return len(created), len(changed), unchanged


def registry_import(
    *, actor: User, text: str, client_ip: str | None = None, progress: Progress = no_progress
) -> RegistryImport:
    """Import registry records from CSV text, idempotently (keyed on ID number and degree).

    Good rows are written in chunks, each in its own transaction, and the import's ``processed`` counter
    moves after each, so its page (or the command's progress bar) shows how far it is. Bad rows are kept
    with their line numbers and the fields that are wrong (never their values). Raises ``PermissionDenied``
    for anyone but an administrator, ``ValidationError`` for a file without the required columns.
    """
    if not access.registry_importable(actor):
        raise PermissionDenied(_("Only administrators import the student-status registry."))
    universities = {u.name: u for u in Institution.objects.all()}
    good, bad, total = _registry_rows(
        text, universities=universities, scope_province_id=actor.scope_province_id
    )
    job = RegistryImport.objects.create(started_by=actor, total=total, errors=bad, processed=len(bad))
    chunks = [good[i : i + IMPORT_CHUNK] for i in range(0, len(good), IMPORT_CHUNK)]
    try:
        for chunk in progress(chunks, total=len(chunks), desc="registry"):
            with transaction.atomic():
                created, updated, unchanged = _registry_apply(chunk)
                RegistryImport.objects.filter(pk=job.pk).update(
                    processed=job.processed + len(chunk),
                    created=job.created + created,
                    updated=job.updated + updated,
                    unchanged=job.unchanged + unchanged,
                )
            job.processed += len(chunk)
            job.created += created
            job.updated += updated
            job.unchanged += unchanged
    except Exception:
        RegistryImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now()
        )
        logger.exception("registry import %s failed", job.pk)
        raise
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
    logger.info(
        "registry import %s: %s rows, %s created, %s updated, %s bad",
        job.pk,
        total,
        job.created,
        job.updated,
        len(bad),
    )
    return job


# --- Graduate verification --------------------------------------------------------------------------


def _mismatch() -> list[str]:
    return [_("Does not match the student-status registry.")]


@transaction.atomic
def graduate_verify(
    *,
    user: User,
    name: str,
    id_number: str,
    university: Institution,
    specialty: str,
    degree: str,
    graduation_year: int,
) -> GraduateProfile:
    """Check the details against the registry; on a match the graduate is verified (idempotent).

    A mismatch names each field that differs and never shows the registry's value.
    """
    if not access.is_graduate(user):
        raise PermissionDenied(_("Only graduates verify their student status."))
    id_number = rules.id_number_normalise(id_number)
    if not rules.id_number_valid(id_number):
        raise ValidationError({"id_number": [_("The ID number's check digit is wrong.")]})
    records = list(RegistryRecord.objects.filter(id_number=id_number))
    if not records:
        raise ValidationError({"id_number": [_("No student-status record has this ID number.")]})
    record = next((r for r in records if r.degree == degree), None)
    if record is None:
        raise ValidationError({"degree": _mismatch()})
    errors: dict[str, list[str]] = {}
    if record.name != name.strip():
        errors["name"] = _mismatch()
    if record.university_id != university.pk:
        errors["university"] = _mismatch()
    if record.specialty != specialty.strip():
        errors["specialty"] = _mismatch()
    if record.graduation_year != graduation_year:
        errors["graduation_year"] = _mismatch()
    if errors:
        raise ValidationError(errors)
    current = GraduateProfile.objects.filter(user=user).first()
    if current is not None and current.record_id != record.pk:
        raise ValidationError({"non_field_errors": [_("You are already verified with another record.")]})
    claimed = GraduateProfile.objects.filter(record=record).exclude(user=user).exists()
    if claimed:
        raise ValidationError({"id_number": [_("Another account is already verified with this record.")]})
    profile, _created = GraduateProfile.objects.update_or_create(
        user=user,
        defaults={
            "record": record,
            "name": record.name,
            "id_number": record.id_number,
            "university_id": record.university_id,
            "specialty": record.specialty,
            "degree": record.degree,
            "graduation_year": record.graduation_year,
            "verified_at": timezone.now(),
        },
    )
    return profile


# --- Intentions and résumés -------------------------------------------------------------------------


def _salary_errors(salary_min: int | None, salary_max: int | None) -> dict[str, list[str]]:
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        return {"salary_min": [_("The minimum salary is above the maximum.")]}
    return {}


@transaction.atomic
def intention_save(
    *,
    user: User,
    industries: Iterable[Industry] = (),
    provinces: Iterable[Province] = (),
    cities: str = "",
    positions: str = "",
    salary_min: int | None = None,
    salary_max: int | None = None,
    job_type: str = JobType.FULL_TIME,
    available_from: date | None = None,
) -> Intention:
    if not access.is_graduate(user):
        raise PermissionDenied(_("Only graduates register an employment intention."))
    errors = _salary_errors(salary_min, salary_max)
    if job_type not in JobType.values:
        errors["job_type"] = [_("Choose one of the job types offered.")]
    if errors:
        raise ValidationError(errors)
    intention, _created = Intention.objects.update_or_create(
        user=user,
        defaults={
            "cities": cities.strip()[:200],
            "positions": positions.strip()[:200],
            "salary_min": salary_min,
            "salary_max": salary_max,
            "job_type": job_type,
            "available_from": available_from,
        },
    )
    intention.industries.set(list(industries))
    intention.provinces.set(list(provinces))
    return intention


def _resume_for(user: User) -> Resume:
    if not access.is_graduate(user):
        raise PermissionDenied(_("Only graduates keep a résumé."))
    resume, _created = Resume.objects.get_or_create(user=user)
    return resume


@transaction.atomic
def resume_save(
    *,
    user: User,
    headline: str = "",
    phone: str = "",
    email: str = "",
    skills: str = "",
    certificates: str = "",
    awards: str = "",
) -> Resume:
    """The résumé's own fields (sections go through ``resume_entry_*``)."""
    resume = _resume_for(user)
    phone = phone.strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
        raise ValidationError({"phone": [_("Enter a phone number of digits only.")]})
    resume.headline = headline.strip()[:100]
    resume.phone = phone
    resume.email = email.strip()
    resume.skills = skills.strip()
    resume.certificates = certificates.strip()
    resume.awards = awards.strip()
    resume.save()
    return resume


@dataclass(frozen=True)
class EntryInput:
    section: str
    title: str
    organisation: str = ""
    start: date | None = None
    end: date | None = None
    description: str = ""


def _entry_errors(data: EntryInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.section not in ResumeSection.values:
        errors["section"] = [_("Choose one of the sections offered.")]
    if not data.title.strip():
        errors["title"] = [_("This field is required.")]
    if data.start and data.end and data.start > data.end:
        errors["end"] = [_("The end is before the start.")]
    return errors


@transaction.atomic
def resume_entries_replace(*, user: User, entries: Sequence[EntryInput]) -> Resume:
    """Replace every section entry (the API's ``PUT``); entries keep the order given."""
    resume = _resume_for(user)
    for index, data in enumerate(entries):
        errors = _entry_errors(data)
        if errors:
            raise ValidationError({f"entries[{index}].{k}": v for k, v in errors.items()})
    resume.entries.all().delete()
    ResumeEntry.objects.bulk_create(
        ResumeEntry(resume=resume, order=i, **{**data.__dict__, "title": data.title.strip()})
        for i, data in enumerate(entries)
    )
    Resume.objects.filter(pk=resume.pk).update(updated_at=timezone.now())
    return resume


@transaction.atomic
def resume_entry_add(*, user: User, data: EntryInput) -> ResumeEntry:
    resume = _resume_for(user)
    errors = _entry_errors(data)
    if errors:
        raise ValidationError(errors)
    order = resume.entries.filter(section=data.section).count()
    entry = ResumeEntry.objects.create(
        resume=resume, order=order, **{**data.__dict__, "title": data.title.strip()}
    )
    return entry


@transaction.atomic
def resume_entry_delete(*, user: User, entry_id: int) -> None:
    resume = _resume_for(user)
    resume.entries.filter(pk=entry_id).delete()


@transaction.atomic
def resume_attachment_set(*, user: User, file: UploadedFile | None) -> Resume:
    """One PDF attachment (checked by content), or none."""
    resume = _resume_for(user)
    if file is not None:
        try:
            RESUME_ATTACHMENT_UPLOAD.check(file)
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from exc
    old = resume.attachment.name if resume.attachment else ""
    resume.attachment = file or ""
    resume.save(update_fields=["attachment", "updated_at"])
    if old:
        transaction.on_commit(lambda: resume.attachment.storage.delete(old))
    return resume


@transaction.atomic
def resume_consent_set(*, user: User, consent: bool) -> Resume:
    """Let employers see the résumé, or hide it again at once (applications keep theirs)."""
    resume = _resume_for(user)
    if consent and resume.consent_at is None:
        resume.consent_at = timezone.now()
    elif not consent:
        resume.consent_at = None
    resume.save(update_fields=["consent_at", "updated_at"])
    return resume


# --- Employers ----------------------------------------------------------------------------------------


def _employer_errors(*, credit_code: str, name: str, size: str, type: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not rules.credit_code_valid(credit_code):
        errors["credit_code"] = [_("The unified social credit code's check character is wrong.")]
    if not name.strip():
        errors["name"] = [_("This field is required.")]
    if size not in EmployerSize.values:
        errors["size"] = [_("Choose one of the sizes offered.")]
    if type not in EmployerType.values:
        errors["type"] = [_("Choose one of the types offered.")]
    return errors


def _licence_errors(licence: object) -> dict[str, list[str]]:
    if licence is None:
        return {"licence": [_("Upload the business licence (PDF or image).")]}
    try:
        LICENCE_UPLOAD.check(licence)
    except ValidationError as exc:
        return {"licence": exc.messages}
    return {}


def employer_register(
    *,
    user: User,
    name: str,
    credit_code: str,
    industry: Industry,
    province: Province,
    size: str,
    type: str,
    licence: UploadedFile | None,
    city: str = "",
    description: str = "",
) -> Employer:
    """Register the organisation of an employer account; it waits for an administrator of its province."""
    if not access.is_employer_account(user):
        raise PermissionDenied(_("Only employer accounts register an organisation."))
    credit_code = rules.credit_code_normalise(credit_code)
    existing = Employer.objects.filter(user=user).first()
    if existing is not None and existing.credit_code == credit_code:
        return existing  # a double submit
    errors = _employer_errors(credit_code=credit_code, name=name, size=size, type=type)
    errors.update(_licence_errors(licence))
    if existing is not None:
        errors["non_field_errors"] = [_("This account has already registered its organisation.")]
    elif Employer.objects.filter(credit_code=credit_code).exists():
        errors["credit_code"] = [_("An organisation with this credit code is already registered.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Employer.objects.create(
                user=user,
                name=name.strip(),
                credit_code=credit_code,
                industry=industry,
                province=province,
                city=city.strip(),
                size=size,
                type=type,
                licence=licence,
                description=description.strip(),
            )
    except IntegrityError as exc:  # a double submit or a concurrent registration of the same code
        existing = Employer.objects.filter(user=user).first()
        if existing is not None and existing.credit_code == credit_code:
            return existing
        raise ValidationError(
            {"credit_code": [_("An organisation with this credit code is already registered.")]}
        ) from exc


IDENTITY_FIELDS = ("name", "credit_code", "province", "licence")


@transaction.atomic
def employer_update(*, employer: Employer, actor: User, **changes: object) -> Employer:
    """Edit one's own organisation. Changing what was verified (name, credit code, province, licence)
    sends it back to review; description, city, size, type and industry do not."""
    if employer.user_id != actor.pk:
        raise PermissionDenied
    locked = Employer.objects.select_for_update().get(pk=employer.pk)
    allowed = {
        "name",
        "credit_code",
        "industry",
        "province",
        "city",
        "size",
        "type",
        "description",
        "licence",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    if "credit_code" in changes:
        changes["credit_code"] = rules.credit_code_normalise(str(changes["credit_code"]))
    candidate = {f: changes.get(f, getattr(locked, f)) for f in ("name", "credit_code", "size", "type")}
    errors = _employer_errors(**{k: str(v) for k, v in candidate.items()})
    if "licence" in changes:
        errors.update(_licence_errors(changes["licence"]))
    if (
        "credit_code" in changes
        and Employer.objects.exclude(pk=locked.pk).filter(credit_code=changes["credit_code"]).exists()
    ):
        errors["credit_code"] = [_("An organisation with this credit code is already registered.")]
    if errors:
        raise ValidationError(errors)
    identity_changed = any(
        name in changes and (name == "licence" or getattr(locked, name) != changes[name])
        for name in IDENTITY_FIELDS
    )
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if identity_changed and locked.status != EmployerStatus.PENDING:
        locked.status = EmployerStatus.PENDING
        locked.reviewed_at = None
        EmployerReview.objects.create(
            employer=locked, actor=actor, decision=EmployerStatus.PENDING, note="identity changed"
        )
    locked.save()
    return locked


@transaction.atomic
def employer_review(
    *, employer: Employer, actor: User, decision: str, note: str = "", client_ip: str | None = None
) -> Employer:
    """An administrator of the employer's province verifies or rejects it; every decision is logged.

    Verifying also approves the employer's account (``accounts.services.user_approve``, in the account
    audit log) if it was still waiting. Re-deciding is allowed (a verified employer found out is
    rejected); the same decision twice changes nothing and logs nothing.
    """
    locked = access.reviewable_employers(actor).select_for_update().filter(pk=employer.pk).first()
    if locked is None:
        raise PermissionDenied(_("This employer is not in your scope."))
    if decision not in (EmployerStatus.VERIFIED, EmployerStatus.REJECTED):
        raise ValidationError({"decision": [_("Choose verified or rejected.")]})
    if decision == EmployerStatus.REJECTED and not note.strip():
        raise ValidationError({"note": [_("Say why the employer is rejected.")]})
    if locked.status == decision:
        return locked
    locked.status = decision
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_at"])
    EmployerReview.objects.create(
        employer=locked, actor=actor, decision=decision, note=note.strip()[:300], client_ip=client_ip
    )
    account = User.objects.get(pk=locked.user_id)
    if decision == EmployerStatus.VERIFIED and account.approved_at is None:
        account_services.user_approve(user=account, approved_by=actor, client_ip=client_ip)
    # The employer's jobs enter or leave search with its status.
    from smartedu.search.services import search_mark_changed

    search_mark_changed(kind="employment.job", ids=list(locked.jobs.values_list("pk", flat=True)))
    logger.info("employer %s reviewed: %s by %s", locked.pk, decision, actor.pk)
    return locked


# --- Jobs ---------------------------------------------------------------------------------------------

DEFAULT_JOB_DAYS = 60
MAX_JOB_DAYS = 180


@dataclass(frozen=True)
class JobInput:
    title: str
    description: str
    industry: Industry
    province: Province
    city: str
    education: str
    salary_min: int
    salary_max: int
    job_type: str = JobType.FULL_TIME
    specialty_class: str = ""
    headcount: int = 1
    expires_at: datetime | None = None


def _job_errors(data: JobInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("This field is required.")]
    if not data.description.strip():
        errors["description"] = [_("This field is required.")]
    if not data.city.strip():
        errors["city"] = [_("This field is required.")]
    if data.education not in Degree.values:
        errors["education"] = [_("Choose one of the degrees offered.")]
    if data.job_type not in JobType.values:
        errors["job_type"] = [_("Choose one of the job types offered.")]
    errors.update(_salary_errors(data.salary_min, data.salary_max))
    now = timezone.now()
    if data.expires_at is not None and not now < data.expires_at <= now + timedelta(days=MAX_JOB_DAYS):
        errors["expires_at"] = [_("The expiry date must be within the next %d days.") % MAX_JOB_DAYS]
    return errors


def _apply_review(job: Job) -> None:
    flags = rules.job_review_flags(
        title=job.title, description=job.description, salary_min=job.salary_min, salary_max=job.salary_max
    )
    job.review_flags = [{"code": f.code, "message": f.message} for f in flags]
    job.status = JobStatus.FLAGGED if flags else JobStatus.OPEN


@transaction.atomic
def job_create(*, actor: User, data: JobInput) -> Job:
    """Post a job as a verified employer. The rule-based review publishes it at once, or holds it for an
    administrator (banned words, implausible salary, discriminatory requirements)."""
    employer = access.verified_employer(actor)
    if employer is None:
        raise PermissionDenied(_("Only verified employers post jobs."))
    errors = _job_errors(data)
    if errors:
        raise ValidationError(errors)
    job = Job(
        employer=employer,
        title=data.title.strip(),
        description=data.description.strip(),
        industry=data.industry,
        province=data.province,
        city=data.city.strip(),
        education=data.education,
        specialty_class=data.specialty_class,
        job_type=data.job_type,
        salary_min=data.salary_min,
        salary_max=data.salary_max,
        headcount=data.headcount,
        expires_at=data.expires_at or timezone.now() + timedelta(days=DEFAULT_JOB_DAYS),
    )
    _apply_review(job)
    job.save()
    return job


@transaction.atomic
def job_update(*, actor: User, job: Job, data: JobInput) -> Job:
    locked = access.access_own_job(actor, job.pk)
    if locked.status in (JobStatus.CLOSED, JobStatus.REJECTED):
        raise ValidationError({"non_field_errors": [_("A closed job cannot be edited.")]})
    errors = _job_errors(data)
    if errors:
        raise ValidationError(errors)
    for name, value in data.__dict__.items():
        if name == "expires_at" and value is None:
            continue
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _apply_review(locked)
    locked.save()
    return locked


@transaction.atomic
def job_close(*, actor: User, job: Job) -> Job:
    locked = access.access_own_job(actor, job.pk)
    if locked.status != JobStatus.CLOSED:
        locked.status = JobStatus.CLOSED
        locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def job_moderate(*, actor: User, job: Job, approve: bool) -> Job:
    """An administrator in scope publishes or rejects a job the rules held back."""
    locked = access.access_job_for_review(actor, job.pk)
    if locked.status != JobStatus.FLAGGED:
        raise ValidationError({"non_field_errors": [_("This job is not waiting for review.")]})
    locked.status = JobStatus.OPEN if approve else JobStatus.REJECTED
    locked.save(update_fields=["status"])
    logger.info("job %s moderated: %s by %s", locked.pk, locked.status, actor.pk)
    return locked


def jobs_close_expired(*, now: datetime | None = None) -> int:
    """Close open jobs past their expiry (the beat task); returns how many. Run twice: closes nothing."""
    now = now or timezone.now()
    from smartedu.search.services import search_mark_changed

    ids = list(
        Job.objects.filter(status=JobStatus.OPEN, expires_at__lte=now).values_list("pk", flat=True)[:50_000]
    )
    if ids:
        with transaction.atomic():
            Job.objects.filter(pk__in=ids, status=JobStatus.OPEN).update(status=JobStatus.CLOSED)
            search_mark_changed(kind="employment.job", ids=ids)
    return len(ids)


def favourite_set(*, user: User, job: Job, on: bool) -> bool:
    """Keep or drop a job among the graduate's favourites; idempotent. Returns whether it is kept."""
    if not access.is_graduate(user):
        raise PermissionDenied(_("Only graduates keep favourites."))
    if on:
        Favourite.objects.get_or_create(user=user, job=job)
    else:
        Favourite.objects.filter(user=user, job=job).delete()
    return on


# --- Applications and messages ------------------------------------------------------------------------

PIPELINE: dict[str, frozenset[str]] = {
    ApplicationStatus.SUBMITTED: frozenset(
        {
            ApplicationStatus.VIEWED,
            ApplicationStatus.INTERVIEW,
            ApplicationStatus.OFFER,
            ApplicationStatus.REJECTED,
        }
    ),
    ApplicationStatus.VIEWED: frozenset(
        {ApplicationStatus.INTERVIEW, ApplicationStatus.OFFER, ApplicationStatus.REJECTED}
    ),
    ApplicationStatus.INTERVIEW: frozenset({ApplicationStatus.OFFER, ApplicationStatus.REJECTED}),
    ApplicationStatus.OFFER: frozenset({ApplicationStatus.HIRED, ApplicationStatus.REJECTED}),
}
EMPLOYER_STATUSES = frozenset(
    {
        ApplicationStatus.VIEWED,
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.OFFER,
        ApplicationStatus.HIRED,
        ApplicationStatus.REJECTED,
    }
)


def application_create(*, graduate: User, job: Job) -> tuple[Application, bool]:
    """Apply once per job: a second call (a double click) gives back the existing application."""
    if not access.is_verified_graduate(graduate):
        raise PermissionDenied(_("Only graduates verified against the registry apply for jobs."))
    existing = Application.objects.filter(job=job, graduate=graduate).first()
    if existing is not None:
        return existing, False
    if not Job.objects.visible().filter(pk=job.pk).exists():
        raise ValidationError({"job": [_("This job is not open.")]})
    try:
        with transaction.atomic():
            application = Application.objects.create(job=job, graduate=graduate, employer_id=job.employer_id)
            ApplicationEvent.objects.create(
                application=application, status=ApplicationStatus.SUBMITTED, actor=graduate
            )
    except IntegrityError:  # the concurrent twin of this request won
        return Application.objects.get(job=job, graduate=graduate), False
    return application, True


@transaction.atomic
def application_withdraw(*, graduate: User, application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.graduate_id != graduate.pk:
        raise PermissionDenied
    if locked.status == ApplicationStatus.WITHDRAWN:
        return locked
    if locked.status in (ApplicationStatus.HIRED, ApplicationStatus.REJECTED):
        raise ValidationError({"status": [_("A decided application cannot be withdrawn.")]})
    locked.status = ApplicationStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    ApplicationEvent.objects.create(application=locked, status=locked.status, actor=graduate)
    return locked


@transaction.atomic
def application_status_set(*, actor: User, application: Application, status: str) -> Application:
    """Move an application along the pipeline (submitted → viewed → interview → offer → hired, or rejected).

    Only the employer of the job; the same status twice is a no-op; every change is a timestamped step.
    """
    employer = access.verified_employer(actor)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if employer is None or locked.employer_id != employer.pk:
        raise PermissionDenied
    if status not in EMPLOYER_STATUSES:
        raise ValidationError({"status": [_("Choose one of the statuses offered.")]})
    if locked.status == status:
        return locked
    if status not in PIPELINE.get(locked.status, frozenset()):
        raise ValidationError(
            {
                "status": [
                    _("An application cannot move from %(old)s to %(new)s.")
                    % {"old": locked.status, "new": status}
                ]
            }
        )
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    ApplicationEvent.objects.create(application=locked, status=status, actor=actor)
    return locked


def application_viewed(*, actor: User, application: Application) -> Application:
    """The employer opened a submitted application: it becomes viewed (nothing else changes)."""
    if application.status == ApplicationStatus.SUBMITTED:
        return application_status_set(actor=actor, application=application, status=ApplicationStatus.VIEWED)
    return application


def applications_bulk_status(*, actor: User, ids: Sequence[int], status: str) -> tuple[int, list[int]]:
    """Move several of the employer's applications at once: (moved, ids that could not move)."""
    moved, refused = 0, []
    for application in access.applications_for(actor).filter(pk__in=ids).order_by("pk"):
        try:
            before = application.status
            after = application_status_set(actor=actor, application=application, status=status)
            moved += int(after.status != before)
        except (ValidationError, PermissionDenied):
            refused.append(application.pk)
    return moved, refused


@transaction.atomic
def message_send(*, sender: User, application: Application, body: str) -> Message:
    if sender.pk not in (application.graduate_id, application.employer.user_id):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError({"body": [_("Write a message.")]})
    if len(body) > 2000:
        raise ValidationError({"body": [_("At most 2,000 characters.")]})
    return Message.objects.create(application=application, sender=sender, body=body)


def messages_mark_read(*, reader: User, application: Application) -> int:
    """Mark the other party's messages of this thread read; returns how many."""
    return (
        Message.objects.filter(application=application, read_at__isnull=True)
        .exclude(sender=reader)
        .update(read_at=timezone.now())
    )
