"""A student on a 390 × 844 phone: the folding header, a lesson in three page loads, video, e-textbook.

Every page these tests visit is checked with axe-core (npm, ``node_modules/axe-core``): no serious or
critical violation, tap targets of at least 24 px included (axe's ``target-size`` rule, off by default).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test.testcases import _MediaFilesHandler
from playwright.sync_api import expect

from k12 import services
from k12.models import ETextbook, Lesson, PublishStatus
from k12.pdf import minimal_pdf
from k12.selectors import textbook_book_key
from smartedu.portal.uploads import CAPTIONS_UPLOAD, IMAGE_UPLOAD, MP4_UPLOAD, VIDEO_UPLOAD
from tests.browser.conftest import login
from tests.factories.k12 import LessonFactory, lesson_with_exercises

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

PHONE = {"width": 390, "height": 844}
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CLIPS = Path(settings.BASE_DIR) / "k12" / "demo" / "media"
embedded_only = pytest.mark.skipif(not settings.SERVE_MEDIA, reason="the embedded mode serves /media/")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (tap targets included)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make install` installs node_modules/axe-core from package.json")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated, not injected: the CSP forbids inline scripts
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, { rules: { "target-size": { enabled: true } } });
            return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
        }"""
    )
    return list(violations)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


@pytest.fixture
def phone(browser: Browser, committed_db: None, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _stored(policy: Any, suffix: str, field_name: str) -> str:
    return services.file_store(
        policy=policy,
        content=(CLIPS / f"math.{suffix}").read_bytes(),
        name=f"k12/test/math.{suffix}",
        field_name=field_name,
    )


def _lesson_with_media() -> tuple[Lesson, ETextbook]:
    """A lesson whose hour plays the math clip (WebM, MP4, poster, captions), and its textbook's e-book."""
    lesson, _questions = lesson_with_exercises(title="第1课 认识数字")
    hour = lesson.hours.get(order=1)
    hour.video = _stored(VIDEO_UPLOAD, "webm", "video")
    hour.video_mp4 = _stored(MP4_UPLOAD, "mp4", "video_mp4")
    hour.poster = _stored(IMAGE_UPLOAD, "jpg", "poster")
    hour.captions = _stored(CAPTIONS_UPLOAD, "vtt", "captions")
    services.lesson_hour_save(hour=hour)
    etextbook = services.etextbook_create(
        title=lesson.textbook.title,
        publisher=lesson.textbook.publisher,
        subject=lesson.textbook.subject,
        stage=lesson.textbook.stage,
        grade=lesson.textbook.grade,
        volume=lesson.textbook.volume,
        edition=lesson.textbook.edition,
        textbook=lesson.textbook,
        pdf=minimal_pdf(title="math", pages=8, chapters=[("Unit 1", 3), ("Unit 2", 6)]),
        page_count=8,
        chapters=[("第一单元 认识数字", 3, lesson.unit), ("第二单元 比大小", 6, None)],
        status=PublishStatus.PUBLISHED,
    )
    return lesson, etextbook


def test_the_header_folds_behind_a_menu_button_that_works_without_javascript(
    browser, live_server, committed_db
):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/k12/")
    nav = page.get_by_role("navigation", name="子平台")
    expect(nav).to_be_hidden()
    header = page.locator("header.site-header").bounding_box()
    assert header is not None
    assert header["height"] < 844 * 0.12  # was 24–30 % of the screen
    expect(page.locator("a.header-me")).to_have_attribute("href", "/accounts/login/?next=/k12/")
    page.locator("summary.header-menu-button").click()
    expect(nav).to_be_visible()
    context.close()


def test_a_student_reaches_a_lesson_in_three_page_loads_and_seeks_the_video(phone, demo_accounts):
    lesson, _etextbook = _lesson_with_media()
    book = lesson.textbook
    login(phone, "student")
    loads: list[str] = []
    phone.on("framenavigated", lambda frame: loads.append(frame.url) if frame == phone.main_frame else None)

    phone.goto("/k12/")  # 1
    assert_accessible(phone)
    form = phone.locator("form.k12-choice")
    form.get_by_label("学段").select_option(book.stage.code)
    form.get_by_label("学科").select_option(book.subject.code)
    form.get_by_label("版本").select_option(book.edition.code)
    form.get_by_label("年级与册次").select_option(textbook_book_key(book))
    form.get_by_role("button").click()  # 2
    expect(phone).to_have_url(
        re.compile(
            rf"/k12/textbooks/\?stage={book.stage.code}&subject={book.subject.code}"
            rf"&edition={book.edition.code}&book={re.escape(textbook_book_key(book))}$"
        )
    )
    assert_accessible(phone)
    phone.locator(".k12-tree").get_by_role("link", name="第1课 认识数字").click()  # 3
    expect(phone.get_by_role("heading", level=1)).to_have_text("第1课 认识数字")
    assert len(loads) == 3, loads
    assert_accessible(phone)

    # "Continue where you left off" now leads back, and the choice form is preset to this textbook.
    phone.goto("/k12/")
    expect(phone.locator(".k12-continue").get_by_role("link", name="第1课 认识数字")).to_be_visible()
    expect(phone.locator("#choice-book")).to_have_value(textbook_book_key(book))


@embedded_only
def test_the_lesson_video_has_a_poster_two_sources_captions_and_can_be_sought(phone, monkeypatch):
    # Django's live server answers /media/ itself (django.views.static.serve, no ranges): hand the requests
    # to the project's media view instead, the one `make run` serves with.
    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)
    lesson, _etextbook = _lesson_with_media()
    ranges: list[int] = []
    phone.on("response", lambda r: ranges.append(r.status) if "/media/k12/test/" in r.url else None)
    phone.goto(f"/k12/lessons/{lesson.pk}/")
    video = phone.locator("video.k12-video").first
    expect(video).to_have_attribute("poster", re.compile(r"/media/k12/test/math\.jpg$"))
    expect(video.locator("source")).to_have_count(2)
    expect(video.locator("source").nth(1)).to_have_attribute("type", "video/mp4")
    expect(video.locator("track[kind=captions]")).to_have_attribute("srclang", "zh-Hans")
    sought = video.evaluate(
        """async (v) => {
            v.muted = true;
            v.preload = "auto";
            v.load();
            const ready = (ok) => v.addEventListener("loadedmetadata", ok, { once: true });
            await new Promise((ok) => (v.readyState >= 1 ? ok() : ready(ok)));
            const seeked = new Promise((ok) => v.addEventListener("seeked", ok, { once: true }));
            v.currentTime = 12;
            await seeked;
            return { position: v.currentTime, duration: v.duration, source: v.currentSrc };
        }"""
    )
    assert sought["position"] == pytest.approx(12, abs=1), (sought, ranges)
    assert 206 in ranges  # the media view answered a byte range
    cues = video.evaluate(
        """async (v) => {
            const track = v.textTracks[0];
            track.mode = "showing";
            for (let i = 0; i < 50 && !(track.cues && track.cues.length); i++) {
                await new Promise((ok) => setTimeout(ok, 100));
            }
            return Array.from(track.cues || []).map((c) => c.text);
        }"""
    )
    assert cues
    assert "数学" in cues[0]
    assert_accessible(phone)


