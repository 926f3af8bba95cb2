"""The higher-education sub-platform: MOOCs of partner platforms, their runs, learners' progress, monitoring.

Visibility has one home: ``Course.objects.visible()`` (a listed course of a switched-on platform). Every list,
count, facet, API, sitemap, search document, recommendation and home-page figure starts from it, so that a
ministry admin's switch hides a platform's courses everywhere at once by writing one platform row.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Lookup
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartedu.institutions.models import Institution


class DisciplineCategory(models.Model):
    """A discipline category (学科门类) of the undergraduate catalogue."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=20, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("discipline category")
        verbose_name_plural = _("discipline categories")

    def __str__(self) -> str:
        return self.name


class SpecialtyClass(models.Model):
    """A specialty class (专业类) within a discipline category."""

    category = models.ForeignKey(
        DisciplineCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="classes"
    )
    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty class")
        verbose_name_plural = _("specialty classes")

    def __str__(self) -> str:
        return self.name


# --- Sets stored as bits -------------------------------------------------------------------------------


class BitSetField(models.PositiveIntegerField):
    """A small set of enumerated values stored as bits of one integer (languages, run statuses).

    Facet counting and filtering then read one column of the course row, with no join: ``field__has=bit``
    is ``(field & bit) <> 0`` on every database.
    """


@BitSetField.register_lookup
class HasBit(Lookup):
    lookup_name = "has"

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"({lhs} & {rhs}) <> 0", [*lhs_params, *rhs_params]


class Language(models.TextChoices):
    """Teaching languages. The bit of each is its position here: append new ones, never reorder."""

    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    RUSSIAN = "ru", _("Russian")
    ARABIC = "ar", _("Arabic")
    GERMAN = "de", _("German")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")
    PORTUGUESE = "pt", _("Portuguese")


LANGUAGE_BITS: dict[str, int] = {code: 1 << index for index, code in enumerate(Language.values)}


def language_mask(codes: Iterable[str]) -> int:
    mask = 0
    for code in codes:
        mask |= LANGUAGE_BITS[code]
    return mask


def language_codes(mask: int) -> list[str]:
    return [code for code, bit in LANGUAGE_BITS.items() if mask & bit]


class RunStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPCOMING = "upcoming", _("Upcoming")
    ARCHIVED = "archived", _("Archived")


RUN_STATUS_BITS: dict[str, int] = {code: 1 << index for index, code in enumerate(RunStatus.values)}


# --- Partner platforms and the ministry's switch ------------------------------------------------------


class CatalogueState(models.Model):
    """One row whose token changes with every write that changes what the catalogue shows or counts.

    Each process keeps an index of ``Course.objects.visible()`` (``higher_ed.catalogue``) under this token and
    rebuilds it when the token changes: the one place a switch, a new course or new run statuses announce
    themselves, without rewriting any course row.
    """

    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("catalogue state")
        verbose_name_plural = _("catalogue states")

    def __str__(self) -> str:
        return self.token


class PlatformQuerySet(models.QuerySet["Platform"]):
    def visible(self) -> PlatformQuerySet:
        """Platforms switched on by the ministry."""
        return self.filter(enabled=True)


