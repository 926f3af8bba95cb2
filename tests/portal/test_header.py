"""The site's header (smartedu/portal/header.py): one cached block per language, page kind and account menu;
the visitor's own parts (the page's address, their name, their CSRF token, the query) are filled per
request and never stored."""

import re

import pytest
from django.test import Client

from smartedu.portal import fragments
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_on")]


def header_of(response) -> str:
    return re.search(r'<header class="site-header">.*?</header>', response.content.decode(), re.S).group(0)


def test_an_anonymous_header_is_shared_but_its_links_are_this_pages(client):
    first = header_of(client.get("/k12/"))
    second = header_of(client.get("/higher-ed/?category=01"))
    assert 'href="/accounts/login/?next=/k12/"' in first
    assert 'href="/en/k12/"' in first
    assert 'href="/accounts/login/?next=/higher-ed/%3Fcategory%3D01"' in second
    assert 'href="/en/higher-ed/?category=01"' in second
    assert '<a href="/higher-ed/" aria-current="page">' in second  # the current sub-platform: a vary value
    assert '<a href="/k12/" aria-current="page">' in first
    assert "\x1f" not in first + second


def test_a_hostile_address_is_escaped_in_every_hole(client):
    header = header_of(client.get("/k12/", {"x": '"><script>alert(1)</script>'}))
    assert "<script>" not in header
    assert "next=/k12/%3Fx%3D%2522%253E%253Cscript%253E" in header  # the address, encoded as a parameter
    english = re.search(r'href="(/en/k12/[^"]*)" lang="en"', header).group(1)
    assert english.startswith("/en/k12/?x=%22%3E%3Cscript%3E")


def test_signed_in_users_with_the_same_menu_each_see_their_own_name_and_token():
    hostile = UserFactory(first_name="<img src=x onerror=alert(1)>")
    plain = UserFactory(first_name="王磊")
    tokens = {}
    for user in (hostile, plain):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        header = header_of(client.get("/k12/"))
        tokens[user.pk] = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', header).group(1)
        # The token in the header is this visitor's: logging out with it works.
        response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[user.pk]})
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session
        if user is hostile:
            assert 'title="&lt;img src=x onerror=alert(1)&gt;"' in header
        else:
            assert 'title="王磊"' in header
    assert tokens[hostile.pk] != tokens[plain.pk]
    # Nothing personal was kept: no copy of a block holds a name or a token.
    kept = " ".join(str(copy[1]) for copy in fragments._local._copies.values())
    assert "王磊" not in kept
    assert "onerror" not in kept
    assert not any(token in kept for token in tokens.values())


def test_the_account_menu_and_its_badges_are_the_users_own(client):
    from smartedu.accounts.models import Role

    admin = UserFactory(role=Role.ADMIN, is_staff=True)
    student = UserFactory(role=Role.STUDENT)
    client.force_login(admin)
    assert 'href="/dashboard/"' in header_of(client.get("/"))
    client.force_login(student)
    assert 'href="/dashboard/"' not in header_of(client.get("/"))


def test_the_search_page_header_holds_the_query(client):
    header = header_of(client.get("/search/", {"q": '勾股定理"><b>'}))
    assert 'value="勾股定理&quot;&gt;&lt;b&gt;"' in header
    assert 'value="' not in header_of(client.get("/k12/")).split('id="site-search-q"')[1].split(">")[0]
