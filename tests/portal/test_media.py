"""The embedded mode serves media itself; production leaves it to object storage or the web server."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_media_is_served_in_embedded_mode_only(client, media_root):
    name = default_storage.save("k12/test-file.txt", ContentFile(b"lesson slides"))
    response = client.get(f"/media/{name}")
    if settings.EMBEDDED:
        assert settings.SERVE_MEDIA
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"lesson slides"
    else:
        assert not settings.SERVE_MEDIA
        assert response.status_code == 404


def test_media_outside_the_media_root_is_never_served(client, media_root):
    assert client.get("/media/../settings.py").status_code in (400, 404)
