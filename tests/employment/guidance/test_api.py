"""``/api/v1/employment/assessments/`` and ``guidance/``: every endpoint across the roles, bad input,
duplicates, pagination and filters, throttling."""

from datetime import timedelta

import pytest
from django.utils import timezone

from employment.guidance import services
from employment.guidance.models import (
    Article,
    CareerCase,
    EncyclopediaEntry,
    KeyProgram,
    LiveRegistration,
    Submission,
    SubmissionShare,
    Tag,
)
from tests.employment.conftest import ROLES
from tests.factories import employment as f
from tests.factories import employment_guidance as fg

pytestmark = pytest.mark.django_db
API = "/api/v1/employment"


@pytest.mark.parametrize("role", ROLES)
def test_assessments_are_public_to_read(api_client, as_role, role):
    assessment = fg.riasec()
    as_role(role)
    listing = api_client.get(f"{API}/assessments/")
    assert listing.status_code == 200
    assert next(a["slug"] for a in listing.json()["results"]) == "holland-riasec"
    detail = api_client.get(f"{API}/assessments/{assessment.pk}/").json()
    assert len(detail["questions"]) == 36
    assert [d["code"] for d in detail["dimensions"]] == list("RIASEC")
    assert detail["scale"][0] == {"value": 1, "label": "非常不符合"}


@pytest.mark.parametrize("role", ROLES)
def test_who_submits(api_client, as_role, role):
    assessment = fg.riasec()
    as_role(role)
    url = f"{API}/assessments/{assessment.pk}/submissions/"
    response = api_client.post(url, {"answers": fg.answers(assessment, 4), "token": "abc"}, format="json")
    status = {"anonymous": 401, "graduate": 201, "graduate_unverified": 201}.get(role, 403)
    assert response.status_code == status, response.content
    if status == 201:
        assert len(response.json()["profile"]["code"]) == 3
        again = api_client.post(url, {"answers": fg.answers(assessment, 4), "token": "abc"}, format="json")
        assert again.status_code == 200
        assert api_client.get(url).json()["count"] == 1
    else:
        assert api_client.get(url).status_code == status
    assert Submission.objects.count() == (1 if status == 201 else 0)


