from django.db.models import Prefetch, QuerySet

from k12.models import Edition, Stage, StageSubject, Subject


def stage_list() -> QuerySet[Stage]:
    """Stages with their grades and subjects (in stage order), in three queries whatever the size."""
    return Stage.objects.prefetch_related(
        "grades",
        Prefetch(
            "stagesubject_set",
            queryset=StageSubject.objects.select_related("subject").order_by("order"),
            to_attr="subject_links",
        ),
    )


def edition_list() -> QuerySet[Edition]:
    return Edition.objects.all()


def edition_count() -> int:
    return Edition.objects.count()


def subject_count() -> int:
    return Subject.objects.count()
