"""The client address and the bot rule keep their answers per process, but never for forged long headers."""

import pytest
from django.test import RequestFactory, override_settings

from smartedu.portal import client
from smartedu.stats import rules


def test_an_address_is_canonical_and_kept():
    client._canonical.cache_clear()
    request = RequestFactory().get("/", REMOTE_ADDR=" 2001:DB8::1 ")
    assert client.client_ip(request) == "2001:db8::1"
    assert client.client_ip(request) == "2001:db8::1"
    assert client._canonical.cache_info().hits == 1


@override_settings(TRUSTED_PROXIES=1)
def test_a_long_forged_forwarded_address_is_refused_and_never_kept():
    client._canonical.cache_clear()
    forged = "1" * 5000
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=forged)
    assert client.client_ip(request) == "203.0.113.9"
    assert client._canonical.cache_info().currsize == 1  # REMOTE_ADDR only


@pytest.mark.parametrize("padding", [0, 600])
def test_the_bot_rule_is_the_same_for_long_headers_which_are_never_kept(padding):
    rules._kept_bot.cache_clear()
    browser = "Mozilla/5.0 (Linux; Android 10) Chrome/120.0 Mobile Safari/537.36" + " x" * padding
    crawler = "Mozilla/5.0 (compatible; Googlebot/2.1)" + " x" * padding
    assert rules.user_agent_is_bot(browser) is False
    assert rules.user_agent_is_bot(crawler) is True
    assert rules._kept_bot.cache_info().currsize == (0 if padding else 2)
