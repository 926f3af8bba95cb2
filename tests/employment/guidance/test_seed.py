"""Demo data of fairs and guidance: the small scale through the services (idempotent), and the seed-scale
top-up of guidance to the launch figures."""

import pytest

from employment.fairs.models import Fair, FairApplication, FairKind
from employment.fairs.seed import PAST_TITLE, RUNNING_TITLE, seed_fairs
from employment.guidance.models import (
    Article,
    Assessment,
    CareerCase,
    EncyclopediaEntry,
    KeyProgram,
    LiveCourse,
    QualityReport,
    TrainingCourse,
)
from employment.guidance.seed import SEED_TARGETS, _seed_bulk, seed_guidance
from employment.seed import seed_employment
from smartedu.accounts.seed import seed_accounts
from smartedu.portal.registry import no_progress

pytestmark = pytest.mark.django_db


def test_small_seed_has_a_running_and_a_past_fair_and_the_guidance_content():
    seed_accounts(scale="small", progress=no_progress)
    seed_employment(scale="small", progress=no_progress)
    for _ in range(2):  # idempotent
        seed_fairs(scale="small", progress=no_progress)
        seed_guidance(scale="small", progress=no_progress)
    running, past = Fair.objects.get(title=RUNNING_TITLE), Fair.objects.get(title=PAST_TITLE)
    assert running.is_running
    assert running.employer_count >= 2
    assert running.registrations.filter(employer__user__username="employer", status="approved").exists()
    assert past.state() == "past"
    assert past.frozen_at is not None
    assert past.application_count == FairApplication.objects.filter(fair=past).count() > 0
    assert Assessment.objects.count() == 3
    for model in (
        EncyclopediaEntry,
        CareerCase,
        LiveCourse,
        TrainingCourse,
        KeyProgram,
        Article,
        QualityReport,
    ):
        assert model.objects.count() >= 2, model
    assert set(KeyProgram.objects.values_list("kind", flat=True)) == {
        "grassroots",
        "enlistment",
        "key_sector",
    }


def test_seed_scale_reaches_the_launch_figures():
    seed_guidance(scale="small", progress=no_progress)
    _seed_bulk(no_progress)
    assert Assessment.objects.count() == SEED_TARGETS["assessments"]
    assert EncyclopediaEntry.objects.count() == SEED_TARGETS["entries"]
    assert CareerCase.objects.count() == SEED_TARGETS["cases"]
    assert LiveCourse.objects.count() == SEED_TARGETS["live"]
    assert TrainingCourse.objects.count() == SEED_TARGETS["training"]
    assert Assessment.objects.get(slug="holland-riasec").questions.count() == 36  # the real one stays
    _seed_bulk(no_progress)  # tops up: nothing more
    assert CareerCase.objects.count() == SEED_TARGETS["cases"]


def test_the_25_sector_fairs():
    from employment.fairs.seed import _seed_sector_fairs

    _seed_sector_fairs(no_progress)
    _seed_sector_fairs(no_progress)
    assert Fair.objects.filter(kind=FairKind.SECTOR).count() == 25
    assert Fair.objects.filter(sector="医疗卫生").exists()
