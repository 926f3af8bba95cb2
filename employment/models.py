"""The 24365 employment market: the student-status registry, graduates, employers, jobs and applications.

Visibility lives on the querysets: ``Employer.objects.verified()``, ``Job.objects.visible()`` (open and not
expired, from a verified employer), ``Resume.objects.consenting()``. Who may do what lives in ``access.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartedu.accounts.models import Province
from smartedu.institutions.models import Institution
from smartedu.portal.prepared import Constant
from smartedu.portal.uploads import MB, RandomName, UploadPolicy

LICENCE_UPLOAD = UploadPolicy(kinds=("pdf", "png", "jpeg"), max_bytes=10 * MB)
RESUME_ATTACHMENT_UPLOAD = UploadPolicy(kinds=("pdf",), max_bytes=10 * MB)


class Industry(models.Model):
    """An industry section (门类) of GB/T 4754-2017."""

    code = models.CharField(_("code"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return self.name


class Degree(models.TextChoices):
    ASSOCIATE = "associate", _("Associate (专科)")
    BACHELOR = "bachelor", _("Bachelor (本科)")
    MASTER = "master", _("Master (硕士)")
    DOCTOR = "doctor", _("Doctor (博士)")


DEGREE_RANK = {Degree.ASSOCIATE: 1, Degree.BACHELOR: 2, Degree.MASTER: 3, Degree.DOCTOR: 4}


class JobType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    INTERNSHIP = "internship", _("Internship")
    GRASSROOTS = "grassroots", _("Grassroots project")
    FURTHER_STUDY = "further_study", _("Further study")
    ENLISTMENT = "enlistment", _("Enlistment")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")


# --- The student-status registry (学籍学历) ----------------------------------------------------------


class RegistryRecord(models.Model):
    """One graduate as the national student-status registry lists them (imported by administrators)."""

    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18)
    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.PROTECT, related_name="+"
    )
    specialty = models.CharField(_("specialty"), max_length=60)
    degree = models.CharField(_("degree"), max_length=12, choices=Degree.choices)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("registry record")
        verbose_name_plural = _("registry records")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number", "degree"], name="employment_registry_id_degree_unique"
            )
        ]
        indexes = [models.Index(fields=["university", "graduation_year"], name="employment_registry_univ")]

    def __str__(self) -> str:
        return f"{self.university_id}/{self.graduation_year}/{self.pk}"  # nothing personal


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RegistryImport(models.Model):
    """One CSV import of registry records: its progress and the bad rows with their line numbers."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("bad rows"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.processed / self.total)


# --- Graduates ----------------------------------------------------------------------------------------


class GraduateProfile(models.Model):
    """A graduate's verified identity: set only by ``services.graduate_verify`` on a registry match."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="graduate"
    )
    record = models.ForeignKey(
        RegistryRecord, verbose_name=_("registry record"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18)
    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.PROTECT, related_name="+"
    )
    specialty = models.CharField(_("specialty"), max_length=60)
    degree = models.CharField(_("degree"), max_length=12, choices=Degree.choices)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"))
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)

    class Meta:
        verbose_name = _("verified graduate")
        verbose_name_plural = _("verified graduates")
        constraints = [models.UniqueConstraint(fields=["record"], name="employment_graduate_record_unique")]

    def __str__(self) -> str:
        return f"graduate {self.user_id}"


class Intention(models.Model):
    """A graduate's employment intention (就业意向)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="intention"
    )
    industries = models.ManyToManyField(Industry, verbose_name=_("industries"), blank=True, related_name="+")
    provinces = models.ManyToManyField(Province, verbose_name=_("provinces"), blank=True, related_name="+")
    cities = models.CharField(_("cities"), max_length=200, blank=True, help_text=_("Separated by commas."))
    positions = models.CharField(_("positions"), max_length=200, blank=True)
    salary_min = models.PositiveIntegerField(_("minimum monthly salary"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("maximum monthly salary"), null=True, blank=True)
    job_type = models.CharField(
        _("job type"), max_length=16, choices=JobType.choices, default=JobType.FULL_TIME
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employment intention")
        verbose_name_plural = _("employment intentions")
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="employment_intention_salary_order",
            )
        ]

    def __str__(self) -> str:
        return f"intention {self.user_id}"

    def city_list(self) -> list[str]:
        return [c.strip() for c in self.cities.replace("，", ",").split(",") if c.strip()]


