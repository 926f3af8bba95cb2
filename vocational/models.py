"""The vocational platform: the specialty catalogue, resource libraries, courses made of units and items over
shared resources, personalised copies with upstream sync, and the learning records the four rates read.

Classes (join codes, memberships) live in ``smartedu.classes``; questions, quizzes and attempts in
``smartedu.quizzes`` (a resource's quizzes are owned by ``"vocational.resource:<id>"``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smartedu.portal.uploads import MB, RandomName, UploadPolicy

# A teacher's own resources: PDF, PPTX or MP4, checked by content (never by name) and size.
TEACHER_UPLOAD_MAX_MB = 200
TEACHER_UPLOAD = UploadPolicy(kinds=("pdf", "pptx", "mp4"), max_bytes=TEACHER_UPLOAD_MAX_MB * MB)


class SpecialtyCategory(models.Model):
    """A specialty category (专业大类) of the 2021 vocational catalogue (高职专科 codes 41–59)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty category")
        verbose_name_plural = _("specialty categories")

    def __str__(self) -> str:
        return self.name


class SpecialtyClass(models.Model):
    """A specialty class (专业类), four digits, within a category."""

    category = models.ForeignKey(
        SpecialtyCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="classes"
    )
    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=30)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty class")
        verbose_name_plural = _("specialty classes")

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    """A specialty (专业), six digits (a trailing K marks a specialty under state control)."""

    specialty_class = models.ForeignKey(
        SpecialtyClass,
        verbose_name=_("specialty class"),
        on_delete=models.PROTECT,
        related_name="specialties",
    )
    code = models.CharField(_("code"), max_length=7, unique=True)
    name = models.CharField(_("name"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")

    def __str__(self) -> str:
        return self.name


class LibraryQuerySet(models.QuerySet["Library"]):
    def visible(self) -> LibraryQuerySet:
        return self.filter(is_published=True)


class Library(models.Model):
    """A specialty resource library (专业资源库): one per specialty, co-built by colleges and enterprises."""

    specialty = models.OneToOneField(
        Specialty, verbose_name=_("specialty"), on_delete=models.PROTECT, related_name="library"
    )
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    is_national = models.BooleanField(_("national library"), default=True)
    is_published = models.BooleanField(_("published"), default=True)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["specialty__code"]
        verbose_name = _("resource library")
        verbose_name_plural = _("resource libraries")

    def __str__(self) -> str:
        return self.title


class PartnerKind(models.TextChoices):
    COLLEGE = "college", _("College")
    ENTERPRISE = "enterprise", _("Enterprise")


class LibraryPartner(models.Model):
    """A college or enterprise that co-builds a library (listed on its page); ``lead`` marks the host."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(_("type"), max_length=10, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=120)
    lead = models.BooleanField(_("leading"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["library", "kind", "order", "pk"]
        verbose_name = _("library partner")
        verbose_name_plural = _("library partners")
        constraints = [
            models.UniqueConstraint(fields=["library", "kind", "name"], name="voc_partner_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ResourceKind(models.TextChoices):
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")
    SIMULATION = "simulation", _("Simulation")
    QUIZ = "quiz", _("Quiz")
    LINK = "link", _("Link")


class ResourceQuerySet(models.QuerySet["Resource"]):
    def visible(self) -> ResourceQuerySet:
        """Published library resources: everyone sees them. A teacher's own resources are reached through
        the courses that hold them (``access.resource_visible``)."""
        return self.filter(is_published=True, owner__isnull=True, library__is_published=True)


class Resource(models.Model):
    """A granular resource: the same row can sit in many courses (as items)."""

    library = models.ForeignKey(
        Library,
        verbose_name=_("library"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="vocational_resources",
        help_text=_("The teacher who added this resource; empty for library resources."),
    )
    kind = models.CharField(_("type"), max_length=12, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), blank=True)
    url = models.URLField(_("link or embedded page"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to=RandomName("vocational/resources"),
        validators=[TEACHER_UPLOAD],
        blank=True,
    )
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    is_extension = models.BooleanField(_("extension resource"), default=False)
    is_published = models.BooleanField(_("published"), default=True)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    rating_sum = models.PositiveIntegerField(_("sum of ratings"), default=0)
    quality_score = models.FloatField(_("quality score"), default=0)
    quality_previous = models.FloatField(_("previous quality score"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            models.Index(fields=["library", "kind"], name="voc_resource_library"),
            models.Index(fields=["-quality_score"], name="voc_resource_quality"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(library__isnull=False) | Q(owner__isnull=False), name="voc_resource_has_home"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rating(self) -> float:
        return self.rating_sum / self.rating_count if self.rating_count else 0.0


class ResourceRating(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField(_("stars"))
    rated_at = models.DateTimeField(_("rated at"), auto_now=True)

    class Meta:
        verbose_name = _("resource rating")
        verbose_name_plural = _("resource ratings")
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="voc_rating_unique"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="voc_rating_range"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} · {self.stars}"


class CourseKind(models.TextChoices):
    STANDARD = "standard", _("Standard course")
    DEMONSTRATION = "demonstration", _("Demonstration course")
    QUALITY = "quality", _("Quality online course")
    OPEN = "open", _("Video open class")
    PERSONAL = "personal", _("Personalised course")


# Kinds a teacher may copy into a personalised course.
FORKABLE_KINDS = (CourseKind.STANDARD, CourseKind.DEMONSTRATION)


class VocationalCourseQuerySet(models.QuerySet["Course"]):
    def visible(self) -> VocationalCourseQuerySet:
        """Public catalogue courses (every kind but personalised ones, which ``access`` opens)."""
        return self.filter(is_published=True).exclude(kind=CourseKind.PERSONAL)

    def personal_of(self, user_id: int) -> VocationalCourseQuerySet:
        return self.filter(kind=CourseKind.PERSONAL, owner_id=user_id)


class Course(models.Model):
    """A course: units of items. A personalised course is a teacher's copy of a standard or demonstration
    course (``source``), synced from it change by change (``CourseChange``/``UpstreamDecision``)."""

    kind = models.CharField(_("type"), max_length=14, choices=CourseKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    specialty = models.ForeignKey(
        Specialty, verbose_name=_("specialty"), on_delete=models.PROTECT, related_name="courses"
    )
    library = models.ForeignKey(
        Library,
        verbose_name=_("library"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    institution = models.CharField(_("institution"), max_length=120, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="vocational_courses",
    )
    source = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    synced_seq = models.PositiveIntegerField(
        _("upstream change seen"),
        default=0,
        help_text=_("The source's last change number when this copy was made."),
    )
    change_seq = models.PositiveIntegerField(_("last change number"), default=0)
    award = models.CharField(_("award"), max_length=120, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VocationalCourseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [
            models.Index(fields=["kind", "specialty"], name="voc_course_kind_specialty"),
            models.Index(fields=["owner", "kind"], name="voc_course_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=CourseKind.PERSONAL) | Q(owner__isnull=False),
                name="voc_course_personal_has_owner",
            ),
            # One copy of a source per teacher: a second fork (a double click) returns the first.
            models.UniqueConstraint(
                fields=["owner", "source"],
                condition=Q(kind="personal", source__isnull=False),
                name="voc_course_one_copy",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_personal(self) -> bool:
        return self.kind == CourseKind.PERSONAL


class Unit(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="units")
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveIntegerField(_("order"))
    hidden = models.BooleanField(_("hidden"), default=False)
    # The upstream unit's id (a plain number: it must survive the upstream row's deletion).
    origin_ref = models.PositiveBigIntegerField(_("upstream unit"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["course", "order", "pk"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """A resource's place in a unit, with the course's own title and note for it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="items")
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveIntegerField(_("order"))
    hidden = models.BooleanField(_("hidden"), default=False)
    origin_ref = models.PositiveBigIntegerField(_("upstream item"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["unit", "order", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.title


class ChangeKind(models.TextChoices):
    ITEM_ADDED = "item_added", _("Item added")
    ITEM_REMOVED = "item_removed", _("Item removed")
    ITEM_EDITED = "item_edited", _("Item edited")
    UNIT_ADDED = "unit_added", _("Unit added")
    UNIT_REMOVED = "unit_removed", _("Unit removed")
    UNIT_EDITED = "unit_edited", _("Unit edited")


class CourseChange(models.Model):
    """One change to a standard or demonstration course, numbered per course, recorded by the service
    that made it. ``before``/``after`` hold the titles and text that a diff shows; ``unit_ref`` and
    ``item_ref`` are the upstream rows' ids (kept when the rows are deleted)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="changes")
    seq = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("type"), max_length=14, choices=ChangeKind.choices)
    unit_ref = models.PositiveBigIntegerField(_("upstream unit id"))
    item_ref = models.PositiveBigIntegerField(_("upstream item id"), null=True, blank=True)
    resource_ref = models.PositiveBigIntegerField(_("resource id"), null=True, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["course", "seq"]
        verbose_name = _("upstream change")
        verbose_name_plural = _("upstream changes")
        constraints = [models.UniqueConstraint(fields=["course", "seq"], name="voc_change_seq")]

    def __str__(self) -> str:
        return f"{self.course_id}#{self.seq} {self.kind}"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    IGNORED = "ignored", _("Ignored")


class UpstreamDecision(models.Model):
    """What the owner of a copy did with an upstream change (once; an ignored change stays ignored)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="decisions")
    change = models.ForeignKey(CourseChange, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("upstream decision")
        verbose_name_plural = _("upstream decisions")
        constraints = [models.UniqueConstraint(fields=["course", "change"], name="voc_decision_once")]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.change_id} · {self.decision}"


class CoursePublication(models.Model):
    """A personalised course published to a class of ``smartedu.classes``."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="publications")
    klass = models.ForeignKey(
        "classes.Class", verbose_name=_("class"), on_delete=models.CASCADE, related_name="vocational_courses"
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("course publication")
        verbose_name_plural = _("course publications")
        constraints = [models.UniqueConstraint(fields=["course", "klass"], name="voc_publication_unique")]

    # --- Learning records ---------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.course_id} → {self.klass_id}"


class StudyDay(models.Model):
    """Seconds a student spent on an item on one day (Asia/Shanghai), folded from buffered heartbeats."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="study_days")
    item = models.ForeignKey(Item, null=True, on_delete=models.SET_NULL, related_name="+")
    day = models.DateField(_("day"))
    seconds = models.PositiveIntegerField(_("seconds"), default=0)

    class Meta:
        verbose_name = _("study day")
        verbose_name_plural = _("study days")
        constraints = [
            models.UniqueConstraint(fields=["student", "course", "item", "day"], name="voc_study_day_unique"),
        ]
        indexes = [models.Index(fields=["course", "day"], name="voc_study_course_day")]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.day} · {self.seconds}s"


class StudyHeartbeat(models.Model):
    """The embedded mode's heartbeat buffer (production buffers in Redis); drained into ``StudyDay``."""

    student_id = models.PositiveBigIntegerField()
    course_id = models.PositiveBigIntegerField()
    item_id = models.PositiveBigIntegerField()
    day = models.DateField()
    seconds = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("buffered heartbeat")
        verbose_name_plural = _("buffered heartbeats")

    def __str__(self) -> str:
        return f"{self.student_id} · {self.item_id} · {self.seconds}s"


class StudyBatch(models.Model):
    """A drained heartbeat batch applied to ``StudyDay`` (recorded in the same transaction: replay-safe)."""

    batch_id = models.CharField(max_length=80, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.batch_id


class ClassQuestion(models.Model):
    """A student's question in a course's class (classroom Q&A); ``first_reply_at`` is the teacher's."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    klass = models.ForeignKey("classes.Class", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("question"))
    client_token = models.CharField(max_length=64, blank=True)
    asked_at = models.DateTimeField(_("asked at"))
    first_reply_at = models.DateTimeField(_("first teacher reply"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("class question")
        verbose_name_plural = _("class questions")
        indexes = [models.Index(fields=["course", "asked_at"], name="voc_question_course")]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "client_token"], condition=~Q(client_token=""), name="voc_question_token"
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class ClassReply(models.Model):
    question = models.ForeignKey(ClassQuestion, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("reply"))
    by_teacher = models.BooleanField(_("by the teacher"), default=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return self.body[:60]


class CourseMetric(models.Model):
    """The four rates of a course over a period, for the whole course (``klass`` and ``student`` empty), a
    class, or a student: computed from the records (``metrics.py``) and stored."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="metrics")
    klass = models.ForeignKey(
        "classes.Class", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to (inclusive)"))
    mastery = models.FloatField(_("knowledge mastery rate"), null=True)
    interaction = models.FloatField(_("class interaction rate"), null=True)
    response = models.FloatField(_("teacher response rate"), null=True)
    activity = models.FloatField(_("online activity rate"), null=True)
    students = models.PositiveIntegerField(_("students"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["course", "start", "klass", "student"]
        verbose_name = _("course metric")
        verbose_name_plural = _("course metrics")
        indexes = [models.Index(fields=["course", "start", "end"], name="voc_metric_period")]

    def __str__(self) -> str:
        return f"{self.course_id} {self.start}–{self.end}"


# --- 教材资源中心: textbooks ------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    NONE = "none", _("Not in a national plan")
    PLANNING = "planning", _("Planned (in the national plan list)")
    NATIONAL = "national", _("National planned textbook")


class SelectionStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    SELECTED = "selected", _("Selected for use")
    NOT_SELECTED = "not_selected", _("Not selected")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class TextbookQuerySet(models.QuerySet["Textbook"]):
    def visible(self) -> TextbookQuerySet:
        """Textbooks whose review passed; the others are the reviewers' business."""
        return self.filter(review_status=ReviewStatus.APPROVED)


class Textbook(models.Model):
    """A textbook of the textbook resource centre, with its planning, selection and review status."""

    specialty = models.ForeignKey(
        Specialty, verbose_name=_("specialty"), on_delete=models.PROTECT, related_name="textbooks"
    )
    title = models.CharField(_("title"), max_length=200)
    isbn = models.CharField(_("ISBN"), max_length=13, unique=True)
    publisher = models.CharField(_("publisher"), max_length=100)
    editors = models.CharField(_("editors"), max_length=200, blank=True)
    edition_year = models.PositiveSmallIntegerField(_("year of the edition"))
    plan_status = models.CharField(
        _("planning"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.NONE
    )
    plan_batch = models.CharField(
        _("plan batch"), max_length=40, blank=True, help_text=_("For instance 十四五.")
    )
    selection_status = models.CharField(
        _("selection"), max_length=12, choices=SelectionStatus.choices, default=SelectionStatus.CANDIDATE
    )
    review_status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    rating_count = models.PositiveIntegerField(_("evaluations"), default=0)
    rating_sum = models.PositiveIntegerField(_("sum of ratings"), default=0)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)

    objects = TextbookQuerySet.as_manager()

    class Meta:
        ordering = ["specialty__code", "title"]
        verbose_name = _("textbook")
        verbose_name_plural = _("textbooks")

    def __str__(self) -> str:
        return self.title

    @property
    def rating(self) -> float:
        return self.rating_sum / self.rating_count if self.rating_count else 0.0


class TextbookEvaluation(models.Model):
    """A user's evaluation of a textbook (1–5 stars and a comment); one per user, replaced when redone."""

    textbook = models.ForeignKey(Textbook, on_delete=models.CASCADE, related_name="evaluations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField(_("stars"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("textbook evaluation")
        verbose_name_plural = _("textbook evaluations")
        constraints = [
            models.UniqueConstraint(fields=["textbook", "user"], name="voc_evaluation_unique"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="voc_evaluation_range"),
        ]

    def __str__(self) -> str:
        return f"{self.textbook_id} · {self.stars}"


# --- 虚拟仿真实训中心: practice records ----------------------------------------------------------------


class SimulationPractice(models.Model):
    """One practice run of a simulation resource by a student: time spent and the score it reported."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="practices")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seconds = models.PositiveIntegerField(_("time (seconds)"))
    score = models.PositiveSmallIntegerField(_("score"))
    client_token = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(_("finished at"))

    class Meta:
        ordering = ["-finished_at", "-pk"]
        verbose_name = _("simulation practice")
        verbose_name_plural = _("simulation practices")
        indexes = [models.Index(fields=["student", "resource"], name="voc_practice_student")]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="voc_practice_score_range"),
            models.UniqueConstraint(
                fields=["student", "client_token"], condition=~Q(client_token=""), name="voc_practice_token"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.resource_id} · {self.score}"


# --- 教师服务中心: training for teachers and staff ------------------------------------------------------


class TrainingQuerySet(models.QuerySet["TrainingCourse"]):
    def visible(self) -> TrainingQuerySet:
        return self.filter(is_published=True)


class TrainingCourse(models.Model):
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    hours = models.PositiveSmallIntegerField(_("training hours"))
    is_published = models.BooleanField(_("published"), default=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self) -> str:
        return self.title


class TrainingEnrollment(models.Model):
    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at", "-pk"]
        verbose_name = _("training enrolment")
        verbose_name_plural = _("training enrolments")
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="voc_training_once")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id}"
