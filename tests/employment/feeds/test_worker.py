"""The import runs in a real Celery worker: queued by the API after commit, progress to done."""

import json
import time

from django.core.files.uploadedfile import SimpleUploadedFile

from employment.feeds.models import FeedImport, FeedImportStatus, FeedItem
from tests.employment.feeds.conftest import row
from tests.factories import employment as f


def test_the_worker_imports_a_queued_feed(celery_worker_process, api_client):
    org = f.org_of(f.employer())
    api_client.force_authenticate(f.registry_admin())
    rows = [row(f"gd-{n}", org.credit_code, title=f"岗位{n}") for n in range(60)] + [row("", org.credit_code)]
    feed = SimpleUploadedFile("feed.json", json.dumps(rows, ensure_ascii=False).encode(), "application/json")
    response = api_client.post(
        "/api/v1/employment/feeds/import/",
        {"source": "gd-portal", "format": "json", "file": feed},
        format="multipart",
    )
    assert response.status_code == 202
    deadline = time.monotonic() + 90
    while FeedImport.objects.get(pk=response.json()["id"]).status != FeedImportStatus.DONE:
        assert time.monotonic() < deadline, celery_worker_process.output()
        time.sleep(0.5)
    done = FeedImport.objects.get()
    assert (done.total, done.processed, done.created, len(done.errors)) == (61, 61, 60, 1)
    assert FeedItem.objects.count() == 60
