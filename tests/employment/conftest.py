import pytest

from smartedu.accounts.models import Province, Role
from tests.factories import UserFactory
from tests.factories import employment as f


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The roles every endpoint's forbidden cases are tested across.
ROLES = [
    "anonymous",
    "student",
    "graduate_unverified",
    "graduate",
    "employer_unverified",
    "employer",
    "officer",
    "provincial_admin_other",
    "ministry_admin",
]


def make_user(role: str):
    if role == "anonymous":
        return None
    if role == "student":
        return UserFactory(role=Role.STUDENT)
    if role == "graduate_unverified":
        return f.graduate(verified=False)
    if role == "graduate":
        return f.graduate()
    if role == "employer_unverified":
        return f.employer(verified=False)
    if role == "employer":
        return f.employer()
    if role == "officer":
        return f.officer()
    if role == "provincial_admin_other":
        return UserFactory(role=Role.ADMIN, is_staff=True, province=Province.objects.get(code="11"))
    if role == "ministry_admin":
        return UserFactory(role=Role.ADMIN, is_staff=True)
    raise ValueError(role)


@pytest.fixture
def as_role(client, api_client):
    def login(role: str):
        user = make_user(role)
        if user is not None:
            client.force_login(user)
            api_client.force_authenticate(user)
        return user

    return login
