"""View statistics: the buffer of counted views (embedded mode), the rollups, and the processed batches.

Rollups are keyed by calendar day or hour in ``settings.TIME_ZONE`` (Asia/Shanghai). Content is named by its
kind (``"k12.lesson"``, see ``registry.py``) and primary key, sections and columns by a reference
``"<app_label>.<model>:<pk>"`` so that every sub-platform's own section model fits the same tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BufferedView(models.Model):
    """Embedded mode's buffer: one row per counted view, waiting for the flush (production uses Redis).

    ``batch_id`` is empty while the row waits; the flush claims rows by stamping them with a batch id (the
    database counterpart of Redis' RENAME) and deletes them in the transaction that applies the batch.
    """

    bucket = models.DateTimeField(_("bucket start"))
    kind = models.CharField(_("content kind"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("object id"))
    province_code = models.CharField(_("province code"), max_length=2, blank=True)
    batch_id = models.CharField(_("batch id"), max_length=80, blank=True, db_index=True)

    class Meta:
        verbose_name = _("buffered view")
        verbose_name_plural = _("buffered views")

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} @ {self.bucket:%Y-%m-%d %H:%M:%S}"


class BufferedVisitor(models.Model):
    """Embedded mode's stand-in for the HyperLogLog of unique visitors: one row per visitor, day, platform."""

    day = models.DateField(_("day"))
    platform = models.CharField(_("sub-platform"), max_length=32)
    visitor = models.CharField(_("visitor"), max_length=64)

    class Meta:
        verbose_name = _("buffered visitor")
        verbose_name_plural = _("buffered visitors")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "platform", "visitor"], name="stats_buffered_visitor_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.platform} {self.visitor}"


class SeenView(models.Model):
    """Embedded mode's stand-in for the de-duplication keys in Redis: a visitor saw an object until then.

    ``item`` is ``"<kind>|<object id>"``; a view of it by the same visitor before ``expires_at`` is not
    counted (``STATS_DEDUPE_SECONDS``). Expired rows are deleted by the flush.
    """

    visitor = models.CharField(_("visitor"), max_length=64)
    item = models.CharField(_("item"), max_length=100)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("recently seen view")
        verbose_name_plural = _("recently seen views")
        constraints = [models.UniqueConstraint(fields=["visitor", "item"], name="stats_seen_view_unique")]

    def __str__(self) -> str:
        return f"{self.visitor} {self.item}"


class DailySalt(models.Model):
    """Embedded mode's daily salt of the anonymous visitor hash (production keeps it in Redis).

    A new random salt each day; older ones are deleted, so yesterday's hashes cannot be recomputed.
    """

    day = models.DateField(_("day"), unique=True)
    salt = models.CharField(_("salt"), max_length=64)

    class Meta:
        verbose_name = _("daily salt")
        verbose_name_plural = _("daily salts")

    def __str__(self) -> str:
        return str(self.day)


class DroppedReason(models.TextChoices):
    OVER_CAP = "over_cap", _("over the distinct-key cap of a bucket")
    UNKNOWN = "unknown", _("unknown content")


