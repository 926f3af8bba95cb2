"""Uploads are accepted by content and size, per field, checked before anything is written, and stored
under random names (issue 7, point 13)."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from k12 import services
from k12.models import ETextbook, LessonHour, Resource, Stage, Subject, Volume
from k12.pdf import minimal_pdf
from smartedu.accounts.models import Role
from smartedu.portal.uploads import (
    PDF_UPLOAD,
    SLIDES_UPLOAD,
    VIDEO_UPLOAD,
    RandomName,
    UploadPolicy,
    detect,
)
from tests.factories import UserFactory
from tests.factories.k12 import LessonFactory, LessonHourFactory, PublisherFactory, column

pytestmark = pytest.mark.django_db

WEBM = (Path(settings.BASE_DIR) / "k12" / "demo" / "media" / "math.webm").read_bytes()
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
PDF = minimal_pdf(title="x", pages=2)
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- the policies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "content", "accepted"),
    [
        (VIDEO_UPLOAD, WEBM, "webm"),
        (VIDEO_UPLOAD, MP4, "mp4"),
        (VIDEO_UPLOAD, PDF, None),
        (VIDEO_UPLOAD, HTML, None),
        (SLIDES_UPLOAD, PDF, "pdf"),
        (SLIDES_UPLOAD, pptx(), "pptx"),
        (SLIDES_UPLOAD, SVG, None),
        (SLIDES_UPLOAD, WEBM, None),
        (PDF_UPLOAD, PDF, "pdf"),
        (PDF_UPLOAD, pptx(), None),
        (PDF_UPLOAD, b"%PDX not a pdf", None),
    ],
)
def test_a_field_accepts_files_by_their_content_not_their_name(policy, content, accepted):
    upload = SimpleUploadedFile("lesson.pdf", content, content_type="application/pdf")  # name and type lie
    if accepted:
        assert policy.check(upload).key == accepted
    else:
        with pytest.raises(ValidationError):
            policy.check(upload)


def test_a_field_refuses_files_over_its_size():
    small = UploadPolicy(kinds=("pdf",), max_bytes=len(PDF) - 1)
    with pytest.raises(ValidationError) as exc:
        small.check(SimpleUploadedFile("a.pdf", PDF))
    assert exc.value.code == "file_too_large"
    assert UploadPolicy(kinds=("pdf",), max_bytes=len(PDF)).check(PDF).key == "pdf"


def test_detection_keeps_the_file_position():
    handle = io.BytesIO(PDF)
    handle.seek(5)
    assert detect(handle).key == "pdf"
    assert handle.tell() == 5


def test_random_names_keep_only_a_known_extension():
    upload_to = RandomName("k12/lessons/slides")
    first, second = upload_to(None, "期末复习.PDF"), upload_to(None, "期末复习.PDF")
    assert re.fullmatch(r"k12/lessons/slides/[0-9a-f]{32}\.pdf", first)
    assert first != second
    assert re.fullmatch(r"k12/lessons/slides/[0-9a-f]{32}", upload_to(None, "x.html"))
    assert "../" not in upload_to(None, "../../settings.py")


# --- the services check before they write -------------------------------------------------------


def _etextbook(**fields):
    defaults = {
        "title": "数学 一年级上册",
        "publisher": PublisherFactory(),
        "subject": Subject.objects.get(code="math"),
        "stage": Stage.objects.get(code="primary"),
        "volume": Volume.AUTUMN,
        "pdf": PDF,
        "page_count": 2,
    }
    return services.etextbook_create(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pdf": HTML}, "file"),  # not a PDF
        ({"chapters": [("第一单元", 9, None)]}, "chapters"),  # a chapter past the last page
        ({"title": ""}, "title"),  # the row itself is invalid
    ],
)
def test_etextbook_create_checks_everything_before_writing_the_pdf(media_root, fields, field):
    with pytest.raises(ValidationError) as exc:
        _etextbook(**fields)
    assert field in exc.value.message_dict
    assert not ETextbook.objects.exists()
    assert stored_files(media_root) == []  # no orphan file


def test_etextbook_pdf_is_stored_under_a_random_name(media_root):
    etextbook = _etextbook()
    assert re.fullmatch(r"k12/etextbooks/[0-9a-f]{32}\.pdf", etextbook.file.name)
    assert stored_files(media_root) == [media_root / etextbook.file.name]


def test_lesson_hour_and_resource_files_are_checked_before_writing(media_root):
    lesson = LessonFactory()
    with pytest.raises(ValidationError) as exc:
        services.lesson_hour_create(lesson=lesson, title="第一课时", video=PDF)
    assert "video" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.resource_create(
            column=column("sports"), kind="document", audience="student", title="读本", file=HTML
        )
    assert "file" in exc.value.message_dict
    assert not LessonHour.objects.exists()
    assert not Resource.objects.exists()
    assert stored_files(media_root) == []


# --- the admin ------------------------------------------------------------------------------------


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))


def _hour_form(hour, **files):
    data = {
        "lesson": hour.lesson_id,
        "order": hour.order,
        "title": hour.title,
        "duration": 0,
        "teaching_design": "",
        "task_sheet": "",
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    return {**data, **files}


def test_the_admin_refuses_a_disguised_upload_and_writes_nothing(client, editor, media_root):
    hour = LessonHourFactory()
    response = client.post(
        reverse("admin:k12_lessonhour_change", args=[hour.pk]),
        _hour_form(hour, slides=SimpleUploadedFile("slides.pdf", HTML, content_type="application/pdf")),
    )
    assert response.status_code == 200  # the form again, with the error
    assert "slides" in response.context["adminform"].form.errors
    hour.refresh_from_db()
    assert not hour.slides
    assert stored_files(media_root) == []


def test_the_admin_stores_an_accepted_upload_under_a_random_name(client, editor, media_root):
    hour = LessonHourFactory()
    response = client.post(
        reverse("admin:k12_lessonhour_change", args=[hour.pk]),
        _hour_form(
            hour,
            slides=SimpleUploadedFile("第一课时课件.pptx", pptx()),
            video=SimpleUploadedFile("<script>.mp4", MP4),
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    hour.refresh_from_db()
    assert re.fullmatch(r"k12/lessons/slides/[0-9a-f]{32}\.pptx", hour.slides.name)
    assert re.fullmatch(r"k12/lessons/videos/[0-9a-f]{32}\.mp4", hour.video.name)
