import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_mine_asks_a_visitor_to_log_in_and_comes_back_after(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/"


def test_mine_lists_the_users_own_pages(client):
    client.force_login(UserFactory(role="student"))
    text = client.get("/me/").text
    assert 'href="/k12/me/"' in text  # 我的学习, as K-12 registered it for students
    assert 'href="/accounts/profile/"' in text
    assert 'href="/accounts/password/change/"' in text


def test_the_header_offers_mine_when_signed_in_and_a_login_that_comes_back_otherwise(client):
    visitor = client.get("/k12/etextbooks/?stage=primary").text
    assert 'href="/accounts/login/?next=/k12/etextbooks/%3Fstage%3Dprimary"' in visitor
    client.force_login(UserFactory(role="student"))
    member = client.get("/k12/").text
    assert 'class="header-me" href="/me/"' in member
    assert '<details class="header-menu">' in member
    assert 'rel="icon" href="/static/favicon' in member
