"""Publishing: the draft/published status of resources, textbooks, lessons and e-textbooks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