def test_missing_answers_get_400_naming_them(api_client, as_role):
    assessment = fg.riasec()
    as_role("graduate")
    answers = fg.answers(assessment)
    del answers["5"]
    response = api_client.post(
        f"{API}/assessments/{assessment.pk}/submissions/", {"answers": answers}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["missing"] == ["5"]
    response = api_client.post(
        f"{API}/assessments/{assessment.pk}/submissions/", {"answers": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "answers" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_a_result_and_shares_it(api_client, as_role, role):
    assessment = fg.riasec()
    owner = f.graduate()
    submission, _ = services.submission_create(
        user=owner, assessment=assessment, answers=fg.answers(assessment)
    )
    officer = f.officer("中山大学")
    as_role(role)
    assert api_client.get(f"{API}/assessments/results/{submission.pk}/").status_code == (
        401 if role == "anonymous" else 404
    )
    response = api_client.post(
        f"{API}/assessments/results/{submission.pk}/shares/", {"recipient": officer.pk}, format="json"
    )
    assert response.status_code == (401 if role == "anonymous" else 404)
    assert SubmissionShare.objects.count() == 0


def test_the_owner_shares_and_the_recipient_reads(api_client):
    assessment = fg.riasec()
    owner = f.graduate()
    submission, _ = services.submission_create(
        user=owner, assessment=assessment, answers=fg.answers(assessment)
    )
    officer, stranger = f.officer("中山大学"), f.officer("暨南大学")
    api_client.force_authenticate(owner)
    url = f"{API}/assessments/results/{submission.pk}/shares/"
    bad = api_client.post(url, {"recipient": stranger.pk}, format="json")
    assert bad.status_code == 400
    assert "recipient" in bad.json()
    assert api_client.post(url, {"recipient": officer.pk}, format="json").status_code == 201
    assert api_client.post(url, {"recipient": officer.pk}, format="json").status_code == 200
    api_client.force_authenticate(officer)
    assert api_client.get(f"{API}/assessments/results/{submission.pk}/").json()["id"] == submission.pk
    api_client.force_authenticate(stranger)
    assert api_client.get(f"{API}/assessments/results/{submission.pk}/").status_code == 404


def _content():
    now = timezone.now()
    policy = Article.objects.create(title="就业政策解读", category="policy", body="正文", published_at=now)
    policy.tags.set([Tag.objects.create(name="基层就业")])
    Article.objects.create(title="招聘会新闻", category="news", body="正文", published_at=now)
    Article.objects.create(title="未发布", category="news", body="正文", published_at=now + timedelta(days=1))
    for i in range(25):
        EncyclopediaEntry.objects.create(
            title=f"职业{i}",
            category="信息技术" if i % 2 else "教育",
            summary="s",
            duties="d",
            requirements="r",
        )
    CareerCase.objects.create(title="西部计划志愿者", person="小陈", destination="grassroots", body="故事")
    CareerCase.objects.create(title="入职深圳", person="小林", destination="employment", body="故事")
    KeyProgram.objects.create(
        title="西部计划", kind="grassroots", organiser="团中央", summary="s", eligibility="e", policies="p"
    )


@pytest.mark.parametrize("role", ROLES)
def test_guidance_lists_are_public_paginated_and_filtered(api_client, as_role, role):
    _content()
    as_role(role)
    articles = api_client.get(f"{API}/guidance/articles/").json()
    assert articles["count"] == 2  # not the one published tomorrow
    assert [
        a["title"] for a in api_client.get(f"{API}/guidance/articles/?tag=基层就业").json()["results"]
    ] == ["就业政策解读"]
    assert api_client.get(f"{API}/guidance/articles/?category=news").json()["count"] == 1
    entries = api_client.get(f"{API}/guidance/encyclopedia/").json()
    assert entries["count"] == 25
    assert len(entries["results"]) == 20
    assert entries["next"]
    assert api_client.get(f"{API}/guidance/encyclopedia/?category=教育").json()["count"] == 13
    assert api_client.get(f"{API}/guidance/cases/?destination=grassroots").json()["count"] == 1
    assert api_client.get(f"{API}/guidance/programs/?kind=grassroots").json()["count"] == 1
    assert api_client.get(f"{API}/guidance/courses/").status_code == 200
    assert api_client.get(f"{API}/guidance/training/").status_code == 200


@pytest.mark.parametrize(
    ("path", "param"),
    [("articles", "category"), ("cases", "destination"), ("courses", "when"), ("programs", "kind")],
)
def test_bad_filters_name_the_parameter(api_client, path, param):
    response = api_client.get(f"{API}/guidance/{path}/?{param}=nonsense")
    assert response.status_code == 400
    assert param in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_who_registers_for_a_live_course(api_client, as_role, role):
    course = fg.live_course(starts_in=timedelta(days=1))
    as_role(role)
    url = f"{API}/guidance/courses/{course.pk}/registrations/"
    response = api_client.post(url)
    assert response.status_code == (401 if role == "anonymous" else 201)
    if role != "anonymous":
        assert api_client.post(url).status_code == 200
    assert LiveRegistration.objects.count() == (0 if role == "anonymous" else 1)


@pytest.mark.parametrize("role", ROLES)
def test_who_makes_training_progress(api_client, as_role, role):
    course = fg.training_course(lessons=4)
    as_role(role)
    response = api_client.post(f"{API}/guidance/training/{course.pk}/progress/", {"lesson": 1}, format="json")
    status = {"anonymous": 401, "graduate": 200, "graduate_unverified": 200}.get(role, 403)
    assert response.status_code == status
    if status == 200:
        assert response.json() == {"done": [1], "total": 4, "percent": 25}
        bad = api_client.post(f"{API}/guidance/training/{course.pk}/progress/", {"lesson": 0}, format="json")
        assert bad.status_code == 400
        assert "lesson" in bad.json()


def test_guidance_writes_are_rate_limited(api_client, as_role, settings):
    settings.EMPLOYMENT_THROTTLE_WRITE = "2/min"
    course = fg.live_course(starts_in=timedelta(days=1))
    as_role("graduate")
    codes = [
        api_client.post(f"{API}/guidance/courses/{course.pk}/registrations/").status_code for _ in range(3)
    ]
    assert codes == [201, 200, 429]
