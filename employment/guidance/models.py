"""Career guidance: assessments (dimensions, weighted questions, submissions and their shares), the career
encyclopedia, career cases, live guidance courses with registrations, training courses (宏志助航) with
progress, key guidance programmes (重点引导), policy and news articles, graduate quality reports and the
registered employment sites whose links are counted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartedu.accounts.models import Province
from smartedu.institutions.models import Institution
from smartedu.portal.uploads import MB, RandomName, UploadPolicy

REPORT_UPLOAD = UploadPolicy(kinds=("pdf",), max_bytes=30 * MB)


# --- Assessments ---------------------------------------------------------------------------------------


class AssessmentKind(models.TextChoices):
    INTEREST = "interest", _("Interests")
    VALUES = "values", _("Work values")
    READINESS = "readiness", _("Career readiness")
    PERSONALITY = "personality", _("Personality")
    ABILITY = "ability", _("Abilities")


class Assessment(models.Model):
    """A career assessment: Likert-scale questions, each weighing on one or more dimensions."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=AssessmentKind.choices)
    summary = models.TextField(_("summary"))
    instructions = models.TextField(_("instructions"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=10)
    # [[value, label], ...] from the lowest to the highest answer.
    scale = models.JSONField(_("answer scale"))
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("career assessment")
        verbose_name_plural = _("career assessments")

    def __str__(self) -> str:
        return self.title

    def scale_values(self) -> list[int]:
        return [int(value) for value, _label in self.scale]


class Dimension(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("code"), max_length=4)
    name = models.CharField(_("name"), max_length=30)
    description = models.CharField(_("description"), max_length=200)
    high_text = models.TextField(_("explanation of a high score"))
    low_text = models.TextField(_("explanation of a low score"))
    careers = models.CharField(_("careers to explore"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["assessment", "order", "pk"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="guidance_dimension_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Question(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("text"), max_length=200)
    # {dimension code: weight}; a negative weight is a reverse-keyed item.
    weights = models.JSONField(_("weights"))

    class Meta:
        ordering = ["assessment", "number"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="guidance_question_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Submission(models.Model):
    """One completed assessment: the answers and the scores per dimension (0–100). Private to its graduate."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    answers = models.JSONField(_("answers"))
    scores = models.JSONField(_("scores"))
    # A form's one-time token: a double submit gives back the first submission.
    token = models.CharField(_("token"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "token"], condition=~Q(token=""), name="guidance_submission_token_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="guidance_submission_mine")]

    def __str__(self) -> str:
        return f"result {self.pk}"


class SubmissionShare(models.Model):
    """A graduate shares one result with a counsellor or an officer of their university."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("result"), on_delete=models.CASCADE, related_name="shares"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("shared with"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shared result")
        verbose_name_plural = _("shared results")
        constraints = [
            models.UniqueConstraint(fields=["submission", "recipient"], name="guidance_share_unique")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} → {self.recipient_id}"


# --- Content -------------------------------------------------------------------------------------------


class EncyclopediaEntry(models.Model):
    """A career encyclopedia entry (职业百科): what the work is, what it asks, where it leads."""

    title = models.CharField(_("occupation"), max_length=60, unique=True)
    category = models.CharField(_("category"), max_length=30, db_index=True)
    summary = models.CharField(_("summary"), max_length=300)
    duties = models.TextField(_("duties"))
    requirements = models.TextField(_("requirements"))
    prospects = models.TextField(_("prospects"), blank=True)
    salary = models.CharField(_("typical salary"), max_length=60, blank=True)
    specialties = models.CharField(_("related specialties"), max_length=200, blank=True)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("encyclopedia entry")
        verbose_name_plural = _("encyclopedia entries")

    def __str__(self) -> str:
        return self.title


class Destination(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    GRASSROOTS = "grassroots", _("Grassroots project")
    ENLISTMENT = "enlistment", _("Enlistment")
    FURTHER_STUDY = "further_study", _("Further study")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")


class CareerCase(models.Model):
    """A career case (就业案例): how one graduate found their way, told for others."""

    title = models.CharField(_("title"), max_length=100)
    person = models.CharField(_("graduate (pseudonym)"), max_length=30)
    university = models.CharField(_("university"), max_length=60, blank=True)
    specialty = models.CharField(_("specialty"), max_length=60, blank=True)
    destination = models.CharField(
        _("destination"), max_length=16, choices=Destination.choices, db_index=True
    )
    body = models.TextField(_("story"))
    lesson = models.TextField(_("takeaways"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("career case")
        verbose_name_plural = _("career cases")

    def __str__(self) -> str:
        return self.title


class LiveCourse(models.Model):
    """A live guidance course (直播课): schedule, registrations, a reminder, the replay once recorded."""

    title = models.CharField(_("title"), max_length=100)
    speaker = models.CharField(_("speaker"), max_length=60)
    speaker_title = models.CharField(_("speaker's position"), max_length=100, blank=True)
    description = models.TextField(_("description"))
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=60)
    stream_url = models.URLField(_("live room"), blank=True)
    replay_url = models.URLField(_("replay"), blank=True)
    registration_count = models.PositiveIntegerField(_("registrations"), default=0)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("live guidance course")
        verbose_name_plural = _("live guidance courses")

    def __str__(self) -> str:
        return self.title


class LiveRegistration(models.Model):
    course = models.ForeignKey(
        LiveCourse, verbose_name=_("course"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("live course registration")
        verbose_name_plural = _("live course registrations")
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="guidance_live_reg_unique")]
        indexes = [models.Index(fields=["course", "reminded_at"], name="guidance_live_remind")]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.user_id}"


class TrainingCourse(models.Model):
    """A training course (宏志助航计划 and the like): lessons, enrolments and each learner's progress."""

    title = models.CharField(_("title"), max_length=100)
    provider = models.CharField(_("provider"), max_length=60)
    category = models.CharField(_("category"), max_length=30, db_index=True)
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["category", "title", "pk"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self) -> str:
        return self.title


class TrainingLesson(models.Model):
    course = models.ForeignKey(
        TrainingCourse, verbose_name=_("course"), on_delete=models.CASCADE, related_name="lessons"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=100)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=30)

    class Meta:
        ordering = ["course", "number"]
        verbose_name = _("training lesson")
        verbose_name_plural = _("training lessons")
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="guidance_lesson_unique")]

    def __str__(self) -> str:
        return self.title


class TrainingEnrolment(models.Model):
    course = models.ForeignKey(
        TrainingCourse, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("training enrolment")
        verbose_name_plural = _("training enrolments")
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="guidance_enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.user_id}"


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(
        TrainingEnrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="completions"
    )
    lesson = models.ForeignKey(
        TrainingLesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("completed lesson")
        verbose_name_plural = _("completed lessons")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="guidance_completion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.lesson_id}"


class ProgramKind(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots project")
    ENLISTMENT = "enlistment", _("Enlistment")
    KEY_SECTOR = "key_sector", _("Key sector")


class KeyProgram(models.Model):
    """Key guidance (重点引导): a grassroots project, enlistment, or a key sector, with its rules."""

    title = models.CharField(_("title"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ProgramKind.choices, db_index=True)
    organiser = models.CharField(_("organiser"), max_length=100)
    summary = models.CharField(_("summary"), max_length=300)
    eligibility = models.TextField(_("eligibility"))
    policies = models.TextField(_("policies"))
    opens_on = models.DateField(_("applications open"), null=True, blank=True)
    closes_on = models.DateField(_("applications close"), null=True, blank=True)
    official_url = models.URLField(_("official site"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = _("key guidance programme")
        verbose_name_plural = _("key guidance programmes")

    def __str__(self) -> str:
        return self.title


class ArticleCategory(models.TextChoices):
    POLICY = "policy", _("Policy")
    NEWS = "news", _("News")
    NOTICE = "notice", _("Notice")
    GUIDE = "guide", _("Job-search guide")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=20, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    title = models.CharField(_("title"), max_length=120)
    category = models.CharField(_("category"), max_length=10, choices=ArticleCategory.choices, db_index=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    source = models.CharField(_("source"), max_length=60, blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now, db_index=True)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title


class QualityReport(models.Model):
    """A university's graduate employment quality report (毕业生就业质量年度报告): a PDF, checked."""

    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    file = models.FileField(
        _("report (PDF)"), upload_to=RandomName("employment/reports"), validators=[REPORT_UPLOAD]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    class Meta:
        ordering = ["-year", "university__name"]
        verbose_name = _("graduate quality report")
        verbose_name_plural = _("graduate quality reports")
        constraints = [models.UniqueConstraint(fields=["university", "year"], name="guidance_report_unique")]

    def __str__(self) -> str:
        return self.title


class SiteKind(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial employment site")
    UNIVERSITY = "university", _("University employment site")


class EmploymentSite(models.Model):
    """A registered link to a provincial or university employment site, followed through a counting
    redirect (only these addresses: no open redirect)."""

    name = models.CharField(_("name"), max_length=60)
    url = models.URLField(_("address"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SiteKind.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    university = models.ForeignKey(
        Institution,
        verbose_name=_("university"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    click_count = models.PositiveBigIntegerField(_("clicks"), default=0)

    class Meta:
        ordering = ["kind", "province__code", "name"]
        verbose_name = _("employment site")
        verbose_name_plural = _("employment sites")

    def __str__(self) -> str:
        return self.name
