"""The home page keeps the specialty catalogue, the same for every visitor, in a cached block
(smartedu/portal/fragments.py): a second request skips its three queries, and a change shows at once."""

import re

import pytest

from tests.factories import vocational as f
from tests.pages import get_counted
from vocational.models import Specialty

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_on")]

LANGUAGES = ("", "/en")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_catalogue_is_read_once(client, prefix):
    f.library(specialty_code="510203")
    path = f"{prefix}/vocational/"
    first, first_queries = get_counted(client, path)
    second, second_queries = get_counted(client, path)
    assert second_queries == first_queries - 3  # categories, classes, specialties with their libraries
    assert second.content == first.content
    assert "软件技术" in second.text


def test_a_renamed_specialty_shows_at_once_in_each_language(client, django_capture_on_commit_callbacks):
    paths = [f"{prefix}/vocational/" for prefix in LANGUAGES]
    for path in paths:
        assert "软件技术" in client.get(path).text
    specialty = Specialty.objects.get(code="510203")
    specialty.name = "软件技术（新）"
    with django_capture_on_commit_callbacks(execute=True):
        specialty.save()  # as the admin does
    for path in paths:
        assert "软件技术（新）" in client.get(path).text


def test_a_new_library_links_its_specialty_at_once(client, django_capture_on_commit_callbacks):
    assert not re.search(r'href="/vocational/libraries/\d+/"', client.get("/vocational/").text)
    with django_capture_on_commit_callbacks(execute=True):
        made = f.library(specialty_code="510203")
    assert f'href="/vocational/libraries/{made.pk}/"' in client.get("/vocational/").text


def test_the_centres_block_offers_my_courses_only_when_signed_in(client):
    from tests.factories import UserFactory

    assert 'href="/vocational/me/"' not in client.get("/vocational/").text
    client.force_login(UserFactory())
    assert 'href="/vocational/me/"' in client.get("/vocational/").text
