"""Importing partners' job feeds and managing the partners who pull ours.

An import is idempotent by ``(source, external id)``: a new id creates a job, a known id whose fields changed
updates it, a row with ``"status": "closed"`` closes it, and in a full snapshot (the default) the jobs of that
source missing from the feed are closed. Every job is written through ``employment.services``
(``job_create``, ``job_update``, ``job_close``) acting as the job's employer, so the rule-based review,
search indexing and visibility apply exactly as to a job posted by hand. A bad row is reported with its
line (CSV) or position (JSON) and the fields that are wrong; it never stops the others.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from employment import services as job_services
from employment.feeds import access
from employment.feeds.models import FeedFormat, FeedImport, FeedImportStatus, FeedItem, Partner
from employment.models import Employer, EmployerStatus, Industry, Job, JobStatus, JobType
from employment.services import DEGREE_ALIASES, JobInput
from smartedu.accounts.models import Province, User
from smartedu.portal.parsers import json_loads_limited
from smartedu.portal.registry import Progress, no_progress

logger = logging.getLogger(__name__)

MAX_FEED_BYTES = 20 * 1024 * 1024
MAX_FEED_ROWS = 50_000
PROGRESS_EVERY = 50
REQUIRED = (
    "external_id", "employer_credit_code", "title", "description", "industry", "province", "city",
    "education", "salary_min", "salary_max",
)  # fmt: skip


@dataclass(frozen=True)
class FeedRow:
    where: int  # CSV line number, or the 1-based position in the JSON list
    external_id: str
    employer: Employer | None
    data: JobInput | None
    close: bool


# --- Parsing -----------------------------------------------------------------------------------------------


def _raw_rows(text: str, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The feed's rows as (where, mapping). Raises ``ValidationError({"file": …})`` if it is not a feed."""
    if fmt == FeedFormat.JSON:
        try:
            document = json_loads_limited(text, max_depth=4)
        except ValueError as exc:
            raise ValidationError({"file": [_("Not valid JSON: %s") % exc]}) from None
        jobs = document.get("jobs") if isinstance(document, dict) else document
        if not isinstance(jobs, list):
            raise ValidationError({"file": [_('Expected a list of jobs, or an object with a "jobs" list.')]})
        for n, item in enumerate(jobs, start=1):
            yield n, item if isinstance(item, dict) else {}
        return
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "external_id" not in [h.strip() for h in reader.fieldnames]:
        raise ValidationError({"file": [_("The CSV header must name the columns, external_id among them.")]})
    for values in reader:
        if not any((v or "").strip() for v in values.values() if isinstance(v, str)):
            continue
        yield reader.line_num, {(k or "").strip(): v for k, v in values.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip() if isinstance(value, str | int | float) else ""


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = _text(value)
    return int(text) if text.isdigit() else None


def _expiry(value: Any) -> datetime | str | None:
    """A datetime, None (not given), or "" (given but not a date)."""
    text = _text(value)
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text) if len(text) == 10 else None
        if day is None:
            return ""
        moment = datetime.combine(day, time(23, 59))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@dataclass
class _Lookups:
    employers: dict[str, Employer]
    industries: dict[str, Industry]
    provinces: dict[str, Province]


def _parse_row(where: int, raw: dict[str, Any], lookups: _Lookups) -> tuple[FeedRow | None, dict[str, str]]:
    errors: dict[str, str] = {}
    external_id = _text(raw.get("external_id"))
    if not external_id:
        errors["external_id"] = _("This field is required.")
    elif len(external_id) > 100:
        errors["external_id"] = _("At most 100 characters.")
    close = _text(raw.get("status")).lower() in ("closed", "removed", "deleted")
    credit_code = _text(raw.get("employer_credit_code")).upper()
    employer = lookups.employers.get(credit_code)
    if employer is None:
        errors["employer_credit_code"] = _("Not a verified employer of this platform (in your scope).")
    if close:
        if errors:
            return None, errors
        return FeedRow(where=where, external_id=external_id, employer=employer, data=None, close=True), {}
    for name in REQUIRED:
        if name not in errors and not _text(raw.get(name)):
            errors[name] = _("This field is required.")
    industry = lookups.industries.get(_text(raw.get("industry")).upper())
    if industry is None and "industry" not in errors:
        errors["industry"] = _("Unknown industry section (A–T).")
    province = lookups.provinces.get(_text(raw.get("province")))
    if province is None and "province" not in errors:
        errors["province"] = _("Unknown province code.")
    education = DEGREE_ALIASES.get(_text(raw.get("education")))
    if education is None and "education" not in errors:
        errors["education"] = _("Unknown degree.")
    salary_min, salary_max = _int(raw.get("salary_min")), _int(raw.get("salary_max"))
    for name, value in (("salary_min", salary_min), ("salary_max", salary_max)):
        if value is None and name not in errors:
            errors[name] = _("A whole number of yuan a month.")
    job_type = _text(raw.get("job_type")) or JobType.FULL_TIME
    if job_type not in JobType.values:
        errors["job_type"] = _("Unknown job type.")
    headcount = _int(raw.get("headcount")) if _text(raw.get("headcount")) else 1
    if headcount is None or not 1 <= headcount <= 9999:
        errors["headcount"] = _("A number of openings between 1 and 9999.")
    expires_at = _expiry(raw.get("expires_at"))
    if expires_at == "":
        errors["expires_at"] = _("A date (YYYY-MM-DD) or an ISO 8601 time.")
    title, description = _text(raw.get("title")), _text(raw.get("description"))
    if len(title) > 100:
        errors["title"] = _("At most 100 characters.")
    if len(description) > 10_000:
        errors["description"] = _("At most 10,000 characters.")
    specialty_class = _text(raw.get("specialty_class"))
    if specialty_class and not (specialty_class.isdigit() and len(specialty_class) == 4):
        errors["specialty_class"] = _("A four-digit specialty class code.")
    if errors:
        return None, errors
    assert industry is not None
    assert province is not None
    assert education is not None
    assert salary_min is not None
    assert salary_max is not None
    assert headcount is not None
    data = JobInput(
        title=title,
        description=description,
        industry=industry,
        province=province,
        city=_text(raw.get("city"))[:40],
        education=str(education),
        salary_min=salary_min,
        salary_max=salary_max,
        job_type=job_type,
        specialty_class=specialty_class,
        headcount=headcount,
        expires_at=expires_at if isinstance(expires_at, datetime) else None,
    )
    return FeedRow(where=where, external_id=external_id, employer=employer, data=data, close=False), {}


