"""The K-12 models, one module per cluster; everything is importable from ``k12.models``."""

from k12.models.etextbooks import ETextbook, ETextbookChapter
from k12.models.learning import Favourite, LessonVisit, Submission, SubmissionAnswer
from k12.models.lessons import Lesson, LessonHour, Question, QuestionKind
from k12.models.publishing import Publishable, PublishableQuerySet, PublishStatus
from k12.models.resources import (
    Audience,
    Column,
    PartnerLink,
    PartnerLinkKind,
    Resource,
    ResourceKind,
    Section,
    Tag,
)
from k12.models.taxonomy import (
    VOLUME_ORDER,
    Edition,
    Grade,
    Publisher,
    Stage,
    StageSubject,
    Subject,
    Volume,
)
from k12.models.teaching import PrepItem, PrepPlan
from k12.models.textbooks import Textbook, Unit

__all__ = [
    "VOLUME_ORDER",
    "Audience",
    "Column",
    "ETextbook",
    "ETextbookChapter",
    "Edition",
    "Favourite",
    "Grade",
    "Lesson",
    "LessonHour",
    "LessonVisit",
    "PartnerLink",
    "PartnerLinkKind",
    "PrepItem",
    "PrepPlan",
    "PublishStatus",
    "Publishable",
    "PublishableQuerySet",
    "Publisher",
    "Question",
    "QuestionKind",
    "Resource",
    "ResourceKind",
    "Section",
    "Stage",
    "StageSubject",
    "Subject",
    "Submission",
    "SubmissionAnswer",
    "Tag",
    "Textbook",
    "Unit",
    "Volume",
]
