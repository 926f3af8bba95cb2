"""``/api/v1/employment/fairs/``: every endpoint across the roles, bad input, duplicates, throttling."""

from datetime import timedelta

import pytest
from django.utils import timezone

from employment.fairs.models import Fair, FairApplication, FairRegistration
from employment.models import Application
from tests.employment.conftest import ROLES
from tests.factories import employment as f
from tests.factories import employment_fairs as ff

pytestmark = pytest.mark.django_db
API = "/api/v1/employment"


def fair_payload(**changes):
    start = timezone.now() + timedelta(days=3)
    return {
        "title": "医疗卫生行业专场招聘会",
        "kind": "sector",
        "sector": "医疗卫生",
        "industry": "Q",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=7)).isoformat(),
        **changes,
    }


@pytest.mark.parametrize("role", ROLES)
def test_fairs_are_public_to_read(api_client, as_role, role):
    fair = ff.fair()
    ff.approved_employer(fair)
    as_role(role)
    listing = api_client.get(f"{API}/fairs/?state=running")
    assert listing.status_code == 200
    assert [x["id"] for x in listing.json()["results"]] == [fair.pk]
    detail = api_client.get(f"{API}/fairs/{fair.pk}/").json()
    assert detail["employer_count"] == 1
    assert len(detail["participants"][0]["jobs"]) == 2


def test_bad_list_filters_name_the_parameter(api_client):
    response = api_client.get(f"{API}/fairs/?state=soon")
    assert response.status_code == 400
    assert "state" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_who_creates_fairs(api_client, as_role, role):
    as_role(role)
    response = api_client.post(f"{API}/fairs/", fair_payload(), format="json")
    status = {"anonymous": 401, "officer": 201, "provincial_admin_other": 201, "ministry_admin": 201}.get(
        role, 403
    )
    assert response.status_code == status, response.content
    assert Fair.objects.count() == (1 if status == 201 else 0)


def test_bad_fair_input_names_the_field(api_client, as_role):
    as_role("ministry_admin")
    response = api_client.post(f"{API}/fairs/", fair_payload(sector="", ends_at="yesterday"), format="json")
    assert response.status_code == 400
    assert "ends_at" in response.json()
    response = api_client.post(f"{API}/fairs/", fair_payload(sector=""), format="json")
    assert response.status_code == 400
    assert "sector" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_who_registers(api_client, as_role, role):
    fair = ff.fair()
    user = as_role(role)
    jobs = [f.job(user).pk] if role == "employer" else [f.job().pk]
    response = api_client.post(f"{API}/fairs/{fair.pk}/registrations/", {"jobs": jobs}, format="json")
    status = {"anonymous": 401, "employer": 201}.get(role, 403)
    assert response.status_code == status, response.content
    if role == "employer":
        again = api_client.post(f"{API}/fairs/{fair.pk}/registrations/", {"jobs": jobs}, format="json")
        assert again.status_code == 200
        assert again.json()["id"] == response.json()["id"]
    assert FairRegistration.objects.count() == (1 if status == 201 else 0)


def test_bad_registration_input_names_the_field(api_client, as_role):
    fair = ff.fair()
    as_role("employer")
    assert (
        "jobs"
        in api_client.post(f"{API}/fairs/{fair.pk}/registrations/", {"jobs": ["x"]}, format="json").json()
    )
    response = api_client.post(f"{API}/fairs/{fair.pk}/registrations/", {"jobs": [f.job().pk]}, format="json")
    assert response.status_code == 400
    assert "jobs" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_registrations(api_client, as_role, role):
    fair = ff.fair(organisers=("中山大学",))  # national (no province): the ministry and 中山大学's officer
    other = ff.registration(fair)
    user = as_role(role)
    own = ff.registration(fair, user) if role == "employer" else None
    response = api_client.get(f"{API}/fairs/{fair.pk}/registrations/")
    status = {"anonymous": 401, "employer": 200, "officer": 200, "ministry_admin": 200}.get(role, 403)
    assert response.status_code == status
    if role == "employer":
        assert [r["id"] for r in response.json()["results"]] == [own.pk]
        assert api_client.get(f"{API}/fairs/{fair.pk}/registrations/{other.pk}/").status_code == 404
    elif status == 200:
        assert response.json()["count"] == 1


@pytest.mark.parametrize("role", ROLES)
def test_who_approves(api_client, as_role, role):
    fair = ff.fair(organisers=("中山大学",))
    registration = ff.registration(fair)
    as_role(role)
    response = api_client.patch(
        f"{API}/fairs/{fair.pk}/registrations/{registration.pk}/", {"decision": "approved"}, format="json"
    )
    status = {"anonymous": 401, "officer": 200, "ministry_admin": 200}.get(role, 404)
    assert response.status_code == status, response.content
    registration.refresh_from_db()
    assert registration.status == ("approved" if status == 200 else "pending")


def test_bad_decision_names_the_field(api_client, as_role):
    fair = ff.fair()
    registration = ff.registration(fair)
    as_role("ministry_admin")
    url = f"{API}/fairs/{fair.pk}/registrations/{registration.pk}/"
    assert "decision" in api_client.patch(url, {"decision": "maybe"}, format="json").json()
    response = api_client.patch(url, {"decision": "rejected"}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_who_applies_from_a_fair(api_client, as_role, role):
    fair = ff.fair()
    _, jobs = ff.approved_employer(fair)
    as_role(role)
    response = api_client.post(f"{API}/fairs/{fair.pk}/applications/", {"job": jobs[0].pk}, format="json")
    status = {"anonymous": 401, "graduate": 201}.get(role, 403)
    assert response.status_code == status, response.content
    if role == "graduate":
        again = api_client.post(f"{API}/fairs/{fair.pk}/applications/", {"job": jobs[0].pk}, format="json")
        assert again.status_code == 200
    assert FairApplication.objects.count() == Application.objects.count() == (1 if status == 201 else 0)


def test_bad_application_input_names_the_field(api_client, as_role):
    fair = ff.fair()
    as_role("graduate")
    assert "job" in api_client.post(f"{API}/fairs/{fair.pk}/applications/", {}, format="json").json()
    response = api_client.post(f"{API}/fairs/{fair.pk}/applications/", {"job": f.job().pk}, format="json")
    assert response.status_code == 400
    assert "job" in response.json()
    assert api_client.post(f"{API}/fairs/999999/applications/", {"job": 1}, format="json").status_code == 404


def test_fair_writes_are_rate_limited(api_client, as_role, settings):
    settings.EMPLOYMENT_THROTTLE_WRITE = "2/min"
    fair = ff.fair()
    _, jobs = ff.approved_employer(fair)
    as_role("graduate")
    codes = [
        api_client.post(
            f"{API}/fairs/{fair.pk}/applications/", {"job": jobs[0].pk}, format="json"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [201, 200, 429]
