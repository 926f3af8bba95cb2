import pytest

from tests.factories.learning import TEST_OWNER, register_test_owner


@pytest.fixture(autouse=True)
def test_owner():
    """The "tests.item" owner kind, every item visible and managed by nobody unless a test says so."""
    register_test_owner()
    TEST_OWNER.reset()
    yield TEST_OWNER
    TEST_OWNER.reset()