# --- Applying ---------------------------------------------------------------------------------------------


def _same(job: Job, data: JobInput) -> bool:
    for field in fields(JobInput):
        value = getattr(data, field.name)
        if field.name == "expires_at" and value is None:
            continue
        current = getattr(job, field.name)
        if isinstance(value, str):
            value = value.strip()
        if current != value:
            return False
    return True


def _apply(source: str, row: FeedRow) -> str:
    """Write one good row through the job services: "created", "updated", "unchanged" or "closed"."""
    assert row.employer is not None
    actor: User = row.employer.user
    with transaction.atomic():
        item = FeedItem.objects.select_for_update().filter(source=source, external_id=row.external_id).first()
        job = Job.objects.filter(pk=item.job_id).first() if item else None
        if job is not None and job.employer_id != row.employer.pk:
            raise ValidationError(
                {"employer_credit_code": [_("Differs from the employer of the imported job.")]}
            )
        if row.close:
            if job is None or job.status == JobStatus.CLOSED:
                return "unchanged"
            job_services.job_close(actor=actor, job=job)
            return "closed"
        assert row.data is not None
        if job is not None and job.status not in (JobStatus.CLOSED, JobStatus.REJECTED):
            if _same(job, row.data):
                return "unchanged"
            job_services.job_update(actor=actor, job=job, data=row.data)
            FeedItem.objects.filter(pk=item.pk).update(updated_at=timezone.now())  # type: ignore[union-attr]
            return "updated"
        # New, or back after being closed: a new job (closed jobs are not edited).
        created = job_services.job_create(actor=actor, data=row.data)
        if item is None:
            FeedItem.objects.create(source=source, external_id=row.external_id, job=created)
            return "created"
        FeedItem.objects.filter(pk=item.pk).update(job=created, updated_at=timezone.now())
        return "updated"


def _close_missing(source: str, seen: set[str]) -> int:
    """In a full snapshot, close the open jobs of ``source`` whose external ids the feed no longer lists."""
    closed = 0
    missing = (
        FeedItem.objects.filter(source=source)
        .exclude(external_id__in=seen)
        .filter(job__status__in=[JobStatus.OPEN, JobStatus.FLAGGED])
        .select_related("job__employer__user")
    )
    for item in missing.iterator(chunk_size=500):
        job_services.job_close(actor=item.job.employer.user, job=item.job)
        closed += 1
    return closed


# --- The import -------------------------------------------------------------------------------------------


def feed_import_start(
    *, actor: User, source: str, fmt: str, text: str, full: bool = True, queue: bool = True
) -> FeedImport:
    """Record an import; with ``queue`` the Celery task runs it (``feed_import_run``) after this
    transaction commits (the command runs it in its own process instead)."""
    if not access.feeds_importable(actor):
        raise PermissionDenied(_("Only administrators import job feeds."))
    errors: dict[str, list[str]] = {}
    if not source or len(source) > 50 or not source.replace("-", "").replace("_", "").isalnum():
        errors["source"] = [_("A short name of letters, digits and hyphens.")]
    if fmt not in FeedFormat.values:
        errors["format"] = [_("Choose json or csv.")]
    if len(text.encode()) > MAX_FEED_BYTES:
        errors["file"] = [_("The feed is larger than 20 MB.")]
    if errors:
        raise ValidationError(errors)
    feed = FeedImport.objects.create(source=source, format=fmt, full=full, payload=text, started_by=actor)

    def enqueue() -> None:
        from employment.feeds.tasks import import_job_feed_task

        try:
            import_job_feed_task.delay(feed.pk)
        except Exception:  # the broker is down: the import stays queued; `feeds_import --run <id>` runs it
            logger.warning("feed import %s could not be queued", feed.pk, exc_info=True)

    if queue:
        transaction.on_commit(enqueue)
    return feed


