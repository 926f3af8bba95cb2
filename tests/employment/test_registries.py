"""Employment joins the shared registries: figures, search documents, statistics kinds, beat."""

import pytest

from employment import services
from employment.models import EmployerStatus, Job
from smartedu.portal.registry import platforms
from smartedu.search import registry as search_registry
from smartedu.search.models import SearchDocument
from smartedu.stats.registry import get_kind
from tests.factories import employment as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_indexed")]


def test_figures_count_visible_jobs_and_verified_parties():
    owner = f.employer()
    f.job(owner)
    f.job(owner, description="限男性")  # held: not counted
    f.employer(verified=False)
    figures = {fig.key: fig.count() for fig in next(p for p in platforms() if p.key == "employment").figures}
    assert figures == {"jobs": 1, "employers": 1, "graduates": 0, "industries": 20}


def test_jobs_are_search_documents_only_while_visible():
    owner = f.employer()
    job = f.job(owner, title="护士长助理")
    assert SearchDocument.objects.filter(kind="employment.job", object_id=job.pk).exists()
    assert search_registry.get_kind("employment.job") is not None
    services.job_close(actor=owner, job=job)
    assert not SearchDocument.objects.filter(kind="employment.job", object_id=job.pk).exists()


def test_rejecting_an_employer_takes_its_jobs_out_of_search():
    owner = f.employer()
    job = f.job(owner)
    services.employer_review(
        employer=f.org_of(owner), actor=f.registry_admin(), decision=EmployerStatus.REJECTED, note="虚假信息"
    )
    from smartedu.search.services import search_index_pending

    search_index_pending()
    assert not Job.objects.visible().filter(pk=job.pk).exists()
    assert not SearchDocument.objects.filter(kind="employment.job", object_id=job.pk).exists()


def test_statistics_kinds_locate_jobs_by_industry_and_province():
    job = f.job(industry="Q", province="11", city="北京")
    kind = get_kind("employment.job")
    assert kind is not None
    location = kind.locations([job.pk])[job.pk]
    assert location.section_ref == f"employment.industry:{job.industry_id}"
    assert location.column_ref == f"accounts.province:{job.province_id}"
    assert get_kind("employment.employer").locations([job.employer_id])  # type: ignore[union-attr]


def test_the_beat_closes_expired_jobs():
    from smartedu.celery import app

    assert (
        app.conf.beat_schedule["employment-close-expired-jobs"]["task"]
        == "employment.tasks.close_expired_jobs_task"
    )
    from employment.tasks import close_expired_jobs_task

    assert close_expired_jobs_task.apply().get() == 0
