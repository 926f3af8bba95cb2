"""Feed imports: idempotent by source + external id, updates update, removals close, bad rows reported and
the rest imported, every job through the job services (review flags, search queue)."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from employment.feeds import services
from employment.feeds.models import FeedImport, FeedImportStatus, FeedItem
from employment.models import Job, JobStatus
from smartedu.accounts.models import Province, Role
from smartedu.search.models import SearchDocument
from tests.employment.feeds.conftest import row, run
from tests.factories import UserFactory
from tests.factories import employment as f

pytestmark = pytest.mark.django_db


def test_an_import_creates_jobs_and_the_same_feed_again_changes_nothing(admin, org, search_indexed):
    rows = [row("gd-1", org.credit_code), row("gd-2", org.credit_code, title="数据分析师", city="深圳")]
    first = run(admin, rows)
    assert (first.status, first.created, first.errors) == (FeedImportStatus.DONE, 2, [])
    assert first.payload == ""  # the feed is not kept
    jobs = {item.external_id: item.job for item in FeedItem.objects.select_related("job")}
    assert jobs["gd-2"].title == "数据分析师"
    assert jobs["gd-2"].employer_id == org.pk
    assert set(Job.objects.visible().values_list("pk", flat=True)) == {j.pk for j in jobs.values()}
    # searchable like any other job: indexed by the same path (eager in tests)
    assert SearchDocument.objects.filter(kind="employment.job", object_id=jobs["gd-1"].pk).exists()

    again = run(admin, rows)
    assert (again.created, again.updated, again.unchanged, again.closed) == (0, 0, 2, 0)
    assert Job.objects.count() == 2


def test_updates_update_and_removals_close(admin, org):
    run(admin, [row("gd-1", org.credit_code), row("gd-2", org.credit_code), row("gd-3", org.credit_code)])
    # gd-1 changes salary, gd-2 is gone from the snapshot, gd-3 is marked closed
    result = run(
        admin,
        [row("gd-1", org.credit_code, salary_max=18000), row("gd-3", org.credit_code, status="closed")],
    )
    assert (result.updated, result.closed, result.created) == (1, 2, 0)
    by_id = {i.external_id: i.job for i in FeedItem.objects.select_related("job")}
    assert by_id["gd-1"].salary_max == 18000
    assert by_id["gd-1"].status == JobStatus.OPEN
    assert by_id["gd-2"].status == JobStatus.CLOSED
    assert by_id["gd-3"].status == JobStatus.CLOSED
    # a job back in the feed after closing is a new open job for the same external id
    back = run(
        admin, [row("gd-1", org.credit_code, salary_max=18000), row("gd-2", org.credit_code)], full=False
    )
    assert back.updated == 1
    assert FeedItem.objects.get(external_id="gd-2").job.status == JobStatus.OPEN


def test_a_partial_feed_closes_nothing_it_does_not_list(admin, org):
    run(admin, [row("gd-1", org.credit_code), row("gd-2", org.credit_code)])
    result = run(admin, [row("gd-1", org.credit_code)], full=False)
    assert result.closed == 0
    assert Job.objects.filter(status=JobStatus.OPEN).count() == 2


def test_a_row_without_an_external_id_is_reported_and_the_rest_import(admin, org):
    rows = [
        row("gd-1", org.credit_code),
        row("", org.credit_code),
        row("gd-3", "91440300MA5XXXXXXX"),
        row("gd-4", org.credit_code, salary_min="many", education="小学", province="99"),
        row("gd-5", org.credit_code),
    ]
    result = run(admin, rows)
    assert result.status == FeedImportStatus.DONE
    assert result.created == 2
    assert [(bad["where"], sorted(bad["errors"])) for bad in result.errors] == [
        (2, ["external_id"]),
        (3, ["employer_credit_code"]),
        (4, ["education", "province", "salary_min"]),
    ]
    assert sorted(FeedItem.objects.values_list("external_id", flat=True)) == ["gd-1", "gd-5"]


def test_a_bad_row_of_a_known_job_does_not_close_it(admin, org):
    run(admin, [row("gd-1", org.credit_code)])
    result = run(admin, [row("gd-1", org.credit_code, salary_min="")])
    assert result.closed == 0
    assert [sorted(bad["errors"]) for bad in result.errors] == [["salary_min"]]
    assert FeedItem.objects.get().job.status == JobStatus.OPEN


def test_imported_jobs_go_through_the_review_rules(admin, org):
    result = run(admin, [row("gd-1", org.credit_code, description="限男性，已婚已育优先。")])
    assert result.created == 1
    job = FeedItem.objects.get().job
    assert job.status == JobStatus.FLAGGED
    assert job.review_flags
    assert not Job.objects.visible().exists()


def test_csv_with_chinese_degrees_and_a_missing_external_id(admin, org):
    text = (
        "\ufeffexternal_id,employer_credit_code,title,description,industry,province,city,education,"
        "salary_min,salary_max,job_type,expires_at\n"
        f"c-1,{org.credit_code},会计,负责总账核算。,J,44,广州,硕士,8000,12000,full_time,\n"
        f",{org.credit_code},出纳,负责现金管理。,J,44,广州,本科,6000,8000,,\n"
        f"c-3,{org.credit_code},审计助理,协助审计。,J,44,广州,专科,6000,9000,internship,\n"
    )
    result = run(admin, [], fmt="csv", text=text)
    assert result.created == 2
    assert [(bad["where"], list(bad["errors"])) for bad in result.errors] == [(3, ["external_id"])]
    accountant = FeedItem.objects.get(external_id="c-1").job
    assert accountant.education == "master"
    # the job services refuse an expiry beyond their 180 days; the row is reported, never fatal
    late = run(admin, [row("c-9", org.credit_code, expires_at="2099-01-01")], full=False)
    assert [list(bad["errors"]) for bad in late.errors] == [["expires_at"]]


def test_something_that_is_not_a_feed_fails_with_a_message(admin):
    broken = run(admin, [], text="{not json")
    assert broken.status == FeedImportStatus.FAILED
    assert "file" in broken.errors[0]["errors"]
    nested = run(admin, [], text="[" * 100 + "]" * 100)
    assert nested.status == FeedImportStatus.FAILED
    headless = run(admin, [], fmt="csv", text="title,city\n会计,广州\n")
    assert headless.status == FeedImportStatus.FAILED


def test_running_an_import_twice_does_nothing_more(admin, org):
    feed = services.feed_import_start(
        actor=admin, source="gd", fmt="json", text=json.dumps([row("gd-1", org.credit_code)]), queue=False
    )
    services.feed_import_run(import_id=feed.pk)
    services.feed_import_run(import_id=feed.pk)
    assert Job.objects.count() == 1
    assert FeedImport.objects.get().created == 1


def test_only_administrators_import_and_a_province_only_its_employers(org):
    with pytest.raises(PermissionDenied):
        services.feed_import_start(actor=f.employer(), source="gd", fmt="json", text="[]")
    beijing = UserFactory(role=Role.ADMIN, is_staff=True, province=Province.objects.get(code="11"))
    result = run(beijing, [row("gd-1", org.credit_code)])
    assert result.created == 0
    assert list(result.errors[0]["errors"]) == ["employer_credit_code"]


def test_a_partner_key_is_shown_once_and_stored_hashed(admin):
    partner, key = services.partner_create(actor=admin, name="广东省大学生就业创业网")
    assert key not in partner.key_hash
    assert services.partner_for_key(key) == partner
    assert services.partner_for_key(key + "x") is None
    assert services.partner_for_key("nonsense") is None
    with pytest.raises(PermissionDenied):
        services.partner_create(actor=f.employer(), name="x")


def test_the_command_imports_with_progress_and_resumes_a_dead_workers_import(admin, org, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "feed.json"
    path.write_text(json.dumps([row("gd-1", org.credit_code)]), encoding="utf-8")
    out = StringIO()
    call_command("feeds_import", str(path), source="gd", by=admin.username, stdout=out, stderr=StringIO())
    assert "1 created" in out.getvalue()
    # a worker died mid-import: the row stays "running"; --run resumes it
    stuck = services.feed_import_start(
        actor=admin, source="gd", fmt="json", text=json.dumps([row("gd-2", org.credit_code)]), queue=False
    )
    FeedImport.objects.filter(pk=stuck.pk).update(status=FeedImportStatus.RUNNING)
    assert services.feed_import_run(import_id=stuck.pk).status == FeedImportStatus.RUNNING  # a redelivery
    call_command("feeds_import", run=stuck.pk, stdout=StringIO(), stderr=StringIO())
    assert FeedImport.objects.get(pk=stuck.pk).status == FeedImportStatus.DONE
    assert sorted(FeedItem.objects.values_list("external_id", flat=True)) == ["gd-1", "gd-2"]
