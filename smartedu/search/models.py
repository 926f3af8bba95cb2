"""The search index as database rows, the change queue, typeahead names, search counts, recommendations.

The match structures are not model fields: a migration that branches on the database vendor adds them
(PostgreSQL: a stored generated ``tsvector`` column ``search_vector`` with a GIN index; SQLite: an FTS5
table ``search_fts`` over the same two token columns, kept in step by triggers).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One visible object of a registered kind, as the engine sees it."""

    kind = models.CharField(_("kind"), max_length=40)
    platform = models.CharField(_("sub-platform"), max_length=20, db_index=True)
    object_id = models.BigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=300)
    # The title normalised (NFKC, lower case) for the phrase-in-title ranking tier.
    title_key = models.CharField(max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    facets = models.JSONField(_("facets"), default=dict, blank=True)
    facet_labels = models.JSONField(default=dict, blank=True)
    tokens_title = models.TextField(_("title tokens"), blank=True)
    tokens_body = models.TextField(_("text tokens"), blank=True)
    popularity = models.BigIntegerField(_("popularity"), default=0)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # A hash of everything above that comes from the object: `search_check` compares it to find stale rows.
    fingerprint = models.CharField(max_length=40)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_kind_object")
        ]
        indexes = [models.Index(fields=["kind", "-popularity"], name="search_document_popular")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SearchPending(models.Model):
    """A change waiting to be indexed, written in the same transaction as the change (an outbox).

    A row is removed only if ``marked_at`` did not move while its batch was indexed, so a change that
    lands during indexing is indexed again.
    """

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_pending_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchTerm(models.Model):
    """A name typeahead offers: a subject, an edition, a specialty, a university, an employer."""

    text = models.CharField(_("name"), max_length=100)
    norm = models.CharField(max_length=100, db_index=True)
    category = models.CharField(_("category"), max_length=20)
    platform = models.CharField(_("sub-platform"), max_length=20)
    weight = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("suggestion term")
        verbose_name_plural = _("suggestion terms")
        constraints = [
            models.UniqueConstraint(fields=["norm", "category", "platform"], name="search_term_unique")
        ]

    def __str__(self) -> str:
        return self.text


class SearchQueryDay(models.Model):
    """How often a query was searched on a day, and how many results it had: no user, no address."""

    day = models.DateField(_("day"))
    query = models.CharField(_("query"), max_length=100)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    zero_result_searches = models.PositiveIntegerField(_("searches without results"), default=0)
    last_result_count = models.PositiveIntegerField(_("results"), default=0)

    class Meta:
        verbose_name = _("daily search count")
        verbose_name_plural = _("daily search counts")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="search_query_day_unique")]
        indexes = [models.Index(fields=["day", "-searches"], name="search_query_day_top")]

    def __str__(self) -> str:
        return f"{self.day} {self.query}: {self.searches}"


class BufferedSearch(models.Model):
    """The embedded mode's search-count buffer (production buffers in Redis), drained by the flush."""

    day = models.DateField()
    query = models.CharField(max_length=100)
    result_count = models.PositiveIntegerField()
    batch_id = models.CharField(max_length=120, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.query


class SearchFlushBatch(models.Model):
    """A drained batch of search counts, recorded in the transaction of its upsert: a replay is skipped."""

    batch_id = models.CharField(max_length=120, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.batch_id


class Recommendation(models.Model):
    """A precomputed "see also" of an object, with why. The target is a document, so it disappears when
    its object stops being visible."""

    source_kind = models.CharField(max_length=40)
    source_id = models.BigIntegerField()
    target = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=40)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    score = models.FloatField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id", "target", "reason"], name="search_recommendation_unique"
            )
        ]
        indexes = [models.Index(fields=["source_kind", "source_id", "-score"], name="search_rec_source")]

    def __str__(self) -> str:
        return f"{self.source_kind}:{self.source_id} → {self.target_id} ({self.reason})"