class Platform(models.Model):
    """A partner course platform (中国大学MOOC, 学堂在线, 智慧树…) under the ministry's on/off switch.

    ``host`` is the one host its courses' source links may point to: the click-counting redirect refuses any
    other, so it can never be used as an open redirect.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    english_name = models.CharField(_("English name"), max_length=80, blank=True)
    homepage = models.URLField(_("homepage"))
    host = models.CharField(_("registered host"), max_length=120)
    international = models.BooleanField(_("international"), default=False)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    enabled = models.BooleanField(_("switched on"), default=True, db_index=True)
    switched_at = models.DateTimeField(_("last switched at"), null=True, blank=True)

    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("partner platform")
        verbose_name_plural = _("partner platforms")

    def __str__(self) -> str:
        return self.name


class PlatformSwitch(models.Model):
    """One switch of a platform on or off: who, when and why (the log admins read)."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="switches"
    )
    enabled = models.BooleanField(_("switched on"))
    reason = models.CharField(_("reason"), max_length=500)
    switched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("switched by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    switched_at = models.DateTimeField(_("switched at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-switched_at", "-pk"]
        verbose_name = _("platform switch")
        verbose_name_plural = _("platform switches")

    def __str__(self) -> str:
        return f"{self.platform_id} → {'on' if self.enabled else 'off'}"


# --- Teachers and courses ------------------------------------------------------------------------------


class TeacherQuerySet(models.QuerySet["Teacher"]):
    def visible(self) -> TeacherQuerySet:
        """Teachers of at least one visible course."""
        return self.filter(
            pk__in=CourseTeacher.objects.filter(course__in=Course.objects.visible()).values("teacher")
        )


class Teacher(models.Model):
    """A named teacher of courses. Real people get their name and, where publicly known, their university."""

    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("academic title"), max_length=20, blank=True)
    university = models.ForeignKey(
        Institution,
        verbose_name=_("university"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="higher_ed_teachers",
    )
    bio = models.TextField(_("biography"), blank=True)

    objects = TeacherQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        indexes = [models.Index(fields=["name"], name="higher_ed_teacher_name")]

    def __str__(self) -> str:
        return self.name


class CourseQuerySet(models.QuerySet["Course"]):
    def visible(self) -> CourseQuerySet:
        """THE visibility rule: a listed course of a platform the ministry has switched on."""
        return self.filter(listed=True, platform__enabled=True)


class Course(models.Model):
    """A MOOC as the catalogue shows it, with its facets stored on its own row.

    ``languages`` and ``run_statuses`` are sets stored as bits; ``run_statuses`` and ``total_video_seconds``
    follow the runs and units (kept by the services), ``search_text`` holds the folded words a keyword matches
    (title, university, teachers, discipline), ``hot_score`` is recomputed nightly from views and enrolments.
    """

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.PROTECT, related_name="higher_ed_courses"
    )
    teachers: models.ManyToManyField[Teacher, CourseTeacher] = models.ManyToManyField(
        Teacher, through="CourseTeacher", verbose_name=_("teachers"), related_name="courses"
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("source platform"), on_delete=models.PROTECT, related_name="courses"
    )
    source_id = models.CharField(_("id on the source platform"), max_length=64)
    source_url = models.URLField(_("address on the source platform"), max_length=300, blank=True)
    category = models.ForeignKey(
        DisciplineCategory, verbose_name=_("discipline category"), on_delete=models.PROTECT, related_name="+"
    )
    specialty_class = models.ForeignKey(
        SpecialtyClass,
        verbose_name=_("specialty class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    languages = BitSetField(_("languages"), default=LANGUAGE_BITS[Language.CHINESE])
    first_class = models.BooleanField(_("national first-class course"), default=False)
    credit = models.BooleanField(_("credit course"), default=False)
    credits = models.DecimalField(_("credits"), max_digits=3, decimal_places=1, null=True, blank=True)
    international = models.BooleanField(_("international"), default=False)
    listed = models.BooleanField(_("listed"), default=True)
    run_statuses = BitSetField(_("run statuses"), default=0)
    total_video_seconds = models.PositiveIntegerField(_("total video time (seconds)"), default=0)
    enrollment_count = models.PositiveIntegerField(_("enrolments"), default=0)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    hot_score = models.PositiveBigIntegerField(_("hot score"), default=0)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-hot_score", "-pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["platform", "source_id"], name="higher_ed_course_source_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(credit=True, credits__isnull=False, credits__gt=Decimal("0"))
                    | models.Q(credit=False)
                ),
                name="higher_ed_course_credits",
            ),
        ]
        indexes = [
            models.Index(fields=["-hot_score", "-id"], name="higher_ed_course_hot"),
            models.Index(fields=["-enrollment_count", "-id"], name="higher_ed_course_enrolled"),
            models.Index(fields=["-published_at", "-id"], name="higher_ed_course_newest"),
            models.Index(fields=["specialty_class", "-hot_score"], name="higher_ed_course_class_hot"),
            models.Index(fields=["category", "-hot_score"], name="higher_ed_course_category_hot"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def language_codes(self) -> list[str]:
        return language_codes(self.languages)

    @property
    def language_labels(self) -> list[str]:
        return [str(Language(code).label) for code in self.language_codes]


class CourseTeacher(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_teachers")
    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="teacher_courses")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("course teacher")
        verbose_name_plural = _("course teachers")
        constraints = [
            models.UniqueConstraint(fields=["course", "teacher"], name="higher_ed_course_teacher_unique")
        ]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.teacher_id}"


class CourseUnit(models.Model):
    """A unit of the syllabus outline: its lecture videos and its quizzes."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="units"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    video_seconds = models.PositiveIntegerField(_("video time (seconds)"), default=0)
    quiz_count = models.PositiveSmallIntegerField(_("quizzes"), default=0)

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="higher_ed_unit_order_unique")
        ]

    def __str__(self) -> str:
        return self.title


class CourseRunQuerySet(models.QuerySet["CourseRun"]):
    def visible(self) -> CourseRunQuerySet:
        return self.filter(course__in=Course.objects.visible())


class CourseRun(models.Model):
    """One offering of a course (开课) in a term, from ``start`` to ``end``; its status follows the dates."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="runs"
    )
    term = models.CharField(_("term"), max_length=12, db_index=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, db_index=True)

    objects = CourseRunQuerySet.as_manager()

    class Meta:
        ordering = ["course", "start"]
        verbose_name = _("course run")
        verbose_name_plural = _("course runs")
        constraints = [
            models.UniqueConstraint(fields=["course", "start"], name="higher_ed_run_start_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="higher_ed_run_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.term}"


# --- Learners ------------------------------------------------------------------------------------------


class EnrollmentQuerySet(models.QuerySet["Enrollment"]):
    def visible(self) -> EnrollmentQuerySet:
        return self.filter(course__in=Course.objects.visible())


PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Enrollment(models.Model):
    """A learner in a run. ``progress`` (per cent), ``completed_at`` and ``score`` follow the unit progress.

    ``course`` repeats ``run.course`` (set by the services) so that figures group by course without a join.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="higher_ed_enrollments",
    )
    run = models.ForeignKey(
        CourseRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrollments"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=PERCENT)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True, validators=PERCENT)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at", "-pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "run"], name="higher_ed_enrollment_unique"),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="higher_ed_enrollment_progress"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="higher_ed_enrollment_score",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-enrolled_at"], name="higher_ed_enrollment_user"),
            models.Index(fields=["completed_at"], name="higher_ed_enrollment_completed"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.run_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class UnitProgress(models.Model):
    """How far a learner got in one unit: share of its video watched, quizzes done and their score."""

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="unit_progress"
    )
    unit = models.ForeignKey(CourseUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    video_percent = models.PositiveSmallIntegerField(_("video watched (%)"), default=0, validators=PERCENT)
    quizzes_done = models.PositiveSmallIntegerField(_("quizzes done"), default=0)
    quiz_score = models.PositiveSmallIntegerField(_("quiz score"), null=True, blank=True, validators=PERCENT)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["enrollment", "unit__order"]
        verbose_name = _("unit progress")
        verbose_name_plural = _("unit progress")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "unit"], name="higher_ed_unit_progress_unique"),
            models.CheckConstraint(
                condition=models.Q(video_percent__lte=100)
                & (models.Q(quiz_score__isnull=True) | models.Q(quiz_score__lte=100)),
                name="higher_ed_unit_progress_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} · {self.unit_id}: {self.video_percent}%"


class CreditRecognition(models.Model):
    """Credits of a completed credit course recognised by the learner's own university."""

    enrollment = models.OneToOneField(
        Enrollment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="recognition"
    )
    offering_university = models.ForeignKey(
        Institution, verbose_name=_("offering university"), on_delete=models.PROTECT, related_name="+"
    )
    recognising_university = models.ForeignKey(
        Institution, verbose_name=_("recognising university"), on_delete=models.PROTECT, related_name="+"
    )
    credits = models.DecimalField(_("credits"), max_digits=3, decimal_places=1)
    recognised_at = models.DateTimeField(_("recognised at"), default=timezone.now)

    class Meta:
        ordering = ["-recognised_at"]
        verbose_name = _("credit recognition")
        verbose_name_plural = _("credit recognitions")

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.credits}"


