"""Publishing: the draft/published status of resources, textbooks, lessons and e-textbooks.

Visibility has one home: each publishable model's queryset ``visible()`` (Saleor's ``published()``), and
``visible_q(prefix)`` for the same rule seen through a relation (``"lesson__"``). Selectors, the API, the
admin, the media registry and the statistics all start from it; nothing else filters on ``status``.
"""

from typing import Any, Self, TypeVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

_M = TypeVar("_M", bound=models.Model)


class PublishStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet[_M]):
    @classmethod
    def visible_q(cls, prefix: str = "") -> Q:
        """What the public may see, as a condition on the model or on a relation named by ``prefix``."""
        return Q(**{f"{prefix}status": PublishStatus.PUBLISHED})

    def visible(self) -> Self:
        """Published items: what pages, the API, search, media and statistics show."""
        return self.filter(self.visible_q())

    def drafts(self) -> Self:
        """Everything ``visible()`` leaves out."""
        return self.exclude(self.visible_q())


def publication(*, at: Any) -> dict[str, Any]:
    """The fields a write sets to publish a row: the status and the (first) publication date ``at``.

    The services use it for bulk writes and for the publish action, so "published" is spelled once for
    reads (``visible_q``) and once for writes (here).
    """
    return {"status": PublishStatus.PUBLISHED, "published_at": at}


class Publishable(models.Model):
    """Content that editors publish and unpublish; drafts never show outside the admin."""

    status = models.CharField(
        _("status"), max_length=10, choices=PublishStatus.choices, default=PublishStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == PublishStatus.PUBLISHED
