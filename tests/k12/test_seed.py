import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from k12.models import ETextbook, Lesson, Question, Resource, Textbook
from k12.pdf import minimal_pdf
from k12.seed import PLANS, SeedPlan, seed_k12, seeded_counts

pytestmark = pytest.mark.django_db


def quiet(items, **kwargs):
    return items


def _expected(plan: SeedPlan) -> dict[str, int]:
    return {
        "textbooks": plan.textbooks,
        "lesson_hours": plan.lesson_hours,
        "resources_total": plan.resources_total,
        "thematic_after_school": plan.thematic_after_school,
        "teacher_training": plan.teacher_training,
        "etextbooks": plan.etextbooks,
        "publishers": plan.publishers,
        "sections": 6,
        "columns": 36,
    }


@pytest.mark.slow
def test_small_scale_is_complete_and_idempotent():
    seed_k12(scale="small", progress=quiet)
    first = seeded_counts()
    seed_k12(scale="small", progress=quiet)
    assert seeded_counts() == first
    assert {k: first[k] for k in _expected(PLANS["small"])} == _expected(PLANS["small"])
    assert first["editions"] >= 3
    assert Question.objects.count() == 3 * first["lesson_hours"]
    assert Resource.objects.values("column").distinct().count() == 36
    assert ETextbook.objects.filter(textbook__isnull=False, chapters__unit__isnull=False).exists()


@pytest.mark.slow
def test_a_reduced_seed_plan_gives_exact_counts_and_tops_up_a_small_data_set():
    # The launch plan has the same shape at scale; this one runs in a second.
    plan = SeedPlan(
        textbooks=40,
        lesson_hours=517,
        resources_total=517 + 300,
        thematic_after_school=120,
        teacher_training=70,
        etextbooks=75,
        publishers=23,
        chunk=7,
    )
    seed_k12(scale="small", progress=quiet)
    seed_k12(scale="seed", progress=quiet, plan=plan)
    counts = seeded_counts()
    assert {k: counts[k] for k in _expected(plan)} == _expected(plan)
    assert counts["editions"] == 19  # one textbook per edition in turn reaches every edition
    seed_k12(scale="seed", progress=quiet, plan=plan)
    assert seeded_counts() == counts


def test_the_launch_plan_matches_the_headline_figures():
    plan = PLANS["seed"]
    assert (plan.textbooks, plan.lesson_hours, plan.resources_total) == (452, 19_508, 28_052)
    assert (plan.etextbooks, plan.publishers) == (2_004, 67)
    assert (plan.thematic_after_school, plan.teacher_training) == (2_139, 1_628)


@pytest.mark.slow
def test_seeded_lessons_point_into_their_e_textbook():
    seed_k12(scale="small", progress=quiet)
    lesson = Lesson.objects.select_related("textbook__etextbook").order_by("pk").first()
    etextbook = lesson.textbook.etextbook
    assert 1 <= lesson.start_page <= lesson.end_page <= etextbook.page_count
    assert default_storage.exists(etextbook.file.name)
    video = lesson.hours.order_by("order").first().video
    assert default_storage.exists(video.name)
    assert video.read(4) == b"\x1a\x45\xdf\xa3"  # a WebM (EBML) file
    pdf = etextbook.file.read()
    assert (
        re.search(rb"/Type /Pages /Kids \[.*\] /Count (\d+)", pdf).group(1)
        == str(etextbook.page_count).encode()
    )


@pytest.mark.slow
def test_seed_demo_command_runs_the_k12_seeder_with_progress(capsys):
    call_command("seed_demo", "--scale", "small")
    err = capsys.readouterr().err
    assert "lesson trees" in err
    assert Lesson.objects.exists()


def test_minimal_pdf_is_well_formed():
    pdf = minimal_pdf(title="Chapter (1) \\ test", pages=3, chapters=[("Unit 1", 1), ("Unit 2", 9)])
    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.rstrip().endswith(b"%%EOF")
    xref_at = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref_at:].startswith(b"xref")
    # Every offset in the cross-reference table points at its object.
    table = pdf[xref_at:].split(b"trailer")[0].splitlines()[3:]
    for number, row in enumerate(table, start=1):
        offset = int(row.split()[0])
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    assert b"(Chapter \\(1\\) \\\\ test)" in pdf
    with pytest.raises(ValueError, match="at least one page"):
        minimal_pdf(title="x", pages=0)


@pytest.mark.slow
def test_seed_scale_reproduces_the_launch_figures(settings, tmp_path):
    # K-12's real seed-scale plan, not a reduced one: about ten seconds. (`seed_demo --scale seed` runs every
    # sub-platform's seeder at launch scale, minutes in all: bench/seed_scale.py measures that, G7.)
    settings.MEDIA_ROOT = tmp_path
    seed_k12(scale="seed", progress=quiet)
    counts = seeded_counts()
    assert {k: counts[k] for k in _expected(PLANS["seed"])} == _expected(PLANS["seed"])
    assert counts["editions"] == 19
    assert (counts["textbooks"], counts["lesson_hours"], counts["resources_total"]) == (452, 19_508, 28_052)
    assert (counts["etextbooks"], counts["publishers"]) == (2_004, 67)


def test_the_demo_is_real_textbooks_with_their_own_tables_of_contents_and_exercises():
    seed_k12(scale="small", progress=quiet)
    lesson = Lesson.objects.select_related("textbook", "unit").get(title="17.1 勾股定理")
    assert lesson.textbook.title == "数学 八年级下册（人教版）"
    assert lesson.unit.title == "第十七章 勾股定理"
    assert lesson.is_published
    hour = lesson.hours.get()
    assert "勾股定理" in hour.teaching_design
    assert "教学目标" in hour.teaching_design
    assert "【学习目标】" in hour.task_sheet
    fill = hour.questions.get(kind="fill_in")
    assert "3 和 4" in fill.prompt
    assert fill.answer == "5"
    # every stage is there, and the senior books carry the 人教A版 name of their covers
    assert set(Lesson.objects.values_list("textbook__stage__code", flat=True)) == {
        "primary",
        "junior",
        "senior",
    }
    assert Textbook.objects.filter(title="数学 必修第一册（人教A版）").exists()
    assert Lesson.objects.filter(title="1 春", textbook__subject__code="chinese").exists()
    # no placeholder lesson and no learning-habit filler question in the demo data set
    assert not Lesson.objects.filter(title__regex=r"^第\d+课").exists()
    assert not Question.objects.filter(prompt__contains="学习新课时").exists()


def test_every_demo_lesson_has_its_own_goal_and_three_valid_exercises():
    from k12 import rules
    from k12.seed.demo import demo_textbooks, lesson_contents

    books = demo_textbooks()
    assert len(books) == PLANS["small"].textbooks
    for book in books:
        contents = lesson_contents(book)
        titles = [title for unit in book.units for title in unit.lessons]
        assert sorted(contents) == sorted(titles), book.key
        for content in contents.values():
            assert [q.kind for q in content.questions] == ["choice", "true_false", "fill_in"]
            for question in content.questions:
                assert not rules.question_validate(
                    kind=question.kind, options=question.options, answer=question.answer
                )
