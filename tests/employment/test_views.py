"""The HTML pages: who may open each, what they show, and pinned query counts on the lists."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from employment import services
from employment.models import Application, ApplicationStatus, Employer, EmployerStatus
from tests.employment.conftest import ROLES
from tests.factories import employment as f

pytestmark = pytest.mark.django_db

# page → roles that may open it (everyone else: the login page for anonymous, 403 otherwise)
PAGES = {
    "employment:me": {"graduate", "graduate_unverified"},
    "employment:verify": {"graduate", "graduate_unverified"},
    "employment:intention": {"graduate", "graduate_unverified"},
    "employment:resume": {"graduate", "graduate_unverified"},
    "employment:employer-home": {"employer", "employer_unverified"},
    "employment:job-new": {"employer"},
    "employment:inbox": {"employer"},
    "employment:talent": {"employer"},
    "employment:officer": {"officer"},
    "employment:review": {"provincial_admin_other", "ministry_admin"},
    "employment:registry": {"provincial_admin_other", "ministry_admin"},
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_each_page(client, as_role, role):
    as_role(role)
    for name, allowed in PAGES.items():
        response = client.get(reverse(name))
        if role in allowed:
            assert response.status_code == 200, (name, role)
        elif role == "anonymous":
            assert response.status_code == 302, name
            assert "/accounts/login/" in response["Location"], name
        else:
            assert response.status_code == 403, (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_navigation_shows_exactly_the_pages_a_role_may_open(client, as_role, role):
    from smartedu.portal.registry import nav_links_for

    user = as_role(role)
    shown = {link.url_name for link in nav_links_for(user)} if user else set()
    # Part 1's links (the part-2 apps test theirs beside their pages: tests/employment/<app>/test_views.py).
    mine = {name for name in shown if name in PAGES}
    linked = {
        "employment:me",
        "employment:employer-home",
        "employment:officer",
        "employment:review",
        "employment:registry",
    }
    assert mine == {name for name in linked if role in PAGES[name]}


def test_public_pages_carry_beacons(client):
    job = f.job()
    for url, kind in (
        (reverse("employment:job", args=[job.pk]), "employment.job"),
        (reverse("employment:employer", args=[job.employer_id]), "employment.employer"),
        (reverse("employment:index"), "employment.home"),
    ):
        body = client.get(url).content.decode()
        assert f'"kind": "{kind}"' in body, url


def test_pending_employers_and_held_jobs_are_not_public(client):
    pending = f.org_of(f.employer(verified=False))
    held = f.job(description="限男性")
    assert client.get(reverse("employment:employer", args=[pending.pk])).status_code == 404
    assert client.get(reverse("employment:job", args=[held.pk])).status_code == 404


def test_job_list_query_count_is_pinned(client, django_assert_num_queries):
    owner = f.employer()
    for n in range(3):
        f.job(owner, title=f"会计{n}")
    client.get(reverse("employment:jobs"), {"industry": "I"})  # warm caches (the industry codes' ids)
    # the bounded count, one page with its joins, the provinces and industries of the filter form
    with django_assert_num_queries(4):
        response = client.get(reverse("employment:jobs"), {"industry": "I", "sort": "salary"})
    assert response.content.decode().count('class="em-job"') == 3
    for n in range(30):
        f.job(owner, title=f"出纳{n}")
    with django_assert_num_queries(4):
        client.get(reverse("employment:jobs"))


def test_job_list_keyset_pages_cover_every_job_once(client):
    owner = f.employer()
    ids = {f.job(owner, title=f"工程师{n}").pk for n in range(45)}
    seen: list[int] = []
    url = reverse("employment:jobs")
    params = {}
    while True:
        response = client.get(url, params)
        page = response.context["page"]
        seen += [j.pk for j in page.jobs]
        if not page.next_cursor:
            break
        params = {"cursor": page.next_cursor}
    assert sorted(seen) == sorted(ids)


def test_inbox_query_count_and_csv(client, django_assert_num_queries):
    owner = f.employer()
    job = f.job(owner)
    for _ in range(3):
        f.application(target=job)
    client.force_login(owner)
    client.get(reverse("employment:inbox"))
    with django_assert_num_queries(8):
        response = client.get(reverse("employment:inbox"))
    assert response.content.decode().count("data-application=") == 3
    f.application(target=job)
    with django_assert_num_queries(8):
        client.get(reverse("employment:inbox"))
    csv = client.get(reverse("employment:inbox"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode("utf-8-sig").count("\n") == 5


def test_inbox_bulk_action(client):
    owner = f.employer()
    job = f.job(owner)
    a, b = f.application(target=job), f.application(target=job)
    client.force_login(owner)
    client.post(reverse("employment:inbox"), {"ids": [a.pk, b.pk], "status": "interview"})
    assert set(Application.objects.values_list("status", flat=True)) == {ApplicationStatus.INTERVIEW}


def test_officer_sees_own_university_only(client):
    mine = f.graduate(university_name="中山大学", name="自己学校")
    f.graduate(university_name="北京大学", name="别的学校")
    client.force_login(f.officer("中山大学"))
    body = client.get(reverse("employment:officer")).content.decode()
    assert "自己学校" in body
    assert "别的学校" not in body
    client.force_login(f.officer("中山大学", approved=False))
    assert client.get(reverse("employment:officer")).status_code == 403
    del mine


def test_employer_opening_an_application_marks_it_viewed_and_sees_the_unmasked_phone(client):
    owner = f.employer()
    grad = f.graduate()
    f.resume(grad, phone="13812345678")
    application = f.application(applicant=grad, target=f.job(owner))
    client.force_login(owner)
    body = client.get(reverse("employment:application", args=[application.pk])).content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.VIEWED
    assert "13812345678" in body


def test_talent_resume_masks_phone_and_id_without_an_application(client):
    grad = f.graduate()
    f.resume(grad, consent=True, phone="13812345678")
    owner = f.employer()
    client.force_login(owner)
    body = client.get(reverse("employment:talent-resume", args=[grad.pk])).content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body
    assert f.profile_of(grad).id_number not in body
    services.resume_consent_set(user=grad, consent=False)
    assert client.get(reverse("employment:talent-resume", args=[grad.pk])).status_code == 404


def test_review_page_decides_and_logs(client):
    org = f.org_of(f.employer(verified=False))
    admin = f.registry_admin()
    client.force_login(admin)
    assert org.name in client.get(reverse("employment:review")).content.decode()
    client.post(
        reverse("employment:review"), {"part": "employer", "employer": org.pk, "decision": "verified"}
    )
    assert Employer.objects.get(pk=org.pk).status == EmployerStatus.VERIFIED
    assert org.reviews.count() == 1
    licence = client.get(reverse("employment:licence", args=[org.pk]))
    assert licence.status_code == 200
    assert licence["Content-Type"] == "application/pdf"
    client.force_login(f.employer())
    assert client.get(reverse("employment:licence", args=[org.pk])).status_code == 404


def test_registry_page_imports_and_shows_bad_rows(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(f.registry_admin())
    text = "\n".join(
        [
            "name,id_number,university,specialty,degree,graduation_year",
            f"张三,{f.id_number()},中山大学,法学,本科,2022",
            "李四,123,中山大学,法学,本科,2022",
        ]
    )
    response = client.post(
        reverse("employment:registry"), {"file": SimpleUploadedFile("r.csv", text.encode())}, follow=True
    )
    latest = response.context["imports"][0]
    assert (latest.created, latest.errors[0]["line"]) == (1, 3)
    assert f'data-import="{latest.pk}"' in response.content.decode()


def test_resume_pdf_has_chinese_text(client):
    grad = f.graduate()
    f.resume(grad)
    client.force_login(grad)
    response = client.get(reverse("employment:resume-pdf"))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("林小红", "中山大学", "软件工程应届生", "Python"):
        assert expected in text


def test_an_employer_edits_its_own_job_and_the_rules_run_again(client):
    owner = f.employer()
    job = f.job(owner)
    url = reverse("employment:job-edit", args=[job.pk])
    client.force_login(f.employer())
    assert client.get(url).status_code == 404  # another employer's job
    client.force_login(owner)
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(industry=job.industry_id, province=job.province_id, description="限男性。负责开发。")
    response = client.post(url, data)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "flagged"
    assert job.description == "限男性。负责开发。"


def test_a_graduate_keeps_favourites_and_others_cannot(client):
    job = f.job(title="数据分析师")
    url = reverse("employment:favourite", args=[job.pk])
    client.force_login(f.employer())
    assert client.post(url, {"on": "1"}).status_code == 403
    grad = f.graduate(verified=False)
    client.force_login(grad)
    client.post(url, {"on": "1"})
    client.post(url, {"on": "1"})  # a double click keeps one row
    assert "数据分析师" in client.get(reverse("employment:me")).content.decode()
    from employment.models import Favourite

    assert Favourite.objects.filter(user=grad).count() == 1
    client.post(url, {"on": "0"})
    assert not Favourite.objects.filter(user=grad).exists()