class SourceClick(models.Model):
    """Clicks through to a course's source platform, per course and day (one per visitor and half hour)."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("source-platform click")
        verbose_name_plural = _("source-platform clicks")
        constraints = [
            models.UniqueConstraint(fields=["course", "day"], name="higher_ed_source_click_unique")
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.day}: {self.clicks}"


# --- The credit-course monitoring centre (aggregated by a Celery task) ---------------------------------


class CreditCourseFigure(models.Model):
    """Credit-course figures of one university's courses on one platform in one term."""

    term = models.CharField(_("term"), max_length=12)
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="+"
    )
    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.CASCADE, related_name="+"
    )
    credit_courses = models.PositiveIntegerField(_("credit courses"), default=0)
    enrollments = models.PositiveIntegerField(_("enrolments"), default=0)
    completions = models.PositiveIntegerField(_("completions"), default=0)
    score_total = models.PositiveBigIntegerField(_("sum of scores"), default=0)
    scored = models.PositiveIntegerField(_("scored completions"), default=0)
    recognitions = models.PositiveIntegerField(_("credit recognitions"), default=0)
    anomalies = models.PositiveIntegerField(_("anomaly flags"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["term", "platform", "university"]
        verbose_name = _("credit-course figure")
        verbose_name_plural = _("credit-course figures")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "platform", "university"], name="higher_ed_credit_figure_unique"
            )
        ]
        indexes = [models.Index(fields=["university", "term"], name="higher_ed_credit_fig_univ")]

    def __str__(self) -> str:
        return f"{self.term} {self.platform_id} {self.university_id}"


