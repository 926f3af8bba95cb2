import pytest

from smartedu.accounts.models import Role
from tests.factories import UserFactory, province
from tests.search.toc import build_toc_content


@pytest.fixture
def toc(db):
    """K-12 content from the real tables of contents, indexed (SEARCH_INDEX_EAGER in tests)."""
    from smartedu.search import services

    content = build_toc_content()
    services.recommendations_compute_all()
    return content


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
