"""``feeds/import/`` (administrators) and ``feeds/export/`` (partner key) across the roles; bad input."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from employment import services as job_services
from employment.feeds import services
from employment.feeds.models import FeedImport, FeedImportStatus
from tests.employment.conftest import ROLES
from tests.employment.feeds.conftest import row
from tests.factories import employment as f

pytestmark = pytest.mark.django_db
API = "/api/v1/employment/feeds"


def upload(rows, name="feed.json"):
    return SimpleUploadedFile(name, json.dumps(rows, ensure_ascii=False).encode(), "application/json")


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_import(api_client, as_role, role, django_capture_on_commit_callbacks):
    as_role(role)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = api_client.post(
            f"{API}/import/",
            {"source": "gd-portal", "format": "json", "file": upload([])},
            format="multipart",
        )
    expected = {"anonymous": 401, "provincial_admin_other": 202, "ministry_admin": 202}.get(role, 403)
    assert response.status_code == expected
    assert FeedImport.objects.count() == (1 if expected == 202 else 0)
    assert len(queued) == (1 if expected == 202 else 0)  # the Celery task, after commit
    listing = api_client.get(f"{API}/import/")
    assert listing.status_code == (200 if expected == 202 else expected)


def test_an_import_is_queued_then_its_progress_and_bad_rows_are_shown(
    api_client, django_capture_on_commit_callbacks
):
    org = f.org_of(f.employer())
    admin = f.registry_admin()
    api_client.force_authenticate(admin)
    rows = [row("gd-1", org.credit_code), row("", org.credit_code), row("gd-3", org.credit_code)]
    with django_capture_on_commit_callbacks(execute=False):
        queued = api_client.post(
            f"{API}/import/",
            {"source": "gd-portal", "format": "json", "file": upload(rows)},
            format="multipart",
        ).json()
    assert queued["status"] == FeedImportStatus.QUEUED
    services.feed_import_run(import_id=queued["id"])  # what the task does
    done = api_client.get(f"{API}/import/{queued['id']}/").json()
    assert (done["status"], done["percent"], done["created"]) == ("done", 100, 2)
    assert [(bad["where"], list(bad["errors"])) for bad in done["errors"]] == [(2, ["external_id"])]
    # another administrator's province does not see it
    api_client.force_authenticate(f.officer())
    assert api_client.get(f"{API}/import/{queued['id']}/").status_code == 404


def test_bad_import_requests_name_the_field(api_client):
    api_client.force_authenticate(f.registry_admin())
    missing = api_client.post(f"{API}/import/", {"format": "json", "file": upload([])}, format="multipart")
    assert missing.status_code == 400
    assert "source" in missing.json()
    bad_format = api_client.post(
        f"{API}/import/", {"source": "x", "format": "xml", "file": upload([])}, format="multipart"
    )
    assert "format" in bad_format.json()
    binary = SimpleUploadedFile("feed.json", b"\xff\xfe\x00bad", "application/json")
    not_text = api_client.post(
        f"{API}/import/", {"source": "x", "format": "json", "file": binary}, format="multipart"
    )
    assert not_text.status_code == 400
    assert "file" in not_text.json()
    as_json = api_client.post(f"{API}/import/", {"source": "x", "format": "json"}, format="json")
    assert as_json.status_code == 415


def test_imports_are_rate_limited(api_client, settings, django_capture_on_commit_callbacks):
    settings.EMPLOYMENT_THROTTLE_WRITE = "1/min"
    api_client.force_authenticate(f.registry_admin())
    body = {"source": "gd", "format": "json"}
    with django_capture_on_commit_callbacks(execute=False):
        first = api_client.post(f"{API}/import/", {**body, "file": upload([])}, format="multipart")
        second = api_client.post(f"{API}/import/", {**body, "file": upload([])}, format="multipart")
    assert (first.status_code, second.status_code) == (202, 429)


@pytest.fixture
def partner_key():
    _partner, key = services.partner_create(actor=f.registry_admin(), name="广东省大学生就业创业网")
    return key


@pytest.mark.parametrize("role", ROLES)
def test_the_export_needs_a_partner_key_whoever_is_signed_in(api_client, as_role, role):
    as_role(role)
    response = api_client.get(f"{API}/export/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Partner"


def test_bad_keys_are_refused(api_client, partner_key):
    for header in ("Partner nonsense", f"Partner {partner_key}x", f"Token {partner_key}"):
        assert api_client.get(f"{API}/export/", HTTP_AUTHORIZATION=header).status_code == 401


def test_the_export_pages_open_verified_jobs_and_pulls_incrementally(api_client, partner_key):
    employer = f.employer()
    jobs = [f.job(employer, title=f"岗位{n}") for n in range(5)]
    job_services.job_close(actor=employer, job=jobs[0])
    f.job(employer, title="限男性", description="限男性，已婚已育优先。")  # held by the rules
    f.job(employer, title="岗位5")
    headers = {"HTTP_AUTHORIZATION": f"Partner {partner_key}"}
    first = api_client.get(f"{API}/export/", {"size": 3}, **headers).json()
    assert [j["title"] for j in first["results"]] == ["岗位1", "岗位2", "岗位3"]
    assert first["results"][0]["employer"]["credit_code"] == f.org_of(employer).credit_code
    assert first["results"][0]["url"].startswith("http://testserver/employment/jobs/")
    second = api_client.get(first["next"], **headers).json()
    assert [j["title"] for j in second["results"]] == ["岗位4", "岗位5"]
    assert second["next"] is None
    # since= the last pull: only what was posted after
    since = second["results"][-1]["posted_at"]
    f.job(employer, title="岗位6")
    newer = api_client.get(f"{API}/export/", {"since": since}, **headers).json()
    assert [j["title"] for j in newer["results"]] == ["岗位5", "岗位6"]  # since is inclusive


def test_the_export_also_takes_the_key_in_its_own_header(api_client, partner_key):
    assert api_client.get(f"{API}/export/", HTTP_X_PARTNER_KEY=partner_key).status_code == 200


def test_bad_export_parameters_are_400(api_client, partner_key):
    headers = {"HTTP_AUTHORIZATION": f"Partner {partner_key}"}
    for params, field in (
        ({"since": "yesterday"}, "since"),
        ({"cursor": "abc"}, "cursor"),
        ({"cursor": "9" * 30 + "-1"}, "cursor"),
        ({"size": 0}, "size"),
        ({"size": 10_000}, "size"),
    ):
        response = api_client.get(f"{API}/export/", params, **headers)
        assert response.status_code == 400, params
        assert field in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_the_feeds_page_is_for_administrators(client, as_role, role):
    from smartedu.portal.registry import nav_links_for

    user = as_role(role)
    response = client.get(reverse("employment:feeds-home"))
    admins = {"provincial_admin_other", "ministry_admin"}
    assert response.status_code == (200 if role in admins else 302 if role == "anonymous" else 403)
    shown = {link.url_name for link in nav_links_for(user)} if user else set()
    assert ("employment:feeds-home" in shown) == (role in admins)


def test_the_page_queues_an_import_and_shows_a_partner_key_once(client, django_capture_on_commit_callbacks):
    admin = f.registry_admin()
    client.force_login(admin)
    url = reverse("employment:feeds-home")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            url, {"part": "import", "source": "gd", "format": "json", "full": "on", "file": upload([])}
        )
    assert response.status_code == 302
    assert len(queued) == 1
    page = client.post(url, {"part": "partner", "name": "深圳市人才网"})
    key = page.context["new_key"]
    assert key in page.content.decode()
    assert key not in client.get(url).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_an_import_is_seen_by_administrators_only(api_client, as_role, role):
    feed = services.feed_import_start(
        actor=f.registry_admin(), source="gd", fmt="json", text="[]", queue=False
    )
    as_role(role)
    response = api_client.get(f"{API}/import/{feed.pk}/")
    # the ministry sees every import; a provincial administrator only its own
    assert response.status_code == {"anonymous": 401, "ministry_admin": 200}.get(role, 404)
