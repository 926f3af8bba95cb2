import pytest

from tests.factories.learning import TEST_OWNER, register_test_owner


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """These tests make many accounts and never log in with a password: hash them cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def test_owner():
    """The "tests.item" owner kind, every item visible and managed by nobody unless a test says so."""
    register_test_owner()
    TEST_OWNER.reset()
    yield TEST_OWNER
    TEST_OWNER.reset()
