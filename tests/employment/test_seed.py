import pytest

from employment import rules
from employment.models import (
    Application,
    ApplicationStatus,
    Employer,
    EmployerStatus,
    GraduateProfile,
    Intention,
    Job,
    Message,
    Resume,
)
from employment.seed import SeedPlan, credit_code_for, id_number_for, seed_bulk, seed_employment
from smartedu.accounts.models import User
from smartedu.accounts.seed import seed_accounts
from smartedu.portal.registry import no_progress
from smartedu.search.models import SearchDocument, SearchPending
from smartedu.search.selectors import search
from smartedu.search.services import search_check, search_index_pending

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_small_seed_has_every_state_and_is_idempotent():
    seed_accounts(scale="small", progress=no_progress)
    seed_employment(scale="small", progress=no_progress)
    counts = (
        Job.objects.count(),
        Employer.objects.count(),
        Application.objects.count(),
        Message.objects.count(),
    )
    seed_employment(scale="small", progress=no_progress)
    assert (
        Job.objects.count(),
        Employer.objects.count(),
        Application.objects.count(),
        Message.objects.count(),
    ) == counts

    graduate = User.objects.get(username="graduate")
    assert GraduateProfile.objects.filter(user=graduate).exists()
    assert Intention.objects.filter(user=graduate).exists()
    assert Resume.objects.consenting().filter(user=graduate).exists()
    assert Employer.objects.get(user__username="employer").status == EmployerStatus.VERIFIED
    assert set(Employer.objects.values_list("status", flat=True)) == set(EmployerStatus.values)
    assert set(Application.objects.values_list("status", flat=True)) == set(ApplicationStatus.values)
    assert Job.objects.visible().values("province").distinct().count() >= 20
    assert Job.objects.visible().values("industry").distinct().count() == 20
    assert Application.objects.filter(graduate=graduate, employer__user__username="employer").exists()
    assert User.objects.get(username="officer").affiliation.institution.name == "中山大学"


def test_bulk_seed_tops_up_to_the_plan():
    plan = SeedPlan(graduates=0, employers=40, jobs=300, registry_per_university=0, bulk=True, chunk=100)
    seed_bulk(plan=plan, progress=no_progress)
    seed_bulk(plan=plan, progress=no_progress)
    assert Employer.objects.verified().count() == 40
    assert Job.objects.visible().count() == 300
    assert Job.objects.values("province").distinct().count() == 31
    assert Job.objects.values("industry").distinct().count() == 20
    assert all(rules.credit_code_valid(c) for c in Employer.objects.values_list("credit_code", flat=True))


def test_bulk_loaded_jobs_and_employers_are_found_by_search():
    # given jobs and employers written by the bulk loader (COPY on PostgreSQL), which sends no signal
    plan = SeedPlan(graduates=0, employers=6, jobs=40, registry_per_university=0, bulk=True, chunk=15)
    seed_bulk(plan=plan, progress=no_progress)
    job = Job.objects.visible().select_related("employer").order_by("pk").last()
    # then each has its search document, written by the loader itself: nothing waits in the queue
    assert SearchDocument.objects.filter(kind="employment.job").count() == 40
    assert SearchDocument.objects.filter(kind="employment.employer").count() == 6
    assert not SearchPending.objects.filter(kind__startswith="employment.").exists()
    # and search finds them, and the documents are what the indexing path would write (nothing stale)
    found = search(query=job.employer.name, platform="employment", kind="employment.job", per_page=50)
    assert job.pk in {item.object_id for item in found.items}
    found = search(query=job.title, platform="employment", kind="employment.job", per_page=50)
    assert job.pk in {item.object_id for item in found.items}
    assert all(report.ok for report in search_check(kind="employment.job"))
    assert all(report.ok for report in search_check(kind="employment.employer"))
    # and a second run tops up nothing, so no document is written twice
    seed_bulk(plan=plan, progress=no_progress)
    assert SearchDocument.objects.filter(kind="employment.job").count() == 40


def test_the_seed_demo_leaves_bulk_documents_to_the_celery_drain():
    # given the bulk loader as seed_demo runs it (without writing documents in the load)
    plan = SeedPlan(graduates=0, employers=6, jobs=40, registry_per_university=0, bulk=True, chunk=15)
    seed_bulk(plan=plan, progress=no_progress, with_documents=False)
    # then every row is queued for the index, as a save would queue it, and nothing is indexed inline
    assert SearchPending.objects.filter(kind="employment.job").count() == 40
    assert SearchPending.objects.filter(kind="employment.employer").count() == 6
    assert not SearchDocument.objects.filter(kind__startswith="employment.").exists()
    # when the Celery task drains the queue (its service, in process), they are indexed and consistent
    while search_index_pending().indexed:
        pass
    assert SearchDocument.objects.filter(kind="employment.job").count() == 40
    assert all(report.ok for report in search_check(kind="employment.job"))


def test_generated_codes_pass_their_check_digits():
    import random

    assert rules.credit_code_valid(credit_code_for(123456, "44"))
    assert rules.id_number_valid(id_number_for(random.Random(1), "44"))