def feed_import_run(*, import_id: int, progress: Progress = no_progress, resume: bool = False) -> FeedImport:
    """Run a queued import; run twice, the second run finds it started and does nothing. ``resume`` runs
    again an import left "running" by a worker that died (safe: rows are idempotent by external id)."""
    with transaction.atomic():
        feed = (
            FeedImport.objects.select_for_update(of=("self",)).select_related("started_by").get(pk=import_id)
        )
        runnable = [FeedImportStatus.QUEUED, *([FeedImportStatus.RUNNING] if resume else [])]
        if feed.status not in runnable:
            return feed
        feed.status = FeedImportStatus.RUNNING
        feed.save(update_fields=["status"])
    try:
        _run(feed, progress)
    except ValidationError as exc:  # not a feed at all (bad JSON, no header)
        FeedImport.objects.filter(pk=feed.pk).update(
            status=FeedImportStatus.FAILED,
            finished_at=timezone.now(),
            errors=[{"where": 0, "errors": {k: " ".join(v) for k, v in exc.message_dict.items()}}],
        )
    except Exception:
        FeedImport.objects.filter(pk=feed.pk).update(
            status=FeedImportStatus.FAILED, finished_at=timezone.now()
        )
        logger.exception("feed import %s failed", feed.pk)
        raise
    feed.refresh_from_db()
    return feed


def _run(feed: FeedImport, progress: Progress) -> None:
    raws = list(_raw_rows(feed.payload, feed.format))
    if len(raws) > MAX_FEED_ROWS:
        raise ValidationError({"file": [_("At most %d rows per import.") % MAX_FEED_ROWS]})
    employers = Employer.objects.filter(
        status=EmployerStatus.VERIFIED,
        credit_code__in={_text(r.get("employer_credit_code")).upper() for _w, r in raws},
    ).select_related("user")
    scope = feed.started_by.scope_province_id if feed.started_by else None
    if scope is not None:  # a provincial administrator imports the jobs of its province's employers
        employers = employers.filter(province_id=scope)
    lookups = _Lookups(
        employers={e.credit_code: e for e in employers},
        industries={i.code: i for i in Industry.objects.all()},
        provinces={p.code: p for p in Province.objects.all()},
    )
    FeedImport.objects.filter(pk=feed.pk).update(total=len(raws))
    counts = {"created": 0, "updated": 0, "unchanged": 0, "closed": 0}
    bad: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, (where, raw) in enumerate(progress(raws, total=len(raws), desc=f"feed {feed.source}"), start=1):
        external_id = _text(raw.get("external_id"))
        if external_id:
            seen.add(external_id)  # a bad row of a known job does not close it
        row, errors = _parse_row(where, raw, lookups)
        if row is not None:
            try:
                counts[_apply(feed.source, row)] += 1
            except ValidationError as exc:
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        if errors:
            bad.append({"where": where, "external_id": external_id[:100], "errors": errors})
        if n % PROGRESS_EVERY == 0 or n == len(raws):
            FeedImport.objects.filter(pk=feed.pk).update(processed=n, errors=bad, **counts)
    if feed.full:
        counts["closed"] += _close_missing(feed.source, seen)
    FeedImport.objects.filter(pk=feed.pk).update(
        status=FeedImportStatus.DONE,
        finished_at=timezone.now(),
        processed=len(raws),
        errors=bad,
        payload="",  # the feed is not kept once imported
        **counts,
    )
    logger.info("feed import %s (%s): %s rows, %s, %s bad", feed.pk, feed.source, len(raws), counts, len(bad))


# --- Partners ---------------------------------------------------------------------------------------------


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def partner_create(*, actor: User, name: str) -> tuple[Partner, str]:
    """A partner and its API key: returned once, stored only as SHA-256 (a random 256-bit key needs no
    slow hash). The key is ``<prefix>.<secret>``; the prefix finds the row."""
    if not access.feeds_importable(actor):
        raise PermissionDenied(_("Only administrators register partners."))
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": [_("Give the partner's name (at most 100 characters).")]})
    while True:
        prefix = secrets.token_hex(4)
        if not Partner.objects.filter(key_prefix=prefix).exists():
            break
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    partner = Partner.objects.create(name=name, key_prefix=prefix, key_hash=_hash(key))
    logger.info("feed partner %s created by %s", partner.pk, actor.pk)
    return partner, key


def partner_for_key(key: str) -> Partner | None:
    """The active partner holding ``key``, compared in constant time; None otherwise."""
    prefix, _dot, _secret = key.partition(".")
    partner = Partner.objects.filter(key_prefix=prefix[:8], is_active=True).first()
    if partner is None or not secrets.compare_digest(partner.key_hash, _hash(key)):
        return None
    return partner


def partner_pulled(*, partner: Partner) -> None:
    Partner.objects.filter(pk=partner.pk).update(last_pulled_at=timezone.now())