class ResumeQuerySet(models.QuerySet["Resume"]):
    def consenting(self) -> ResumeQuerySet:
        """Résumés whose graduate consents to employers seeing them (withdrawal hides them at once)."""
        return self.filter(consent_at__isnull=False)


class Resume(models.Model):
    """A graduate's résumé; sections live in ``ResumeEntry`` (education, internships, projects)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="resume"
    )
    headline = models.CharField(_("headline"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    certificates = models.TextField(_("certificates"), blank=True)
    awards = models.TextField(_("awards"), blank=True)
    attachment = models.FileField(
        _("attachment (PDF)"),
        upload_to=RandomName("employment/resumes"),
        validators=[RESUME_ATTACHMENT_UPLOAD],
        blank=True,
    )
    consent_at = models.DateTimeField(_("visible to employers since"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResumeQuerySet.as_manager()

    class Meta:
        verbose_name = _("résumé")
        verbose_name_plural = _("résumés")

    def __str__(self) -> str:
        return f"resume {self.user_id}"


class ResumeSection(models.TextChoices):
    EDUCATION = "education", _("Education")
    INTERNSHIP = "internship", _("Internships")
    PROJECT = "project", _("Projects")


class ResumeEntry(models.Model):
    resume = models.ForeignKey(
        Resume, verbose_name=_("résumé"), on_delete=models.CASCADE, related_name="entries"
    )
    section = models.CharField(_("section"), max_length=12, choices=ResumeSection.choices)
    title = models.CharField(_("title"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["section", "order", "pk"]
        verbose_name = _("résumé entry")
        verbose_name_plural = _("résumé entries")

    def __str__(self) -> str:
        return self.title


# --- Employers ----------------------------------------------------------------------------------------


class EmployerSize(models.TextChoices):
    MICRO = "micro", _("Under 20 people")
    SMALL = "small", _("20–99 people")
    MEDIUM = "medium", _("100–999 people")
    LARGE = "large", _("1,000 people or more")


class EmployerType(models.TextChoices):
    STATE_OWNED = "state_owned", _("State-owned enterprise")
    PRIVATE = "private", _("Private enterprise")
    FOREIGN = "foreign", _("Foreign-invested enterprise")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    GOVERNMENT = "government", _("Government agency")
    OTHER = "other", _("Other")


class EmployerStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class EmployerQuerySet(models.QuerySet["Employer"]):
    def verified(self) -> EmployerQuerySet:
        return self.filter(status=EmployerStatus.VERIFIED, user__is_active=True)


class Employer(models.Model):
    """An organisation that recruits; it acts only once an administrator of its province verified it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="employer"
    )
    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("city"), max_length=40, blank=True)
    size = models.CharField(_("size"), max_length=8, choices=EmployerSize.choices)
    type = models.CharField(_("type"), max_length=20, choices=EmployerType.choices)
    description = models.TextField(_("about"), blank=True)
    licence = models.FileField(
        _("business licence"),
        upload_to=RandomName("employment/licences"),
        validators=[LICENCE_UPLOAD],
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EmployerStatus.choices,
        default=EmployerStatus.PENDING,
        db_index=True,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [
            # The employers whose jobs are hidden (``Job.objects.visible()``): a handful, read once.
            models.Index(
                fields=["id"], condition=~Q(status="verified"), name="employment_employer_unverified"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == EmployerStatus.VERIFIED


class EmployerReview(models.Model):
    """Every decision on an employer, by whom, from where and why (append-only)."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="reviews"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=EmployerStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("employer review")
        verbose_name_plural = _("employer reviews")

    def __str__(self) -> str:
        return f"{self.employer_id} {self.decision}"


# --- Jobs -----------------------------------------------------------------------------------------------


class JobStatus(models.TextChoices):
    FLAGGED = "flagged", _("Held for review")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


class JobQuerySet(models.QuerySet["Job"]):
    def visible(self) -> JobQuerySet:
        """Open, not expired, from a verified employer: what search, lists, the API and statistics show.

        "From a verified employer" is written as "no employer of the job is unverified" (``NOT EXISTS`` on
        the partial index ``employment_employer_unverified``), which is the same rule since every job has
        its employer: the database reads the few unverified employers once per statement instead of
        joining each job row it walks to its employer (a bounded count walks a thousand or more).
        """
        unverified = Employer.objects.filter(pk=OuterRef("employer_id")).exclude(
            status=Constant(str(EmployerStatus.VERIFIED))
        )
        # The statuses written into the SQL, not sent as parameters, so that a prepared statement's generic
        # plan can use the partial indexes (``smartedu.portal.prepared.Constant``).
        return self.filter(status=Constant(str(JobStatus.OPEN)), expires_at__gt=timezone.now()).filter(
            ~Exists(unverified)
        )


class Job(models.Model):
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="jobs"
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"))
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("city"), max_length=40)
    education = models.CharField(_("minimum education"), max_length=12, choices=Degree.choices)
    specialty_class = models.CharField(_("specialty class"), max_length=4, blank=True)
    job_type = models.CharField(
        _("job type"), max_length=16, choices=JobType.choices, default=JobType.FULL_TIME
    )
    salary_min = models.PositiveIntegerField(_("minimum monthly salary"))
    salary_max = models.PositiveIntegerField(_("maximum monthly salary"))
    headcount = models.PositiveSmallIntegerField(_("openings"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.OPEN)
    review_flags = models.JSONField(_("review flags"), default=list, blank=True)
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    view_count = models.PositiveBigIntegerField(_("views"), default=0)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__lte=models.F("salary_max")), name="employment_job_salary_order"
            )
        ]
        indexes = [
            # Keyset pagination of the open jobs, newest first, alone or under one equality filter.
            models.Index(
                fields=["-posted_at", "-id"], condition=Q(status="open"), name="employment_job_open_new"
            ),
            models.Index(
                fields=["province", "-posted_at", "-id"],
                condition=Q(status="open"),
                name="employment_job_open_prov",
            ),
            models.Index(
                fields=["industry", "-posted_at", "-id"],
                condition=Q(status="open"),
                name="employment_job_open_ind",
            ),
            # Province and industry together (the commonest pair): without it the two indexes above meet
            # in a bitmap that goes lossy at millions of rows (250 ms to count, 700 ms for an absent pair).
            models.Index(
                fields=["province", "industry", "-posted_at", "-id"],
                condition=Q(status="open"),
                name="employment_job_open_prov_ind",
            ),
            models.Index(
                fields=["-salary_max", "-id"], condition=Q(status="open"), name="employment_job_open_salary"
            ),
            models.Index(
                fields=["city", "-posted_at", "-id"],
                condition=Q(status="open"),
                name="employment_job_open_city",
            ),
            models.Index(
                fields=["specialty_class", "-posted_at", "-id"],
                condition=Q(status="open"),
                name="employment_job_open_class",
            ),
            models.Index(fields=["employer", "status"], name="employment_job_employer"),
            models.Index(fields=["status", "expires_at"], name="employment_job_expiry"),
        ]

    def __str__(self) -> str:
        return self.title


class Favourite(models.Model):
    """A job a graduate keeps for later (one row per graduate and job)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    job = models.ForeignKey(Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        constraints = [models.UniqueConstraint(fields=["user", "job"], name="employment_favourite_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.job_id}"


# --- Applications -------------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VIEWED = "viewed", _("Viewed")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    job = models.ForeignKey(Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="applications")
    graduate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graduate"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["job", "graduate"], name="employment_application_unique")
        ]
        indexes = [
            models.Index(fields=["employer", "status", "-created_at"], name="employment_app_inbox"),
            models.Index(fields=["graduate", "-created_at"], name="employment_app_mine"),
        ]

    def __str__(self) -> str:
        return f"application {self.pk}"


class ApplicationEvent(models.Model):
    """One step of an application's history, shown to the graduate."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")

    def __str__(self) -> str:
        return f"{self.application_id} {self.status}"


class Message(models.Model):
    """A message of the thread of one application, between the graduate and the employer."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["application", "read_at"], name="employment_msg_unread")]

    def __str__(self) -> str:
        return f"message {self.pk}"


def job_fields_for_copy() -> list[str]:
    """The columns the seeder's ``COPY`` writes, in order (kept beside the model)."""
    return [
        "employer_id", "title", "description", "industry_id", "province_id", "city", "education",
        "specialty_class", "job_type", "salary_min", "salary_max", "headcount", "status", "review_flags",
        "posted_at", "expires_at", "view_count",
    ]  # fmt: skip