class CreditRecognitionFigure(models.Model):
    """Credit recognitions in one term: learners of ``recognising_university`` in courses of another."""

    term = models.CharField(_("term"), max_length=12)
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="+"
    )
    offering_university = models.ForeignKey(
        Institution, verbose_name=_("offering university"), on_delete=models.CASCADE, related_name="+"
    )
    recognising_university = models.ForeignKey(
        Institution, verbose_name=_("recognising university"), on_delete=models.CASCADE, related_name="+"
    )
    recognitions = models.PositiveIntegerField(_("recognitions"), default=0)
    credits = models.DecimalField(_("credits"), max_digits=10, decimal_places=1, default=Decimal("0"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["term", "-recognitions"]
        verbose_name = _("credit-recognition figure")
        verbose_name_plural = _("credit-recognition figures")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "platform", "offering_university", "recognising_university"],
                name="higher_ed_recognition_figure_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.offering_university_id}→{self.recognising_university_id}"


class AnomalyKind(models.TextChoices):
    FAST_COMPLETION = "fast", _("Completed faster than the course's video time")
    MANY_IN_A_DAY = "many", _("One account completed many courses in one day")


class AnomalyFlag(models.Model):
    """A completion that looks automated. Recomputed with the figures; names of learners are not shown."""

    kind = models.CharField(_("kind"), max_length=8, choices=AnomalyKind.choices)
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="anomalies"
    )
    term = models.CharField(_("term"), max_length=12)
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="+"
    )
    university = models.ForeignKey(
        Institution, verbose_name=_("university"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day of completion"))
    detail = models.PositiveIntegerField(
        _("detail"), help_text=_("Minutes taken (fast completion) or courses completed that day (many).")
    )
    detected_at = models.DateTimeField(_("detected at"))

    class Meta:
        ordering = ["-day", "kind", "pk"]
        verbose_name = _("anomaly flag")
        verbose_name_plural = _("anomaly flags")
        constraints = [
            models.UniqueConstraint(fields=["kind", "enrollment"], name="higher_ed_anomaly_unique")
        ]
        indexes = [models.Index(fields=["university", "term"], name="higher_ed_anomaly_univ")]

    def __str__(self) -> str:
        return f"{self.kind} {self.enrollment_id}"
