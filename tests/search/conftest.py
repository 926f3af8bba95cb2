import pytest

from smartedu.accounts.models import Role
from tests.factories import UserFactory, province
from tests.search.toc import build_toc_content


@pytest.fixture(autouse=True)
def _indexed(search_indexed):
    """Every test here searches what it creates (the `queued` fixture turns eager indexing off again)."""


@pytest.fixture
def toc(db):
    """K-12 content from the real tables of contents, indexed (SEARCH_INDEX_EAGER in tests)."""
    from smartedu.search import services

    content = build_toc_content()
    services.recommendations_compute_all()
    return content


@pytest.fixture
def demo_content(db):
    """The demo data of ``seed_demo --scale small`` that search reads (K-12's real tables of contents and
    exercises, higher education's courses), indexed as ``seed_demo`` indexes it."""
    from higher_ed.seed import seed_higher_ed
    from k12.seed.seeder import seed_k12
    from smartedu.portal.registry import no_progress
    from smartedu.search import services

    seed_k12(scale="small", progress=no_progress)
    seed_higher_ed(scale="small", progress=no_progress)
    services.search_reconcile()
    services.search_terms_refresh()


@pytest.fixture
def queued(settings):
    """The production path: changes are queued and indexed by the Celery task after commit (run eagerly)."""
    from smartedu.celery import app

    settings.SEARCH_INDEX_EAGER = False
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


ROLES = {
    "student": {"role": Role.STUDENT},
    "teacher": {"role": Role.TEACHER},
    "graduate": {"role": Role.GRADUATE},
    "employer-verified": {"role": Role.EMPLOYER, "approved": True},
    "employer-unverified": {"role": Role.EMPLOYER},
    "officer": {"role": Role.OFFICER, "approved": True},
    "provincial-admin": {"role": Role.ADMIN, "province": "44"},
}


@pytest.fixture
def user_of():
    def make(name: str):
        fields = dict(ROLES[name])
        code = fields.pop("province", None)
        if code:
            fields["province"] = fields["admin_province"] = province(code)
        return UserFactory(username=f"{name}-search", **fields)

    return make
