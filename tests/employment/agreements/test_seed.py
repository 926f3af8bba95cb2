import pytest
from django.core.management import call_command

from employment.agreements.models import Agreement, AgreementStatus
from employment.agreements.seed import seed_agreements
from employment.models import GraduateProfile
from employment.seed import seed_employment
from smartedu.accounts.models import User
from smartedu.accounts.seed import seed_accounts
from smartedu.portal.registry import no_progress

pytestmark = pytest.mark.django_db


def test_demo_agreements_one_in_force_one_waiting_for_the_officer_idempotent():
    seed_accounts(scale="small", progress=no_progress)
    seed_employment(scale="small", progress=no_progress)
    seed_agreements(scale="small", progress=no_progress)
    seed_agreements(scale="small", progress=no_progress)

    graduate = User.objects.get(username="graduate")
    employer = User.objects.get(username="employer")
    waiting = Agreement.objects.get(graduate=graduate)
    assert waiting.status == AgreementStatus.AWAITING_OFFICER
    assert waiting.employer.user == employer
    in_force = Agreement.objects.get(status=AgreementStatus.IN_FORCE)
    assert in_force.university_id == GraduateProfile.objects.get(user=graduate).university_id
    assert Agreement.objects.count() == 2
    call_command("agreements_verify", verbosity=0)  # the demo chain is intact