def test_a_student_reads_an_etextbook_page_in_pdfjs_and_the_page_stays_in_the_address(phone):
    lesson, etextbook = _lesson_with_media()
    phone.goto(f"/k12/lessons/{lesson.pk}/")
    phone.locator("#etextbook-title ~ p a").first.click()
    expect(phone).to_have_url(re.compile(rf"/k12/etextbooks/{etextbook.pk}/\?page=3$"))
    reader = phone.locator("[data-pdf-reader]")
    expect(reader).to_have_attribute("data-rendered", "3")
    canvas_width = phone.locator("canvas.k12-pdf-canvas").evaluate("(c) => c.width")
    assert canvas_width > 100  # the page was drawn by pdf.js
    expect(phone.locator("a.k12-download")).to_have_attribute("href", re.compile(r"download=1$"))
    assert_accessible(phone)

    phone.locator("a[data-next]").click()
    expect(reader).to_have_attribute("data-rendered", "4")
    expect(phone).to_have_url(re.compile(r"\?page=4$"))
    phone.locator(".k12-toc").get_by_role("link", name="第二单元 比大小").click()
    expect(reader).to_have_attribute("data-rendered", "6")
    expect(phone).to_have_url(re.compile(r"\?page=6$"))
    phone.reload()  # the address alone brings the reader back to the same page
    expect(reader).to_have_attribute("data-rendered", "6")


MAIN_PAGES = [
    "/",
    "/k12/",
    "/k12/etextbooks/",
    "/k12/sections/thematic/",
    "/search/?q=数学",
    "/accounts/login/",
    "/accounts/register/",
    "/accounts/password/reset/",
]


def test_the_main_pages_have_no_serious_accessibility_violation_on_a_phone(phone, demo_accounts):
    LessonFactory(title="第1课 认识数字")
    for path in MAIN_PAGES:
        phone.goto(path)
        assert_accessible(phone)
    login(phone, "admin")
    for path in ("/me/", "/dashboard/", "/k12/me/"):
        phone.goto(path)
        assert_accessible(phone)
    # a flash message (the markup axe once found wrong on every page that showed one)
    phone.goto("/accounts/password/change/")
    phone.locator("#id_old_password").fill("smartedu-demo")
    phone.locator("#id_new_password1").fill("Lantern-river-42")
    phone.locator("#id_new_password2").fill("Lantern-river-42")
    phone.locator("main").get_by_role("button").click()
    expect(phone.locator(".messages")).to_be_visible()
    assert_accessible(phone)
