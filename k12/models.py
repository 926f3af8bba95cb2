from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.Model):
    """A school stage (学段): primary, junior secondary, senior secondary."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """A grade, numbered 1–12 across the stages."""

    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="grades")
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=20)

    class Meta:
        ordering = ["number"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=20, unique=True)
    stages = models.ManyToManyField(
        Stage, through="StageSubject", related_name="subjects", verbose_name=_("stages")
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self) -> str:
        return self.name


class StageSubject(models.Model):
    """A subject taught in a stage, from ``first_grade`` on (English from grade 3, physics from grade 8…)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE)
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE)
    first_grade = models.PositiveSmallIntegerField(_("first grade"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["stage__order", "order"]
        constraints = [models.UniqueConstraint(fields=["stage", "subject"], name="k12_stage_subject_unique")]

    def __str__(self) -> str:
        return f"{self.stage} · {self.subject}"


class Edition(models.Model):
    """A textbook edition (版本), named after its publisher."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    publisher = models.CharField(_("publisher"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("textbook edition")
        verbose_name_plural = _("textbook editions")

    def __str__(self) -> str:
        return self.name


# --- Publishing ---------------------------------------------------------------------------------


class PublishStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublishStatus.PUBLISHED)


class Publishable(models.Model):
    """Content that editors publish and unpublish; drafts never show outside the admin."""

    status = models.CharField(
        _("status"), max_length=10, choices=PublishStatus.choices, default=PublishStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == PublishStatus.PUBLISHED


# --- Sections, columns and their resources ------------------------------------------------------


class Section(models.Model):
    """A resource section (版块): 专题教育, 课程教学, 课后服务, 教师研修, 家庭教育 or 教改实践经验."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name


class Column(models.Model):
    """A second-level column (二级栏目) of a section; course-teaching columns stand for a stage."""

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="columns"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="columns",
        help_text=_("Course-teaching columns browse the textbooks of this stage."),
    )

    class Meta:
        ordering = ["section__order", "order", "pk"]
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        constraints = [
            models.UniqueConstraint(fields=["section", "name"], name="k12_column_section_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    STUDENT = "student", _("Students")
    TEACHER = "teacher", _("Teachers")
    PARENT = "parent", _("Parents")


class ResourceKind(models.TextChoices):
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")
    COURSE = "course", _("Thematic course")
    LINK = "link", _("External link")


class Resource(Publishable):
    """A resource of a column: a video, a document, a thematic course or an external link.

    ``section`` repeats ``column.section`` (kept equal by the services) so that statistics roll up by
    section without a join.
    """

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="resources"
    )
    column = models.ForeignKey(
        Column, verbose_name=_("column"), on_delete=models.PROTECT, related_name="resources"
    )
    kind = models.CharField(_("type"), max_length=10, choices=ResourceKind.choices, db_index=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    url = models.URLField(_("external address"), blank=True)
    video = models.FileField(_("video"), upload_to="k12/resources/videos/", blank=True)
    file = models.FileField(_("file"), upload_to="k12/resources/files/", blank=True)
    duration = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="resources")
    view_count = models.PositiveBigIntegerField(_("views"), default=0, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            models.Index(fields=["column", "status", "-published_at"], name="k12_res_column_published"),
            models.Index(fields=["section", "status", "-published_at"], name="k12_res_section_published"),
        ]

    def __str__(self) -> str:
        return self.title


class PartnerLinkKind(models.TextChoices):
    PARTNER_SITE = "partner", _("Partner site")
    HOTLINE = "hotline", _("Help hotline")


class PartnerLink(models.Model):
    """A partner site (museums, the digital science museum, Digital Dunhuang…) or the help hotline."""

    kind = models.CharField(_("type"), max_length=10, choices=PartnerLinkKind.choices)
    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = _("partner link")
        verbose_name_plural = _("partner links")

    def __str__(self) -> str:
        return self.name


# --- Course teaching: textbooks down to lesson hours --------------------------------------------


class Publisher(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")

    def __str__(self) -> str:
        return self.name


class Volume(models.TextChoices):
    """册次: 上册/下册 in primary and junior secondary; 必修/选择性必修 in senior secondary."""

    AUTUMN = "autumn", _("Volume 1 (autumn term)")
    SPRING = "spring", _("Volume 2 (spring term)")
    SINGLE = "single", _("Single volume")
    COMPULSORY_1 = "compulsory-1", _("Compulsory, book 1")
    COMPULSORY_2 = "compulsory-2", _("Compulsory, book 2")
    COMPULSORY_3 = "compulsory-3", _("Compulsory, book 3")
    ELECTIVE_1 = "elective-1", _("Elective compulsory, book 1")
    ELECTIVE_2 = "elective-2", _("Elective compulsory, book 2")
    ELECTIVE_3 = "elective-3", _("Elective compulsory, book 3")


VOLUME_ORDER = {value: index for index, value in enumerate(Volume.values)}


class Textbook(Publishable):
    """A textbook (册): edition + subject + grade (none for senior-secondary books) + volume."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="textbooks"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="textbooks"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="textbooks"
    )
    grade = models.ForeignKey(
        Grade,
        verbose_name=_("grade"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="textbooks",
        help_text=_("Empty for senior-secondary books, which go by volume only."),
    )
    volume = models.CharField(_("volume"), max_length=20, choices=Volume.choices)
    title = models.CharField(_("title"), max_length=200)
    publisher = models.ForeignKey(
        Publisher, verbose_name=_("publisher"), on_delete=models.PROTECT, related_name="textbooks"
    )
    # Sort key within an edition and subject: grade, then volume (set by the services).
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("textbook")
        verbose_name_plural = _("textbooks")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subject", "grade", "volume"],
                condition=models.Q(grade__isnull=False),
                name="k12_textbook_graded_unique",
            ),
            models.UniqueConstraint(
                fields=["edition", "subject", "stage", "volume"],
                condition=models.Q(grade__isnull=True),
                name="k12_textbook_ungraded_unique",
            ),
        ]
        indexes = [models.Index(fields=["stage", "subject", "edition", "order"], name="k12_textbook_browse")]

    def __str__(self) -> str:
        return self.title


class Unit(models.Model):
    """A unit or chapter (单元/章) of a textbook."""

    textbook = models.ForeignKey(
        Textbook, verbose_name=_("textbook"), on_delete=models.CASCADE, related_name="units"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["textbook", "order"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [models.UniqueConstraint(fields=["textbook", "order"], name="k12_unit_order_unique")]

    def __str__(self) -> str:
        return self.title


class Lesson(Publishable):
    """A lesson (课) of a unit; its page shows its lesson hours and their exercises."""

    textbook = models.ForeignKey(
        Textbook, verbose_name=_("textbook"), on_delete=models.CASCADE, related_name="lessons"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    start_page = models.PositiveSmallIntegerField(_("first e-textbook page"), null=True, blank=True)
    end_page = models.PositiveSmallIntegerField(_("last e-textbook page"), null=True, blank=True)
    view_count = models.PositiveBigIntegerField(_("views"), default=0, db_index=True)

    class Meta:
        ordering = ["unit__order", "order", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.UniqueConstraint(fields=["unit", "order"], name="k12_lesson_order_unique"),
            models.CheckConstraint(
                condition=models.Q(start_page__isnull=True)
                | models.Q(end_page__isnull=True)
                | models.Q(end_page__gte=models.F("start_page")),
                name="k12_lesson_pages_ordered",
            ),
        ]
        indexes = [models.Index(fields=["textbook", "status"], name="k12_lesson_textbook_status")]

    def __str__(self) -> str:
        return self.title


class LessonHour(models.Model):
    """A lesson hour (课时): video, slides, teaching design, learning task sheet and after-class exercises."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="hours"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    video = models.FileField(_("video"), upload_to="k12/lessons/videos/", blank=True)
    duration = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    slides = models.FileField(_("slides"), upload_to="k12/lessons/slides/", blank=True)
    teaching_design = models.TextField(_("teaching design"), blank=True)
    task_sheet = models.TextField(_("learning task sheet"), blank=True)

    class Meta:
        ordering = ["lesson", "order"]
        verbose_name = _("lesson hour")
        verbose_name_plural = _("lesson hours")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "order"], name="k12_lesson_hour_order_unique")
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    CHOICE = "choice", _("Single choice")
    TRUE_FALSE = "true_false", _("True or false")
    FILL_IN = "fill_in", _("Fill in the blank")


class Question(models.Model):
    """An after-class exercise question of a lesson hour.

    ``options`` is a list of ``{"key": "A", "text": "..."}`` for choice questions. ``answer`` is the key of
    the right option, ``true``/``false``, or for fill-in questions the accepted answers separated by ``|``.
    """

    hour = models.ForeignKey(
        LessonHour, verbose_name=_("lesson hour"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    prompt = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.CharField(_("answer"), max_length=200)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        ordering = ["hour", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["hour", "order"], name="k12_question_order_unique")]

    def __str__(self) -> str:
        return self.prompt[:60]


class Submission(models.Model):
    """A student's graded answers to the exercises of a lesson."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="k12_submissions",
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="submissions"
    )
    correct_count = models.PositiveSmallIntegerField(_("correct answers"))
    question_count = models.PositiveSmallIntegerField(_("questions"))
    score = models.PositiveSmallIntegerField(
        _("score"), help_text=_("Per cent of the questions answered right.")
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["student", "lesson", "-created_at"], name="k12_submission_student")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(correct_count__lte=models.F("question_count")) & models.Q(score__lte=100),
                name="k12_submission_score_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.lesson} · {self.score}"


class SubmissionAnswer(models.Model):
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="submitted_answers"
    )
    given = models.CharField(_("answer given"), max_length=200)
    is_correct = models.BooleanField(_("correct"))

    class Meta:
        ordering = ["submission", "question__hour__order", "question__order"]
        verbose_name = _("submitted answer")
        verbose_name_plural = _("submitted answers")
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="k12_submission_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.given}"


class Favourite(models.Model):
    """A lesson or a resource a user keeps for later (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="k12_favourites",
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lesson__isnull=False, resource__isnull=True)
                | models.Q(lesson__isnull=True, resource__isnull=False),
                name="k12_favourite_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "lesson"],
                condition=models.Q(lesson__isnull=False),
                name="k12_favourite_lesson",
            ),
            models.UniqueConstraint(
                fields=["user", "resource"],
                condition=models.Q(resource__isnull=False),
                name="k12_favourite_resource",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.lesson_id or self.resource_id}"


class LessonVisit(models.Model):
    """When a user last opened a lesson ("continue where you left off"); one row per user and lesson."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="k12_visits"
    )
    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+")
    last_seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("lesson visit")
        verbose_name_plural = _("lesson visits")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="k12_lesson_visit_unique")]
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="k12_visit_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.lesson_id}"


# --- Electronic textbooks -----------------------------------------------------------------------


class ETextbook(Publishable):
    """A readable textbook (PDF); linked to its course-teaching textbook when there is one."""

    textbook = models.OneToOneField(
        Textbook,
        verbose_name=_("textbook"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="etextbook",
    )
    title = models.CharField(_("title"), max_length=200)
    publisher = models.ForeignKey(
        Publisher, verbose_name=_("publisher"), on_delete=models.PROTECT, related_name="etextbooks"
    )
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(
        Grade, verbose_name=_("grade"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    volume = models.CharField(_("volume"), max_length=20, choices=Volume.choices)
    file = models.FileField(_("PDF file"), upload_to="k12/etextbooks/")
    page_count = models.PositiveSmallIntegerField(_("pages"), default=0)
    view_count = models.PositiveBigIntegerField(_("views"), default=0, db_index=True)

    class Meta:
        ordering = ["stage__order", "subject", "pk"]
        verbose_name = _("e-textbook")
        verbose_name_plural = _("e-textbooks")
        indexes = [models.Index(fields=["stage", "subject", "status"], name="k12_etextbook_browse")]

    def __str__(self) -> str:
        return self.title


class ETextbookChapter(models.Model):
    """A table-of-contents entry: a chapter starting at a page, linked to its textbook unit."""

    etextbook = models.ForeignKey(
        ETextbook, verbose_name=_("e-textbook"), on_delete=models.CASCADE, related_name="chapters"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    start_page = models.PositiveSmallIntegerField(_("first page"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chapters",
    )

    class Meta:
        ordering = ["etextbook", "order"]
        verbose_name = _("e-textbook chapter")
        verbose_name_plural = _("e-textbook chapters")
        constraints = [
            models.UniqueConstraint(fields=["etextbook", "order"], name="k12_chapter_order_unique")
        ]

    def __str__(self) -> str:
        return self.title
