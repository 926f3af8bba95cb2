import pytest
from django.conf import settings as django_settings
from django.utils import translation

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


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/… leaves English active in the test thread (and reverse() would prefix /en/):
    give the next test the default language back."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
