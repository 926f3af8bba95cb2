"""Employment's searchable kinds, registered with smartedu.search from ``EmploymentConfig.ready()``.

Jobs (visible ones only: open, not expired, from a verified employer) with province, industry, education and
job type as facets, their closing date as the document's expiry, and the job list with the query applied as
the "more" link. Verified employers are searchable by name.

A job document also carries its city as a facet (``"city": "深圳"``), which the search page does not offer
as a filter (it is not among the kind's ``facets``) but the job list matches with the keyword, so that
"Java 开发 in 深圳" is one lookup of the index (``selectors._facet_filters``). Documents written before it
got their city from migration 0008.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from employment import selectors
from employment.models import Degree, Employer, Industry, Job, JobType
from smartedu.accounts.models import Province
from smartedu.search.registry import Document, Facet, SearchKind, SuggestionTerm, register_kind
from smartedu.search.services import BODY_MAX, title_key
from smartedu.search.text import index_token_parts, index_tokens, token_string


def _province_choices() -> list[tuple[str, str]]:
    return list(Province.objects.order_by("code").values_list("code", "name"))


def _industry_choices() -> list[tuple[str, str]]:
    return list(Industry.objects.order_by("code").values_list("code", "name"))


def _education_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Degree.choices]


def _job_type_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in JobType.choices]


PROVINCE = Facet("province", _("Province"), _province_choices)
INDUSTRY = Facet("industry", _("Industry"), _industry_choices)
EDUCATION = Facet("education", _("Education"), _education_choices)
JOB_TYPE = Facet("job_type", _("Job type"), _job_type_choices)


def job_document(job: Job) -> Document:
    return Document(
        title=job.title,
        body=" ".join(
            part for part in (job.employer.name, job.city, job.industry.name, job.description[:1500]) if part
        ),
        url=reverse("employment:job", args=[job.pk]),
        facets={
            "province": job.province.code,
            "industry": job.industry.code,
            "education": job.education,
            "job_type": job.job_type,
            "city": job.city,
        },
        facet_labels={
            "province": job.province.name,
            "industry": job.industry.name,
            "education": str(job.get_education_display()),
            "job_type": str(job.get_job_type_display()),
        },
        popularity=job.view_count,
        expires_at=job.expires_at,
    )


# The job columns ``JobDocumentLoader.rows`` reads, in order (``Job.objects.values_list(*JOB_LOAD_FIELDS)``).
JOB_LOAD_FIELDS = (
    "pk",
    "title",
    "description",
    "city",
    "employer_id",
    "industry_id",
    "province_id",
    "education",
    "job_type",
    "expires_at",
    "view_count",
)


class JobDocumentLoader:
    """The documents of many jobs at once, as ``search_load`` rows: what the seed writes for the millions
    of jobs it copies (``document_row(job_document)`` costs about 80 µs a job; this about a quarter).

    Every row equals what ``document_row`` builds for the same job (tokens, title key, labels,
    fingerprint): tests/employment/test_search_load.py compares them field by field, so ``search_check``
    finds nothing stale after a load. What repeats is computed once: a title's key and tokens, a text
    part's tokens (an employer's name, a city, an industry, a description), a facet combination's JSON.
    """

    def __init__(self, *, employer_names: Mapping[int, str]) -> None:
        self.employer_names = employer_names
        self.industries = {
            pk: (code, name) for pk, code, name in Industry.objects.values_list("pk", "code", "name")
        }
        self.provinces = {
            pk: (code, name) for pk, code, name in Province.objects.values_list("pk", "code", "name")
        }
        self.url_prefix, self.url_suffix = reverse("employment:job", args=[987654321]).split("987654321")
        self.education = {value: str(label) for value, label in Degree.choices}
        self.job_types = {value: str(label) for value, label in JobType.choices}
        self._titles: dict[str, tuple[str, str, str]] = {}
        self._parts: dict[str, tuple[list[str], list[str]]] = {}
        # by province, industry, education, job type and city
        self._facets: dict[tuple, tuple[dict, dict, str, str]] = {}

    def _title(self, title: str) -> tuple[str, str, str]:
        cached = self._titles.get(title)
        if cached is None:
            cached = (title[:300], title_key(title), token_string(index_tokens(title, unigrams=True)))
            self._titles[title] = cached
        return cached

    def _part(self, text: str) -> tuple[list[str], list[str]]:
        cached = self._parts.get(text)
        if cached is None:
            cached = index_token_parts(text)
            if len(self._parts) < 500_000:
                self._parts[text] = cached
        return cached

    def _facet_set(
        self, province_id: int, industry_id: int, education: str, job_type: str, city: str
    ) -> tuple:
        key = (province_id, industry_id, education, job_type, city)
        cached = self._facets.get(key)
        if cached is None:
            province, industry = self.provinces[province_id], self.industries[industry_id]
            facets = {
                "province": province[0],
                "industry": industry[0],
                "education": education,
                "job_type": job_type,
                "city": city,
            }
            labels = {
                "province": province[1],
                "industry": industry[1],
                "education": self.education.get(education, education),
                "job_type": self.job_types.get(job_type, job_type),
            }
            cached = (facets, labels, json.dumps(facets), json.dumps(labels))
            self._facets[key] = cached
        return cached

    def rows(self, jobs: Iterable[tuple], *, now: datetime) -> Iterator[tuple[object, ...]]:
        """``search_load`` rows of ``jobs`` (tuples of ``JOB_LOAD_FIELDS``; visible jobs only)."""
        for (
            pk,
            title,
            description,
            city,
            employer_id,
            industry_id,
            province_id,
            education,
            job_type,
            expires_at,
            views,
        ) in jobs:
            short_title, key, tokens_title = self._title(title)
            facets, labels, facets_json, labels_json = self._facet_set(
                province_id, industry_id, education, job_type, city
            )
            parts = [
                part
                for part in (self.employer_names[employer_id], city, labels["industry"], description[:1500])
                if part
            ]
            body = " ".join(parts)
            if len(body) > BODY_MAX:
                body = body[:BODY_MAX]
                tokens_body = token_string(index_tokens(body))
            else:
                tokenised = [self._part(part) for part in parts]
                words = [token for part_words, _ in tokenised for token in part_words]
                grams = [token for _, part_grams in tokenised for token in part_grams]
                tokens_body = token_string(words + grams)
            url = f"{self.url_prefix}{pk}{self.url_suffix}"
            expires = expires_at.isoformat() if expires_at else None
            content = json.dumps(
                ["employment", title, body, url, facets, labels, expires], sort_keys=True, ensure_ascii=False
            )
            yield (  # LOAD_COLUMNS
                "employment.job",
                pk,
                "employment",
                short_title,
                key,
                body,
                url[:500],
                facets_json,
                labels_json,
                tokens_title,
                tokens_body,
                views,
                expires_at,
                hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest(),
                now,
            )


def employer_document(employer: Employer) -> Document:
    return Document(
        title=employer.name,
        body=" ".join(
            part
            for part in (employer.industry.name, employer.province.name, employer.city, employer.description)
            if part
        ),
        url=reverse("employment:employer", args=[employer.pk]),
        facets={"province": employer.province.code, "industry": employer.industry.code},
        facet_labels={"province": employer.province.name, "industry": employer.industry.name},
        popularity=employer.view_count,
    )


def _job_list_url(query: str, facets: Mapping[str, str]) -> str:
    params = {
        "q": query,
        **{k: v for k, v in facets.items() if k in ("province", "industry", "education", "job_type")},
    }
    return f"{reverse('employment:jobs')}?{urlencode({**params, 'sort': 'relevance'})}"


def suggestion_terms() -> Iterable[SuggestionTerm]:
    for name in Industry.objects.values_list("name", flat=True):
        yield SuggestionTerm(name, "industry", weight=5)


def register() -> None:
    register_kind(
        SearchKind(
            key="employment.job",
            platform="employment",
            label=_("job"),
            label_plural=_("jobs"),
            model="employment.Job",
            queryset=selectors.job_queryset,
            document=job_document,
            facets=(PROVINCE, INDUSTRY, EDUCATION, JOB_TYPE),
            depends_on={"employment.Employer": "employer"},
            list_url=_job_list_url,
            suggestion_terms=suggestion_terms,
            order=1,
        )
    )
    register_kind(
        SearchKind(
            key="employment.employer",
            platform="employment",
            label=_("employer"),
            label_plural=_("employers"),
            model="employment.Employer",
            queryset=lambda: Employer.objects.verified().select_related("industry", "province"),
            document=employer_document,
            facets=(PROVINCE, INDUSTRY),
            order=2,
        )
    )
