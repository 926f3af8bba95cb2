"""The employment front's demo data: small scale, and the bulk plan at a reduced size (both idempotent)."""

import pytest

from employment.front import access, seed, selectors
from employment.front.models import CounsellorAssignment, Directive, DirectiveDelivery, RollupRun, Survey
from employment.seed import seed_employment
from smartedu.accounts.models import Role, User
from smartedu.accounts.seed import seed_accounts
from smartedu.portal.registry import seeders

pytestmark = pytest.mark.django_db


def _small():
    seed_accounts(scale="small", progress=seed.no_progress)
    seed_employment(scale="small")
    seed.seed_front(scale="small")


def test_small_scale_demo_data_is_complete_and_idempotent():
    _small()
    counsellor = User.objects.get(username="counsellor")
    assert counsellor.role == Role.COUNSELLOR
    graduating_class = access.counsellor_class(counsellor)
    assert graduating_class is not None
    assert (graduating_class.university.name, graduating_class.specialty) == ("中山大学", "软件工程")
    directive = Directive.objects.get(title=seed.DIRECTIVE_TITLE)
    receipts = selectors.receipts(directive=directive)
    assert receipts.delivered == directive.recipient_count >= 8
    assert 0 < receipts.read < receipts.delivered
    assert selectors.unread_count(User.objects.get(username="officer")) == 1
    survey = Survey.objects.get(title=seed.SURVEY_TITLE)
    assert survey.responses.count() == 1
    assert RollupRun.objects.exists()
    counsellor_figures = selectors.progress(scope=access.progress_scope(counsellor)).totals
    assert counsellor_figures["graduates"] >= 1
    assert selectors.graduates_needing_help(user=User.objects.get(username="officer")).count() == 2

    counts = (Directive.objects.count(), DirectiveDelivery.objects.count(), Survey.objects.count())
    seed.seed_front(scale="small")
    assert (Directive.objects.count(), DirectiveDelivery.objects.count(), Survey.objects.count()) == counts


def test_the_bulk_plan_loads_front_line_accounts_and_delivers_a_directive(monkeypatch):
    monkeypatch.setattr(seed, "SEED_COUNSELLORS", 30)
    monkeypatch.setattr(seed, "SEED_OFFICERS", 10)
    _small()
    seed.seed_bulk()
    seed.seed_bulk()  # a second run tops up nothing
    assert User.objects.filter(username__regex=r"^front_c\d{6}$", role=Role.COUNSELLOR).count() == 30
    assert User.objects.filter(username__regex=r"^front_o\d{6}$", role=Role.OFFICER).count() == 10
    assert CounsellorAssignment.objects.filter(user__username__regex=r"^front_c\d{6}$").count() == 30
    bulk = Directive.objects.get(title=seed.SEED_DIRECTIVE_TITLE)
    assert bulk.urgent
    assert bulk.status == "delivered"
    assert DirectiveDelivery.objects.filter(directive=bulk).count() == bulk.recipient_count >= 40
    sample = User.objects.get(username="front_c000001")
    assert access.is_front_line(sample)
    assert access.progress_scope(sample).level == "class"


def test_the_seeder_is_registered_after_employment():
    keys = [s.key for s in seeders()]
    assert keys.index("employment.front") > keys.index("employment")
