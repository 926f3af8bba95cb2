import pytest

from smartedu.accounts.models import Province, Role
from tests.factories import UserFactory
from tests.factories.higher_ed import ministry_admin, officer, provincial_admin


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes seconds (a seed plan, a concurrency test)")


@pytest.fixture(autouse=True)
def _fresh_catalogue(settings, tmp_path):
    """Each test reads its own catalogue: no index or taxonomy left from another test's rolled-back data."""
    from higher_ed import catalogue, selectors

    settings.MEDIA_ROOT = tmp_path / "media"
    # Test accounts need no slow password hash (argon2 costs tens of milliseconds per account).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    catalogue.forget()
    selectors.taxonomy_forget()
    yield
    catalogue.forget()


ROLES = [
    "anonymous",
    "student",
    "teacher",
    "graduate",
    "employer",
    "employer_unverified",
    "officer",
    "officer_unapproved",
    "officer_other_university",
    "provincial_admin",
    "provincial_admin_other",
    "ministry_admin",
]


def make_user(role: str):
    """A user of each kind the platform knows (the demo officer's university is 中山大学, in 广东 44)."""
    if role == "anonymous":
        return None
    if role in ("student", "teacher", "graduate"):
        return UserFactory(role=role)
    if role == "employer":
        return UserFactory(role=Role.EMPLOYER, approved=True)
    if role == "employer_unverified":
        return UserFactory(role=Role.EMPLOYER)
    if role == "officer":
        return officer("中山大学")
    if role == "officer_unapproved":
        return officer("中山大学", approved=False)
    if role == "officer_other_university":
        return officer("华南理工大学")
    if role == "provincial_admin":
        return provincial_admin("44")
    if role == "provincial_admin_other":
        return provincial_admin("11")
    if role == "ministry_admin":
        return ministry_admin()
    raise ValueError(role)


@pytest.fixture
def as_role(client, api_client):
    """``as_role(name)``: log both clients in as a new user of that kind; returns it (None: anonymous)."""

    def login(role: str):
        user = make_user(role)
        if user is not None:
            client.force_login(user)
            api_client.force_authenticate(user)
        return user

    return login


@pytest.fixture
def guangdong():
    return Province.objects.get(code="44")
