"""``/api/v1/employment/agreements/``: every endpoint across the roles, 409 on a changed version, 403 for an
officer of another university, bad and oversized bodies, rate limits."""

import json

import pytest

from employment.agreements.models import Agreement, AgreementStatus, Signature, SignerRole
from tests.employment.conftest import ROLES
from tests.factories import agreements as a
from tests.factories import employment as f

pytestmark = pytest.mark.django_db
API = "/api/v1/employment/agreements"
# The roles' users are never parties to the agreement under test, except the officer (of 中山大学).


@pytest.fixture
def waiting():
    """An agreement the graduate signed, waiting for the officers of 中山大学."""
    return a.agreement(signed=True)


@pytest.mark.parametrize("role", ROLES)
def test_the_list_is_scoped_to_the_caller(api_client, as_role, waiting, role):
    as_role(role)
    response = api_client.get(f"{API}/")
    expected = {"anonymous": 401, "student": 403}.get(role, 200)
    assert response.status_code == expected
    if expected == 200:
        ids = [row["id"] for row in response.json()["results"]]
        assert ids == ([waiting.pk] if role in ("officer", "ministry_admin") else [])


def test_each_party_lists_its_own(api_client, waiting):
    for user in (waiting.graduate, waiting.employer.user):
        api_client.force_authenticate(user)
        assert [row["id"] for row in api_client.get(f"{API}/").json()["results"]] == [waiting.pk]
    api_client.force_authenticate(waiting.graduate)
    assert api_client.get(f"{API}/", {"status": "in_force"}).json()["results"] == []
    assert api_client.get(f"{API}/", {"status": "nonsense"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_detail_is_for_parties_and_administrators_in_scope(api_client, as_role, waiting, role):
    as_role(role)
    response = api_client.get(f"{API}/{waiting.pk}/")
    expected = {"anonymous": 401, "officer": 200, "ministry_admin": 200}.get(role, 404)
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert body["version"] == 1
        assert [s["role"] for s in body["signatures"]] == [SignerRole.EMPLOYER, SignerRole.GRADUATE]
        assert body["current"]["content_hash"] == body["signatures"][0]["content_hash"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_graduates_university_officer_confirms(api_client, as_role, waiting, role):
    as_role(role)
    response = api_client.post(f"{API}/{waiting.pk}/sign/", {"version": 1}, format="json")
    expected = {"anonymous": 401, "officer": 201}.get(role, 404)
    assert response.status_code == expected, response.content
    waiting.refresh_from_db()
    assert waiting.status == (
        AgreementStatus.IN_FORCE if expected == 201 else AgreementStatus.AWAITING_OFFICER
    )


def test_an_officer_of_another_university_confirming_gets_403(api_client, waiting):
    api_client.force_authenticate(f.officer("北京大学"))
    response = api_client.post(f"{API}/{waiting.pk}/sign/", {"version": 1}, format="json")
    assert response.status_code == 403
    assert not Signature.objects.filter(agreement=waiting, role=SignerRole.OFFICER).exists()


def test_signing_a_version_that_changed_since_it_was_read_gets_409(api_client):
    agreement = a.agreement()
    api_client.force_authenticate(agreement.graduate)
    read = api_client.get(f"{API}/{agreement.pk}/").json()["version"]
    # the employer changes the salary meanwhile
    api_client.force_authenticate(agreement.employer.user)
    changed = api_client.patch(
        f"{API}/{agreement.pk}/",
        {"version": 1, "position": "Java开发工程师", "place": "广东省深圳市", "salary": 9000,
         "term_months": 36, "probation_months": 3},
        format="json",
    )  # fmt: skip
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    api_client.force_authenticate(agreement.graduate)
    response = api_client.post(f"{API}/{agreement.pk}/sign/", {"version": read}, format="json")
    assert response.status_code == 409
    assert response.json()["current"] == 2
    assert not Signature.objects.filter(agreement=agreement, role=SignerRole.GRADUATE).exists()
    # signing what is now current works, once
    first = api_client.post(f"{API}/{agreement.pk}/sign/", {"version": 2}, format="json")
    second = api_client.post(f"{API}/{agreement.pk}/sign/", {"version": 2}, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert Signature.objects.filter(agreement=agreement, role=SignerRole.GRADUATE).count() == 1


def test_a_signature_records_the_real_client_address_not_a_forged_header(api_client):
    agreement = a.agreement()
    api_client.force_authenticate(agreement.graduate)
    api_client.post(
        f"{API}/{agreement.pk}/sign/",
        {"version": 1},
        format="json",
        REMOTE_ADDR="198.51.100.20",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    signature = Signature.objects.get(agreement=agreement, role=SignerRole.GRADUATE)
    assert signature.client_ip == "198.51.100.20"


def test_the_employer_cannot_sign_and_a_stale_revision_gets_409(api_client):
    agreement = a.agreement()
    api_client.force_authenticate(agreement.employer.user)
    assert api_client.post(f"{API}/{agreement.pk}/sign/", {"version": 1}, format="json").status_code == 403
    body = {"version": 7, "position": "x", "place": "y", "salary": 1, "term_months": 2, "probation_months": 1}
    assert api_client.patch(f"{API}/{agreement.pk}/", body, format="json").status_code == 409
    api_client.force_authenticate(agreement.graduate)
    assert (
        api_client.patch(f"{API}/{agreement.pk}/", {**body, "version": 1}, format="json").status_code == 403
    )


@pytest.mark.parametrize("role", ROLES)
def test_cancelling_is_for_the_graduate_and_the_employer(api_client, as_role, waiting, role):
    as_role(role)
    response = api_client.post(f"{API}/{waiting.pk}/cancel/", {"reason": "另有安排"}, format="json")
    assert response.status_code == {"anonymous": 401, "officer": 403}.get(role, 404)
    waiting.refresh_from_db()
    assert waiting.cancel_requested_at is None


def test_cancelling_needs_a_reason_then_both_consents(api_client):
    agreement = a.agreement(officer=f.officer())
    api_client.force_authenticate(agreement.employer.user)
    refused = api_client.post(f"{API}/{agreement.pk}/cancel/", {}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()
    asked = api_client.post(f"{API}/{agreement.pk}/cancel/", {"reason": "岗位调整"}, format="json")
    assert asked.json()["status"] == AgreementStatus.IN_FORCE
    api_client.force_authenticate(agreement.graduate)
    done = api_client.post(f"{API}/{agreement.pk}/cancel/", {}, format="json")
    assert done.status_code == 200
    assert done.json()["status"] == AgreementStatus.CANCELLED


@pytest.mark.parametrize("role", ROLES)
def test_the_pdf_is_for_the_three_parties_only(api_client, as_role, waiting, role):
    as_role(role)
    response = api_client.get(f"{API}/{waiting.pk}/pdf")
    assert response.status_code == {"anonymous": 401, "officer": 200}.get(role, 404)


def test_the_pdf_carries_the_signature_log(api_client, waiting):
    api_client.force_authenticate(waiting.graduate)
    response = api_client.get(f"{API}/{waiting.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_employer_of_a_hired_application_drafts(api_client, as_role, role):
    application = a.hired()
    as_role(role)
    body = {"application": application.pk, "position": "Java开发工程师", "place": "深圳", "salary": 12000,
            "term_months": 36, "probation_months": 3}  # fmt: skip
    response = api_client.post(f"{API}/", body, format="json")
    # a verified employer who is not this application's gets 404, like a missing application
    assert response.status_code == {"anonymous": 401, "employer": 404}.get(role, 403)
    assert not Agreement.objects.exists()


def test_drafting_twice_is_one_agreement_and_bad_terms_name_the_field(api_client):
    application = a.hired()
    api_client.force_authenticate(application.employer.user)
    body = {"application": application.pk, "position": "Java开发工程师", "place": "深圳", "salary": 12000,
            "term_months": 36, "probation_months": 3}  # fmt: skip
    bad = api_client.post(f"{API}/", {**body, "probation_months": 12}, format="json")
    assert bad.status_code == 400
    assert "probation_months" in bad.json()
    first = api_client.post(f"{API}/", body, format="json")
    second = api_client.post(f"{API}/", body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["current"]["clauses"].startswith("一、")


def test_missing_version_and_bad_bodies_are_400(api_client, waiting):
    api_client.force_authenticate(waiting.graduate)
    url = f"{API}/{waiting.pk}/sign/"
    missing = api_client.post(url, {}, format="json")
    assert missing.status_code == 400
    assert "version" in missing.json()
    assert api_client.post(url, {"version": "x"}, format="json").status_code == 400
    nested = api_client.generic(
        "POST", url, '{"version": ' + "[" * 5000 + "]" * 5000 + "}", "application/json"
    )
    assert nested.status_code == 400
    huge = json.dumps({"reason": "x" * 2_000_000})
    response = api_client.generic("POST", f"{API}/{waiting.pk}/cancel/", huge, "application/json")
    assert response.status_code in (400, 413)
    waiting.refresh_from_db()
    assert waiting.cancel_requested_at is None


def test_writes_are_rate_limited_on_the_client_address(api_client, settings, waiting):
    settings.EMPLOYMENT_THROTTLE_WRITE = "2/min"
    api_client.force_authenticate(waiting.graduate)
    statuses = [
        api_client.post(
            f"{API}/{waiting.pk}/sign/", {"version": 1}, format="json", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]  # already signed: the same signature, until the limit


@pytest.mark.parametrize("role", ROLES)
def test_only_the_employer_changes_the_terms(api_client, as_role, waiting, role):
    as_role(role)
    body = {"version": 1, "position": "测试岗", "place": "广州", "salary": 9000, "term_months": 24,
            "probation_months": 2}  # fmt: skip
    response = api_client.patch(f"{API}/{waiting.pk}/", body, format="json")
    # the officer of the university is a party but not the one who writes the terms
    assert response.status_code == {"anonymous": 401, "officer": 403}.get(role, 404)
    waiting.refresh_from_db()
    assert waiting.version == 1
