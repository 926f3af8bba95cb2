"""Writes are limited per real client address: a forged X-Forwarded-For does not reset the count."""

import pytest

from tests.factories import employment as f

pytestmark = pytest.mark.django_db
API = "/api/v1/employment"


def test_applications_are_rate_limited_on_the_client_address(api_client, settings):
    settings.EMPLOYMENT_THROTTLE_WRITE = "2/min"
    grad = f.graduate()
    api_client.force_authenticate(grad)
    jobs = [f.job() for _ in range(3)]
    statuses = [
        api_client.post(
            f"{API}/applications/", {"job": job.pk}, format="json", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n, job in enumerate(jobs)
    ]
    assert statuses == [201, 201, 429]


def test_verification_has_a_tighter_limit(api_client, settings):
    settings.EMPLOYMENT_THROTTLE_VERIFY = "1/min"
    api_client.force_authenticate(f.graduate(verified=False))
    body = {"name": "x", "id_number": "110101199003074477", "university": 1, "specialty": "x",
            "degree": "bachelor", "graduation_year": 2022}  # fmt: skip
    first = api_client.post(f"{API}/verification/", body, format="json")
    second = api_client.post(f"{API}/verification/", body, format="json")
    assert (first.status_code, second.status_code) == (400, 429)
