"""Password reset by e-mail: a link that works once; the same answer for unknown addresses; rate-limited."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_a_user_resets_the_password_with_the_emailed_link(client):
    user = UserFactory(role="student", email="xiaoming@example.org")
    response = client.post("/accounts/password/reset/", {"email": "xiaoming@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/[^\s]+/)", mail.outbox[0].body)
    assert link
    form = client.get(link[1], follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Qingshan-2025!", "new_password2": "Qingshan-2025!"}
    )
    assert done["Location"] == "/accounts/password/reset/done/"
    user.refresh_from_db()
    assert user.check_password("Qingshan-2025!")
    again = client.get(link[1], follow=True)  # used once: no longer valid
    assert "validlink" in again.context
    assert again.context["validlink"] is False


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_bad_address_is_a_form_error_naming_the_field(client):
    response = client.post("/accounts/password/reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.text
    assert 'aria-describedby="id_email_error"' in response.text


def test_reset_requests_are_limited_per_client_address(client, settings):
    settings.PASSWORD_RESETS_PER_ADDRESS = 2
    for _ in range(2):
        assert client.post("/accounts/password/reset/", {"email": "a@example.org"}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": "a@example.org"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_the_login_page_links_to_the_reset(client):
    assert 'href="/accounts/password/reset/"' in client.get("/accounts/login/").text


def test_a_signed_in_user_changes_the_password(client):
    user = UserFactory(role="student")
    user.set_password("Old-pass-2024!")
    user.save()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "Old-pass-2024!",
            "new_password1": "New-pass-2025!",
            "new_password2": "New-pass-2025!",
        },
    )
    assert response["Location"] == "/me/"
    user.refresh_from_db()
    assert user.check_password("New-pass-2025!")
