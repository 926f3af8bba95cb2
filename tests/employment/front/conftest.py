import pytest

from smartedu.accounts.models import Role
from tests.factories import UserFactory, front
from tests.factories import employment as f

# Every role the front's forbidden cases are tested across. The graduates under test are of 中山大学,
# 软件工程, 2022: the class of ``counsellor``; ``counsellor_other`` looks after 会计学 of the same university.
FRONT_ROLES = [
    "anonymous",
    "student",
    "graduate",
    "employer",
    "officer",
    "officer_other",
    "officer_unapproved",
    "counsellor",
    "counsellor_other",
    "counsellor_unapproved",
    "provincial_admin",
    "provincial_admin_other",
    "ministry_admin",
]


def make_front_user(role: str):
    makers = {
        "anonymous": lambda: None,
        "student": lambda: UserFactory(role=Role.STUDENT),
        "graduate": lambda: f.graduate(),
        "employer": lambda: f.employer(),
        "officer": lambda: f.officer(),
        "officer_other": lambda: f.officer("北京大学"),
        "officer_unapproved": lambda: f.officer(approved=False),
        "counsellor": lambda: front.counsellor(),
        "counsellor_other": lambda: front.counsellor(specialty="会计学"),
        "counsellor_unapproved": lambda: front.counsellor(approved=False),
        "provincial_admin": lambda: front.provincial_admin("44"),
        "provincial_admin_other": lambda: front.provincial_admin("11"),
        "ministry_admin": lambda: front.ministry_admin(),
    }
    return makers[role]()


@pytest.fixture
def as_front(client, api_client):
    def login(role: str):
        user = make_front_user(role)
        if user is not None:
            client.force_login(user)
            api_client.force_authenticate(user)
        return user

    return login
