"""K-12 for a student's phone: the one-form textbook choice, continue where you left off, video renditions,
covers drawn from titles, answers and sort menus in words."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from k12 import covers, selectors, services
from k12.models import PublishStatus, Volume
from k12.pdf import minimal_pdf
from tests.factories import UserFactory
from tests.factories.k12 import (
    ETextbookFactory,
    LessonFactory,
    LessonHourFactory,
    ResourceFactory,
    TextbookFactory,
    lesson_with_exercises,
)

pytestmark = pytest.mark.django_db
CLIPS = Path(settings.BASE_DIR) / "k12" / "demo" / "media"


def _choice(book) -> dict[str, str]:
    return {
        "stage": book.stage.code,
        "subject": book.subject.code,
        "edition": book.edition.code,
        "book": selectors.textbook_book_key(book),
    }


def test_the_one_form_choice_finds_the_textbook_and_shows_its_whole_tree(client):
    lesson = LessonFactory(title="第1课 认识数字")
    book = lesson.textbook
    other_unit_lesson = LessonFactory(textbook=book, title="第2课 比大小")
    response = client.get(reverse("k12:textbooks"), _choice(book))
    state = response.context["state"]
    assert state.textbook == book
    assert [[lesson.title for lesson in lessons] for _unit, lessons in state.tree] == [
        ["第1课 认识数字"],
        ["第2课 比大小"],
    ]
    assert reverse("k12:lesson", args=[other_unit_lesson.pk]) in response.text  # one tap away


def test_a_grade_and_volume_the_edition_does_not_publish_is_said_so(client):
    book = LessonFactory().textbook
    response = client.get(reverse("k12:textbooks"), {**_choice(book), "book": "6-spring"})
    assert response.context["state"].textbook is None
    assert response.context["state"].book_missing is True
    assert 'class="message info"' in response.text


def test_the_choice_offers_only_what_is_published_with_its_stages():
    TextbookFactory()
    TextbookFactory(status=PublishStatus.DRAFT)
    choices = selectors.textbook_choices()
    assert [o.value for o in choices.stages] == ["primary"]
    assert [(o.value, o.stages) for o in choices.subjects] == [("math", ("primary",))]
    assert all(o.stages == ("primary",) for o in choices.books)
    assert len(choices.editions) == 1


def test_the_home_page_continues_where_the_student_left_off_and_presets_the_choice(client):
    student = UserFactory(role="student")
    lesson = LessonFactory(title="第3课 数一数")
    services.lesson_visit_record(user=student, lesson=lesson)
    client.force_login(student)
    response = client.get(reverse("k12:index"))
    assert "第3课 数一数" in response.text
    assert response.context["chosen"] == _choice(lesson.textbook)
    book = selectors.textbook_book_key(lesson.textbook)
    assert f'<option value="{book}" data-stages="primary" selected>' in response.text


def test_a_visitor_gets_the_form_without_a_continue_block(client):
    TextbookFactory()
    response = client.get(reverse("k12:index"))
    assert 'form class="k12-choice card"' in response.text
    assert "k12-continue" not in response.text


def test_an_hours_video_gets_an_mp4_a_poster_and_captions_checked_by_content(client):
    hour = LessonHourFactory(
        video=(CLIPS / "math.webm").read_bytes(),
        video_mp4=(CLIPS / "math.mp4").read_bytes(),
        poster=(CLIPS / "math.jpg").read_bytes(),
        captions=(CLIPS / "math.vtt").read_bytes(),
    )
    text = client.get(reverse("k12:lesson", args=[hour.lesson_id])).text
    assert f'poster="{hour.poster.url}"' in text
    assert f'<source src="{hour.video_mp4.url}" type="video/mp4">' in text
    assert f'<track kind="captions" src="{hour.captions.url}" srclang="zh-Hans"' in text


@pytest.mark.parametrize(
    ("field", "content"),
    [
        ("video_mp4", (CLIPS / "math.webm").read_bytes()),  # WebM is not the H.264 rendition
        ("poster", b"<svg></svg>"),
        ("captions", b"1\n00:00.000 --> 00:01.000\nno header"),
    ],
)
def test_a_wrong_kind_of_file_is_refused_naming_its_field(field, content):
    lesson = LessonFactory()
    with pytest.raises(ValidationError) as error:
        services.lesson_hour_create(lesson=lesson, title="第一课时", **{field: content})
    assert field in error.value.message_dict


def test_every_subject_has_a_short_chinese_clip_with_poster_and_captions():
    clips = json.loads((CLIPS / "clips.json").read_text(encoding="utf-8"))
    assert {"math", "chinese", "english", "physics", "chemistry", "general"} <= set(clips)
    for code, clip in clips.items():
        assert "微课" in clip["title"]
        assert 5 <= clip["seconds"] <= 60
        for suffix in ("webm", "mp4", "jpg", "vtt"):
            assert (CLIPS / f"{code}.{suffix}").stat().st_size < 300 * 1024, (code, suffix)
        captions = (CLIPS / f"{code}.vtt").read_text(encoding="utf-8")
        assert captions.startswith("WEBVTT")
        assert "同学们好" in captions


def test_covers_are_drawn_from_titles_and_drafts_have_none(client):
    etextbook = ETextbookFactory(title="义务教育教科书·数学七年级上册")
    response = client.get(reverse("k12:etextbook-cover", args=[etextbook.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in response["Cache-Control"]
    assert "义务教育教科书·数学七年级" in response.text
    resource = ResourceFactory(title="第九套广播体操")
    assert "第九套广播体操" in client.get(reverse("k12:resource-cover", args=[resource.pk])).text
    draft = ETextbookFactory(status=PublishStatus.DRAFT)
    assert client.get(reverse("k12:etextbook-cover", args=[draft.pk])).status_code == 404


def test_cover_lines_wrap_wide_characters_and_cut_with_an_ellipsis():
    assert covers.cover_lines("一二三四五六", columns=4, max_lines=5) == ["一二", "三四", "五六"]
    assert covers.cover_lines("Unit 3 Look", columns=6, max_lines=5) == ["Unit 3", " Look"]
    assert covers.cover_lines("一二三四五六七八", columns=4, max_lines=2) == ["一二", "三…"]


def test_exercise_results_say_right_and_wrong_answers_in_words(client):
    student = UserFactory(role="student")
    lesson, (choice, judge, blank) = lesson_with_exercises()
    submission = services.submission_create(
        student=student, lesson=lesson, answers={choice.pk: "A", judge.pk: "false", blank.pk: "七"}
    )
    client.force_login(student)
    text = client.get(reverse("k12:submission", args=[submission.pk])).text
    assert "<td>错</td>" in text  # the student's true-or-false answer
    assert "<td>对</td>" in text  # the right one
    assert "<td>B. 2</td>" in text
    assert "<td>7 / 七</td>" in text
    assert ">true<" not in text


def test_sort_menus_name_both_directions_in_words(client):
    ETextbookFactory(volume=Volume.AUTUMN, pdf=minimal_pdf(title="x", pages=1), page_count=1)
    text = client.get(reverse("k12:etextbooks")).text
    assert "descending" not in text
    assert "最多浏览" in text  # "-views", named in words
    assert "---------" not in text
