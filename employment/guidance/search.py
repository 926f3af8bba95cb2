"""Career guidance in search: articles, career cases, encyclopedia entries, live and training courses and
key guidance programmes, registered with smartedu.search from ``GuidanceConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.guidance.models import (
    Article,
    ArticleCategory,
    CareerCase,
    Destination,
    EncyclopediaEntry,
    KeyProgram,
    LiveCourse,
    ProgramKind,
    TrainingCourse,
)
from smartedu.search.registry import Document, Facet, SearchKind, SuggestionTerm, register_kind

CATEGORY = Facet("category", _("Category"), lambda: [(v, str(label)) for v, label in ArticleCategory.choices])
DESTINATION = Facet(
    "destination", _("Destination"), lambda: [(v, str(label)) for v, label in Destination.choices]
)
PROGRAM_KIND = Facet("kind", _("Kind"), lambda: [(v, str(label)) for v, label in ProgramKind.choices])


def article_document(article: Article) -> Document:
    tags = " ".join(t.name for t in article.tags.all())
    return Document(
        title=article.title,
        body=" ".join(part for part in (article.summary, tags, article.body[:3000]) if part),
        url=reverse("employment:guidance-article", args=[article.pk]),
        facets={"category": article.category},
        facet_labels={"category": str(article.get_category_display())},
        popularity=article.view_count,
    )


def case_document(case: CareerCase) -> Document:
    return Document(
        title=case.title,
        body=" ".join(
            part for part in (case.university, case.specialty, case.body[:3000], case.lesson) if part
        ),
        url=reverse("employment:guidance-case", args=[case.pk]),
        facets={"destination": case.destination},
        facet_labels={"destination": str(case.get_destination_display())},
        popularity=case.view_count,
    )


def entry_document(entry: EncyclopediaEntry) -> Document:
    return Document(
        title=entry.title,
        body=" ".join(
            part
            for part in (entry.category, entry.summary, entry.duties, entry.requirements, entry.specialties)
            if part
        ),
        url=reverse("employment:guidance-entry", args=[entry.pk]),
        popularity=entry.view_count,
    )


def live_document(course: LiveCourse) -> Document:
    return Document(
        title=course.title,
        body=" ".join(part for part in (course.speaker, course.speaker_title, course.description) if part),
        url=reverse("employment:guidance-live", args=[course.pk]),
    )


def training_document(course: TrainingCourse) -> Document:
    return Document(
        title=course.title,
        body=" ".join(part for part in (course.category, course.provider, course.description) if part),
        url=reverse("employment:guidance-training", args=[course.pk]),
    )


def program_document(program: KeyProgram) -> Document:
    return Document(
        title=program.title,
        body=" ".join((program.organiser, program.summary, program.eligibility, program.policies)),
        url=reverse("employment:guidance-program", args=[program.pk]),
        facets={"kind": program.kind},
        facet_labels={"kind": str(program.get_kind_display())},
    )


def occupation_terms() -> list[SuggestionTerm]:
    return [
        SuggestionTerm(t, "occupation", weight=3)
        for t in EncyclopediaEntry.objects.values_list("title", flat=True)[:500]
    ]


def register() -> None:
    register_kind(
        SearchKind(
            key="employment.article",
            platform="employment",
            label=_("policy or news article"),
            label_plural=_("policy and news"),
            model="employment_guidance.Article",
            queryset=lambda: Article.objects.filter(published_at__lte=timezone.now()).prefetch_related(
                "tags"
            ),
            document=article_document,
            facets=(CATEGORY,),
            order=10,
        )
    )
    register_kind(
        SearchKind(
            key="employment.case",
            platform="employment",
            label=_("career case"),
            label_plural=_("career cases"),
            model="employment_guidance.CareerCase",
            queryset=lambda: CareerCase.objects.filter(published_at__lte=timezone.now()),
            document=case_document,
            facets=(DESTINATION,),
            order=11,
        )
    )
    register_kind(
        SearchKind(
            key="employment.encyclopedia",
            platform="employment",
            label=_("career encyclopedia entry"),
            label_plural=_("career encyclopedia"),
            model="employment_guidance.EncyclopediaEntry",
            queryset=lambda: EncyclopediaEntry.objects.all(),
            document=entry_document,
            suggestion_terms=occupation_terms,
            order=12,
        )
    )
    register_kind(
        SearchKind(
            key="employment.live_course",
            platform="employment",
            label=_("live guidance course"),
            label_plural=_("live guidance courses"),
            model="employment_guidance.LiveCourse",
            queryset=lambda: LiveCourse.objects.all(),
            document=live_document,
            popularity_field=None,
            order=13,
        )
    )
    register_kind(
        SearchKind(
            key="employment.training_course",
            platform="employment",
            label=_("training course"),
            label_plural=_("training courses"),
            model="employment_guidance.TrainingCourse",
            queryset=lambda: TrainingCourse.objects.all(),
            document=training_document,
            popularity_field=None,
            order=14,
        )
    )
    register_kind(
        SearchKind(
            key="employment.program",
            platform="employment",
            label=_("key guidance programme"),
            label_plural=_("key guidance"),
            model="employment_guidance.KeyProgram",
            queryset=lambda: KeyProgram.objects.all(),
            document=program_document,
            facets=(PROGRAM_KIND,),
            popularity_field=None,
            order=15,
        )
    )
