"""Employment's searchable kinds, registered with smartedu.search from ``EmploymentConfig.ready()``.

Jobs (visible ones only: open, not expired, from a verified employer) with province, industry, education and
job type as facets, their closing date as the document's expiry, and the job list with the query applied as
the "more" link. Verified employers are searchable by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from employment import selectors
from employment.models import Degree, Employer, Industry, Job, JobType
from smartedu.accounts.models import Province
from smartedu.search.registry import Document, Facet, SearchKind, SuggestionTerm, register_kind


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
