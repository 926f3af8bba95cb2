"""Fair pages: the list, a fair's page with live and frozen figures and its beacon, applying, registering,
the organisers' page — across the roles."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from employment.fairs import services
from employment.fairs.models import Fair, FairApplication, FairRegistration
from tests.employment.conftest import ROLES
from tests.factories import employment as f
from tests.factories import employment_fairs as ff

pytestmark = pytest.mark.django_db


def test_the_fair_page_shows_figures_jobs_and_the_beacon(client, django_assert_max_num_queries):
    fair = ff.fair()
    for _ in range(3):
        ff.approved_employer(fair)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("employment:fairs-detail", args=[fair.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '"kind": "employment.fair"' in html
    assert 'id="fig-employers">3<' in html
    assert 'id="fig-jobs">6<' in html


def test_the_fair_list_filters_and_pins_its_queries(client, django_assert_max_num_queries):
    for i in range(5):
        ff.fair(title=f"专场{i}")
    ff.fair(title="即将开始", starts_in=timedelta(days=3))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("employment:fairs-list") + "?state=upcoming")
    assert response.status_code == 200
    assert response.content.decode().count('class="fair-card"') == 1


@pytest.mark.parametrize("role", ROLES)
def test_applying_from_the_fair_page(client, as_role, role):
    fair = ff.fair()
    _, jobs = ff.approved_employer(fair)
    as_role(role)
    page = client.get(reverse("employment:fairs-detail", args=[fair.pk])).content.decode()
    assert ('class="fair-apply"' in page) == (role == "graduate")
    response = client.post(reverse("employment:fairs-apply", args=[fair.pk, jobs[0].pk]))
    expected = {"anonymous": 302, "graduate": 302}.get(role, 403)
    assert response.status_code == expected
    assert FairApplication.objects.count() == (1 if role == "graduate" else 0)
    if role == "graduate":
        client.post(reverse("employment:fairs-apply", args=[fair.pk, jobs[0].pk]))  # double click
        assert FairApplication.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_registering_from_the_fair_page(client, as_role, role):
    fair = ff.fair()
    user = as_role(role)
    job = f.job(user) if role == "employer" else f.job()
    response = client.post(reverse("employment:fairs-register", args=[fair.pk]), {"jobs": [job.pk]})
    assert response.status_code == {"anonymous": 302, "employer": 302}.get(role, 403)
    assert FairRegistration.objects.count() == (1 if role == "employer" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_the_organisers_page(client, as_role, role):
    fair = ff.fair(organisers=("中山大学",))
    registration = ff.registration(fair)
    as_role(role)
    url = reverse("employment:fairs-manage", args=[fair.pk])
    expected = {"anonymous": 302, "officer": 200, "ministry_admin": 200}.get(role, 404)
    assert client.get(url).status_code == expected
    client.post(url, {"registration": registration.pk, "decision": "approved"})
    registration.refresh_from_db()
    assert registration.status == ("approved" if expected == 200 else "pending")


def test_a_past_fair_shows_its_frozen_figures(client):
    fair = ff.fair()
    _, jobs = ff.approved_employer(fair)
    services.fair_apply(graduate=f.graduate(), fair=fair, job=jobs[0])
    services.fairs_freeze_closed(now=fair.ends_at + timedelta(seconds=1))
    html = client.get(reverse("employment:fairs-detail", args=[fair.pk])).content.decode()
    assert 'id="fig-applications">1<' in html
    assert 'id="fair-frozen"' in html


def test_a_fair_is_searchable_until_it_closes(search_indexed):
    from smartedu.search.models import SearchDocument

    fair = ff.fair()
    document = SearchDocument.objects.get(kind="employment.fair", object_id=fair.pk)
    assert document.expires_at == fair.ends_at


@pytest.mark.parametrize(
    "path",
    [
        "/employment/fairs/?state=x&kind=y&page=abc",
        "/employment/fairs/999999/",
        "/employment/guidance/encyclopedia/?category=%00&q=" + "长" * 200,
        "/employment/guidance/articles/?tag=" + "x" * 100 + "&page=-1",
        "/employment/guidance/cases/?destination=nope",
        "/employment/guidance/live/?when=%3Cscript%3E",
        "/employment/guidance/programs/?kind=zzz",
        "/employment/guidance/reports/?q=%E4%B8%AD",
        "/employment/guidance/assessments/999999/",
    ],
)
def test_odd_input_never_breaks_a_page(client, path):
    assert client.get(path).status_code in (200, 404)


def test_odd_posts_never_break_a_page(client):
    fair = ff.fair()
    client.force_login(f.graduate())
    assert client.post(f"/employment/fairs/{fair.pk}/jobs/999999/apply/").status_code == 404
    client.force_login(ff.ministry())
    url = reverse("employment:fairs-manage", args=[fair.pk])
    assert client.post(url, {"registration": "abc", "decision": "approved"}).status_code == 404
    registration = ff.registration(fair)
    response = client.post(url, {"registration": registration.pk, "decision": "maybe"})
    assert response.status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_who_creates_a_fair_from_the_form(client, as_role, role):
    as_role(role)
    url = reverse("employment:fairs-new")
    data = {
        "title": "2026届医疗卫生行业专场招聘会",
        "kind": "sector",
        "sector": "医疗卫生",
        "starts_at": "2030-03-01T09:00",
        "ends_at": "2030-03-08T17:00",
    }
    response = client.post(url, data)
    allowed = role in ("officer", "provincial_admin_other", "ministry_admin")
    assert response.status_code == (302 if allowed else 302 if role == "anonymous" else 403)
    assert Fair.objects.count() == (1 if allowed else 0)
    if allowed:
        fair = Fair.objects.get()
        assert timezone.localtime(fair.starts_at).hour == 9  # Beijing time


def test_bad_fair_form_input_is_named(client):
    client.force_login(ff.ministry())
    response = client.post(
        reverse("employment:fairs-new"),
        {
            "title": "联合双选会",
            "kind": "joint",
            "starts_at": "2030-03-08T09:00",
            "ends_at": "2030-03-01T09:00",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("has-error") == 2  # ends_at, organisers
    assert Fair.objects.count() == 0
