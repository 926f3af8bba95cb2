"""The bulk path of job documents (``JobDocumentLoader`` + ``search_load``) writes what the indexing path
writes, field by field, so a seeded index is the same index the workers would have built."""

import json

import pytest
from django.db import connection
from django.utils import timezone

from employment.models import Employer, Job
from employment.search import JOB_LOAD_FIELDS, JobDocumentLoader
from smartedu.search.backends.database import LOAD_COLUMNS
from smartedu.search.models import SearchDocument
from smartedu.search.registry import get_kind
from smartedu.search.selectors import search
from smartedu.search.services import document_row, search_check, search_load
from tests.factories import employment as f

pytestmark = pytest.mark.django_db

COMPARED = [column for column in LOAD_COLUMNS if column != "indexed_at"]


@pytest.fixture
def jobs():
    owner = f.employer()
    Employer.objects.filter(user=owner).update(
        name="深圳市 ＡＢＣ 科技 有限公司"
    )  # spaces, full-width letters
    return [
        f.job(owner),
        f.job(
            owner,
            title="第3章 会计（出纳）Excel 助理",
            description="熟练使用 Excel、ＳＱＬ。\n能够加班",
            city="上海 浦东",
        ),
        f.job(owner, title="护士", description="护" * 1900, industry="Q", province="11", city="北京"),
    ]


def _loaded(jobs: list[Job]) -> list[tuple]:
    names = dict(Employer.objects.values_list("pk", "name"))
    values = (
        Job.objects.visible().filter(pk__in=[j.pk for j in jobs]).order_by("pk").values_list(*JOB_LOAD_FIELDS)
    )
    return list(JobDocumentLoader(employer_names=names).rows(values, now=timezone.now()))


def test_each_loaded_row_equals_the_indexing_paths_document(jobs):
    kind = get_kind("employment.job")
    rows = _loaded(jobs)
    assert len(rows) == 3
    for row, job in zip(rows, Job.objects.filter(pk__in=[j.pk for j in jobs]).order_by("pk"), strict=True):
        expected = document_row(kind, kind.queryset().get(pk=job.pk))
        got = dict(zip(LOAD_COLUMNS, row, strict=True))
        got["facets"] = json.loads(got["facets"])
        got["facet_labels"] = json.loads(got["facet_labels"])
        for field in COMPARED:
            assert got[field] == getattr(expected, field), field


def test_loaded_documents_are_searchable_and_not_stale(jobs):
    # given the jobs' documents gone (a seed writes jobs with COPY, which indexes nothing)
    SearchDocument.objects.filter(kind="employment.job").delete()
    assert not search(query="会计", platform="employment").items
    # when their documents are loaded in bulk
    assert search_load(rows=_loaded(jobs)) == 3
    # then search finds them through the match structures, and the check finds nothing to repair
    found = search(query="会计", platform="employment", kind="employment.job")
    assert [item.object_id for item in found.items] == [jobs[1].pk]
    assert jobs[2].pk in {item.object_id for item in search(query="护士", platform="employment").items}
    assert all(report.ok for report in search_check(kind="employment.job"))


def test_a_load_leaves_the_row_trigger_on(jobs):
    # given a bulk load (PostgreSQL turns the row trigger off while it copies)
    SearchDocument.objects.filter(kind="employment.job").delete()
    search_load(rows=_loaded(jobs))
    # when a job changes through the ordinary path
    document = SearchDocument.objects.get(kind="employment.job", object_id=jobs[0].pk)
    SearchDocument.objects.filter(pk=document.pk).update(title_key="改过的标题")
    # then the match row followed it (the trigger is back on)
    with connection.cursor() as cursor:
        cursor.execute("SELECT title_key FROM search_match WHERE id = %s", [document.pk])
        assert cursor.fetchone()[0] == "改过的标题"
