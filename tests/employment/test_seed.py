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


def test_generated_codes_pass_their_check_digits():
    import random

    assert rules.credit_code_valid(credit_code_for(123456, "44"))
    assert rules.id_number_valid(id_number_for(random.Random(1), "44"))
