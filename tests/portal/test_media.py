"""``/media/`` in the embedded mode serves only files of published content; production leaves media to
object storage or the web server (DJANGO_SERVE_MEDIA off)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from k12 import services
from k12.models import ETextbook, Lesson, PublishStatus
from k12.pdf import minimal_pdf
from smartedu.portal import uploads
from tests.factories.k12 import ETextbookFactory, LessonFactory, LessonHourFactory, TextbookFactory

pytestmark = pytest.mark.django_db

WEBM = (Path(settings.BASE_DIR) / "k12" / "demo" / "media" / "math.webm").read_bytes()
embedded_only = pytest.mark.skipif(not settings.SERVE_MEDIA, reason="the embedded mode serves /media/")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _hour(**lesson_fields):
    return LessonHourFactory(
        lesson=LessonFactory(**lesson_fields), video=WEBM, slides=minimal_pdf(title="slides", pages=2)
    )


@embedded_only
def test_a_published_lessons_video_plays_inline_and_its_slides_download(client):
    hour = _hour()
    video = client.get(hour.video.url)
    assert video.status_code == 200
    assert video["Content-Type"] == "video/webm"
    assert video["Content-Disposition"].startswith("inline")
    assert video["X-Content-Type-Options"] == "nosniff"
    assert _body(video) == WEBM
    slides = client.get(hour.slides.url)
    assert slides["Content-Type"] == "application/pdf"
    assert slides["Content-Disposition"].startswith("attachment")
    assert slides["X-Content-Type-Options"] == "nosniff"


@embedded_only
def test_a_published_etextbook_pdf_is_an_attachment(client):
    etextbook = ETextbookFactory()
    response = client.get(etextbook.file.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _body(response).startswith(b"%PDF")


@pytest.mark.parametrize(
    "draft",
    [
        {"status": PublishStatus.DRAFT},  # the lesson is a draft
        {"textbook": "draft"},  # the lesson is published, its textbook is not
    ],
)
def test_files_of_draft_lessons_are_404(client, draft):
    if draft.get("textbook"):
        draft = {"textbook": TextbookFactory(status=PublishStatus.DRAFT)}
    hour = _hour(**draft)
    assert not Lesson.objects.visible().filter(pk=hour.lesson_id).exists()
    assert default_storage.exists(hour.video.name)
    assert client.get(hour.video.url).status_code == 404
    assert client.get(hour.slides.url).status_code == 404


def test_unpublishing_withdraws_the_files_at_once(client):
    etextbook = ETextbookFactory()
    if settings.SERVE_MEDIA:
        assert client.get(etextbook.file.url).status_code == 200
    services.content_unpublish(queryset=ETextbook.objects.filter(pk=etextbook.pk))
    assert client.get(etextbook.file.url).status_code == 404


def test_a_file_nothing_published_points_at_is_404(client):
    name = default_storage.save("k12/lessons/slides/stray.pdf", ContentFile(minimal_pdf(title="x", pages=1)))
    assert client.get(f"/media/{name}").status_code == 404


def test_media_outside_the_media_root_is_never_served(client):
    for path in ("/media/../settings.py", "/media/k12/../../etc/passwd", "/media/%2e%2e/manage.py"):
        assert client.get(path).status_code in (400, 404)


def test_production_mode_serves_no_media(client):
    etextbook = ETextbookFactory()
    response = client.get(etextbook.file.url)
    assert response.status_code == (200 if settings.SERVE_MEDIA else 404)
    assert settings.SERVE_MEDIA == settings.EMBEDDED


def test_registering_a_field_that_does_not_exist_fails_at_start_up():
    from django.core.exceptions import FieldDoesNotExist

    with pytest.raises(FieldDoesNotExist):
        uploads.register_public_files(
            uploads.PublicFiles(model="k12.ETextbook", fields=("pdf",), visible=ETextbook.objects.visible)
        )
    with pytest.raises(ValueError, match="inline"):
        uploads.register_public_files(
            uploads.PublicFiles(
                model="k12.ETextbook", fields=("file",), visible=ETextbook.objects.visible, inline=("cover",)
            )
        )
    assert uploads.public_file("k12/etextbooks/none.pdf") is None


@embedded_only
@pytest.mark.parametrize(
    ("header", "status", "expected"),
    [
        ("bytes=0-9", 206, (0, 9)),
        ("bytes=100-", 206, (100, len(WEBM) - 1)),
        ("bytes=-50", 206, (len(WEBM) - 50, len(WEBM) - 1)),
        ("bytes=5-999999999", 206, (5, len(WEBM) - 1)),
        ("bytes=0-1,5-9", 200, None),  # several ranges: the whole file
        ("bytes=999999999-", 416, None),
        ("lines=1-2", 200, None),
    ],
)
def test_a_video_can_be_sought_with_a_byte_range(client, header, status, expected):
    hour = _hour()
    response = client.get(hour.video.url, headers={"Range": header})
    assert response.status_code == status
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    if status == 206:
        first, last = expected
        assert response["Content-Range"] == f"bytes {first}-{last}/{len(WEBM)}"
        assert response["Content-Type"] == "video/webm"
        assert response["Content-Disposition"].startswith("inline")
        assert _body(response) == WEBM[first : last + 1]
    elif status == 200:
        assert _body(response) == WEBM
    else:
        assert response["Content-Range"] == f"bytes */{len(WEBM)}"


@embedded_only
def test_a_range_of_a_draft_file_is_404_too(client):
    hour = _hour(status=PublishStatus.DRAFT)
    assert client.get(hour.video.url, headers={"Range": "bytes=0-9"}).status_code == 404
