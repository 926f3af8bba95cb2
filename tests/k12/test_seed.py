import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from k12.models import ETextbook, Lesson, Question, Resource
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
def test_seed_scale_command_reproduces_the_launch_figures(settings, tmp_path):
    # The real `seed_demo --scale seed`, not a reduced plan: about ten seconds.
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--scale", "seed", "--no-progress")
    counts = seeded_counts()
    assert {k: counts[k] for k in _expected(PLANS["seed"])} == _expected(PLANS["seed"])
    assert counts["editions"] == 19
    assert (counts["textbooks"], counts["lesson_hours"], counts["resources_total"]) == (452, 19_508, 28_052)
    assert (counts["etextbooks"], counts["publishers"]) == (2_004, 67)