class DroppedDailyView(models.Model):
    """Views that were sent but not counted, by day and reason: visible on the dashboard and in /readyz."""

    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=16, choices=DroppedReason.choices)
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily dropped views")
        verbose_name_plural = _("daily dropped views")
        constraints = [models.UniqueConstraint(fields=["day", "reason"], name="stats_dropped_daily_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}: {self.views}"


class FailedBatch(models.Model):
    """A buffer batch whose flush failed; after ``STATS_BATCH_MAX_FAILURES`` failures it is set aside.

    A batch set aside keeps its counts here (``{"kind|id|province": views}``) and leaves the buffer, so that
    it never blocks the batches after it; ``manage.py stats_batches --requeue`` puts it back.
    """

    batch_id = models.CharField(_("batch id"), max_length=80, unique=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_failed_at = models.DateTimeField(_("last failed at"))
    set_aside_at = models.DateTimeField(_("set aside at"), null=True, blank=True, db_index=True)
    views = models.PositiveBigIntegerField(_("views"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("failed batch")
        verbose_name_plural = _("failed batches")

    def __str__(self) -> str:
        return self.batch_id


class ProcessedBatch(models.Model):
    """A buffer batch whose counts are in the rollups.

    Inserted in the same transaction as the batch's upserts: a batch replayed after a crash finds its id
    here and is skipped, so it is counted exactly once.
    """

    batch_id = models.CharField(_("batch id"), max_length=80, unique=True)
    views = models.PositiveBigIntegerField(_("views"), default=0)
    processed_at = models.DateTimeField(_("processed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("processed batch")
        verbose_name_plural = _("processed batches")

    def __str__(self) -> str:
        return self.batch_id


class PlatformDailyView(models.Model):
    """Views and unique visitors of one sub-platform on one day."""

    day = models.DateField(_("day"))
    platform = models.CharField(_("sub-platform"), max_length=32)
    views = models.PositiveBigIntegerField(_("views"), default=0)
    visitors = models.PositiveBigIntegerField(_("unique visitors"), default=0)

    class Meta:
        verbose_name = _("daily views of a sub-platform")
        verbose_name_plural = _("daily views of sub-platforms")
        constraints = [
            models.UniqueConstraint(fields=["day", "platform"], name="stats_platform_daily_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.platform}: {self.views}"


class PlatformHourlyView(models.Model):
    """Views of one sub-platform in one hour (``hour`` is the hour's start, timezone-aware)."""

    hour = models.DateTimeField(_("hour"))
    platform = models.CharField(_("sub-platform"), max_length=32)
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("hourly views of a sub-platform")
        verbose_name_plural = _("hourly views of sub-platforms")
        constraints = [
            models.UniqueConstraint(fields=["hour", "platform"], name="stats_platform_hourly_unique")
        ]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H:00} {self.platform}: {self.views}"


class ProvinceDailyView(models.Model):
    """Views of one sub-platform from one province on one day (``""``: province unknown)."""

    day = models.DateField(_("day"))
    platform = models.CharField(_("sub-platform"), max_length=32)
    province_code = models.CharField(_("province code"), max_length=2, blank=True)
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily views of a province")
        verbose_name_plural = _("daily views of provinces")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "platform", "province_code"], name="stats_province_daily_unique"
            )
        ]
        indexes = [models.Index(fields=["province_code", "day"], name="stats_province_daily_prov")]

    def __str__(self) -> str:
        return f"{self.day} {self.platform} {self.province_code or '?'}: {self.views}"


class SectionDailyView(models.Model):
    """Views of one section/column pair on one day (``column_ref`` empty when the content has no column)."""

    day = models.DateField(_("day"))
    platform = models.CharField(_("sub-platform"), max_length=32)
    section_ref = models.CharField(_("section"), max_length=80)
    column_ref = models.CharField(_("column"), max_length=80, blank=True)
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily views of a section")
        verbose_name_plural = _("daily views of sections")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "platform", "section_ref", "column_ref"], name="stats_section_daily_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.section_ref} {self.column_ref}: {self.views}"


class ObjectDailyView(models.Model):
    """Views of one content object on one day; its section and column are copied for filtering."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("content kind"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("object id"))
    platform = models.CharField(_("sub-platform"), max_length=32)
    section_ref = models.CharField(_("section"), max_length=80, blank=True)
    column_ref = models.CharField(_("column"), max_length=80, blank=True)
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily views of a content object")
        verbose_name_plural = _("daily views of content objects")
        constraints = [
            # Object first: the exact totals of a few candidate objects over a period are index lookups
            # (``selectors.hot_content``); the flush's ``ON CONFLICT`` finds the key in any column order.
            models.UniqueConstraint(fields=["kind", "object_id", "day"], name="stats_object_daily_unique")
        ]
        indexes = [
            # A day's most viewed objects of a sub-platform are the first entries of this index.
            models.Index(fields=["day", "platform", "-views"], name="stats_object_daily_rank"),
            # A section's rows in a period; a day's most viewed of a section.
            models.Index(fields=["section_ref", "day", "-views"], name="stats_object_daily_section"),
            # A day's most viewed of a column (a column's rows are a small part of its section's); covering,
            # so a column's ranking and its totals read the index alone.
            models.Index(
                fields=["column_ref", "day", "-views"],
                include=["kind", "object_id"],
                name="stats_object_daily_column",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}:{self.object_id}: {self.views}"


class ObjectMonthlyView(models.Model):
    """Views of one content object in one calendar month: the sum of its ``ObjectDailyView`` rows.

    ``month`` is the month's first day. The flush adds to it in the transaction that adds the daily rows
    (and records the batch id), so the two always agree; ``manage.py stats_rollups_rebuild`` recomputes it
    from the daily rows. Section and column are those of the month's first counted view.
    """

    month = models.DateField(_("month"))
    kind = models.CharField(_("content kind"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("object id"))
    platform = models.CharField(_("sub-platform"), max_length=32)
    section_ref = models.CharField(_("section"), max_length=80, blank=True)
    column_ref = models.CharField(_("column"), max_length=80, blank=True)
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("monthly views of a content object")
        verbose_name_plural = _("monthly views of content objects")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "month"], name="stats_object_monthly_unique")
        ]
        indexes = [
            models.Index(fields=["month", "platform", "-views"], name="stats_object_monthly_rank"),
            models.Index(fields=["section_ref", "month", "-views"], name="stats_object_monthly_section"),
            models.Index(
                fields=["column_ref", "month", "-views"],
                include=["kind", "object_id"],
                name="stats_object_monthly_column",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind}:{self.object_id}: {self.views}"
