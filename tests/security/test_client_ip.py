"""The client address comes from REMOTE_ADDR, or from X-Forwarded-For only as far as proxies are trusted."""

import pytest
from django.test import RequestFactory

from smartedu.portal.client import client_ip


def _request(remote="203.0.113.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_a_forged_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(_request(forwarded="1.2.3.4")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # The client wrote a forged first entry; the one proxy appended the real address last.
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # Fewer entries than proxies: the left-most is the best known.
        (3, "198.51.100.7", "198.51.100.7"),
    ],
)
def test_the_nth_address_from_the_right_is_the_client(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_garbage_in_the_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(_request(forwarded="not-an-address")) == "203.0.113.9"
    assert client_ip(_request(forwarded="")) == "203.0.113.9"
