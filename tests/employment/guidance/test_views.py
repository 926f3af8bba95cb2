"""Career guidance pages across the roles: taking an assessment, the private profile, sharing, content
pages with their beacons, quality report uploads, the counted redirect (no open redirect), search."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from employment.guidance import services
from employment.guidance.models import Article, EncyclopediaEntry, QualityReport, Submission
from employment.seed import MINIMAL_PDF
from smartedu.search.models import SearchDocument
from tests.employment.conftest import ROLES
from tests.factories import employment as f
from tests.factories import employment_guidance as fg

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_taking_an_assessment(client, as_role, role):
    assessment = fg.riasec()
    as_role(role)
    url = reverse("employment:guidance-assessment", args=[assessment.pk])
    page = client.get(url)
    assert page.status_code == 200
    takes = role in ("graduate", "graduate_unverified")
    assert ('name="q-1"' in page.content.decode()) == takes
    data = {f"q-{k}": v for k, v in fg.answers(assessment, 4).items()} | {"token": "t"}
    response = client.post(url, data)
    assert response.status_code == (302 if takes else 403)
    assert Submission.objects.count() == (1 if takes else 0)
    if takes:
        client.post(url, data)  # double submit
        assert Submission.objects.count() == 1
        profile = client.get(response["Location"]).content.decode()
        assert 'id="holland-code"' in profile


def test_missing_answers_are_marked_on_the_form(client):
    assessment = fg.riasec()
    client.force_login(f.graduate())
    data = {f"q-{k}": v for k, v in fg.answers(assessment, 4).items() if k != "7"}
    response = client.post(reverse("employment:guidance-assessment", args=[assessment.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert '<li id="q7" class="has-error">' in html
    assert 'value="4" checked' in html  # the other answers are kept


@pytest.mark.parametrize("role", ROLES)
def test_a_result_page_is_private(client, as_role, role):
    assessment = fg.riasec()
    submission, _ = services.submission_create(
        user=f.graduate(), assessment=assessment, answers=fg.answers(assessment)
    )
    as_role(role)
    response = client.get(reverse("employment:guidance-result", args=[submission.pk]))
    assert response.status_code == (302 if role == "anonymous" else 404)


def test_sharing_from_the_result_page(client):
    assessment = fg.riasec()
    graduate = f.graduate()
    officer = f.officer("中山大学")
    submission, _ = services.submission_create(
        user=graduate, assessment=assessment, answers=fg.answers(assessment)
    )
    client.force_login(graduate)
    url = reverse("employment:guidance-result", args=[submission.pk])
    assert f'<option value="{officer.pk}">' in client.get(url).content.decode()
    client.post(url, {"recipient": officer.pk})
    client.force_login(officer)
    assert client.get(reverse("employment:guidance-results")).content.decode().count(url) == 1
    assert client.get(url).status_code == 200


def test_content_pages_render_with_their_beacons(client, django_assert_max_num_queries):
    article = Article.objects.create(
        title="西部计划招募启动", category="notice", body="正文", published_at=timezone.now()
    )
    entry = EncyclopediaEntry.objects.create(
        title="数据分析师", category="信息技术", summary="s", duties="d", requirements="r"
    )
    assert (
        '"kind": "employment.article"'
        in client.get(reverse("employment:guidance-article", args=[article.pk])).content.decode()
    )
    assert (
        '"kind": "employment.encyclopedia"'
        in client.get(reverse("employment:guidance-entry", args=[entry.pk])).content.decode()
    )
    for i in range(30):
        Article.objects.create(title=f"新闻{i}", category="news", body="正文", published_at=timezone.now())
    with django_assert_max_num_queries(8):
        assert client.get(reverse("employment:guidance-articles")).status_code == 200
    for name in ("guidance-home", "guidance-encyclopedia", "guidance-cases", "guidance-live-list",
                 "guidance-training-list", "guidance-programs", "guidance-reports", "guidance-sites",
                 "guidance-assessments"):  # fmt: skip
        assert client.get(reverse(f"employment:{name}")).status_code == 200, name


def test_guidance_content_is_searchable(search_indexed):
    article = Article.objects.create(
        title="西部计划招募启动", category="notice", body="正文", published_at=timezone.now()
    )
    assert SearchDocument.objects.filter(kind="employment.article", object_id=article.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_uploads_quality_reports(client, as_role, role):
    as_role(role)
    university = f.university("中山大学")
    response = client.post(
        reverse("employment:guidance-reports"),
        {"university": university.pk, "year": 2024, "title": "中山大学2024届毕业生就业质量年度报告",
         "file": SimpleUploadedFile("r.pdf", MINIMAL_PDF, content_type="application/pdf")},
    )  # fmt: skip
    allowed = role in ("officer", "ministry_admin")
    # Another province's administrator publishes reports, but not this university's: the field is named.
    expected = 302 if allowed else 400 if role == "provincial_admin_other" else 403
    assert response.status_code == expected
    assert QualityReport.objects.count() == (1 if allowed else 0)


def test_a_non_pdf_report_is_refused_naming_the_file(client):
    client.force_login(f.officer("中山大学"))
    response = client.post(
        reverse("employment:guidance-reports"),
        {"university": f.university("中山大学").pk, "year": 2024, "title": "报告",
         "file": SimpleUploadedFile("r.pdf", b"MZ not a pdf", content_type="application/pdf")},
    )  # fmt: skip
    assert response.status_code == 400
    assert 'id="r-file"' in response.content.decode()
    assert QualityReport.objects.count() == 0


def test_the_site_redirect_counts_and_is_not_open(client):
    site = services.site_register(
        name="中山大学就业信息网", url="https://career.sysu.edu.cn/", kind="university"
    )
    response = client.get(
        reverse("employment:guidance-site-go", args=[site.pk]) + "?next=https://evil.example/"
    )
    assert response.status_code == 302
    assert response["Location"] == "https://career.sysu.edu.cn/"
    site.refresh_from_db()
    assert site.click_count == 1
    assert client.get(reverse("employment:guidance-site-go", args=[site.pk + 1])).status_code == 404


def test_a_flood_of_clicks_counts_once_per_client_and_a_forged_header_changes_nothing(client):
    site = services.site_register(
        name="广东省大学生就业创业服务网", url="https://gdjy.example.cn/", kind="province"
    )
    url = reverse("employment:guidance-site-go", args=[site.pk])
    for n in range(20):  # the same client, each time claiming another address
        assert client.get(url, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code == 302
    site.refresh_from_db()
    assert site.click_count == 1
    client.get(url, REMOTE_ADDR="203.0.113.9")  # another client counts
    site.refresh_from_db()
    assert site.click_count == 2


@pytest.mark.parametrize("role", ROLES)
def test_registering_for_a_live_course_and_training_progress_pages(client, as_role, role):
    course = fg.live_course(starts_in=timedelta(days=1))
    training = fg.training_course(lessons=2)
    as_role(role)
    response = client.post(reverse("employment:guidance-live", args=[course.pk]))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.registration_count == (0 if role == "anonymous" else 1)
    response = client.post(reverse("employment:guidance-training", args=[training.pk]), {"lesson": "1"})
    graduate = role in ("graduate", "graduate_unverified")
    assert response.status_code == (302 if graduate else 403)
    if graduate:
        page = client.get(reverse("employment:guidance-training", args=[training.pk])).content.decode()
        assert 'value="50"' in page


@pytest.mark.parametrize("role", ROLES)
def test_navigation_links_of_fairs_and_guidance_match_their_pages(client, as_role, role):
    from smartedu.portal.registry import nav_links_for

    user = as_role(role)
    shown = {link.url_name for link in nav_links_for(user)} if user else set()
    expected = set()
    if role in ("officer", "provincial_admin_other", "ministry_admin"):
        expected.add("employment:fairs-mine")
    if role in ("graduate", "graduate_unverified", "officer"):
        expected.add("employment:guidance-results")
    assert {n for n in shown if n in ("employment:fairs-mine", "employment:guidance-results")} == expected
    for name in ("employment:fairs-mine", "employment:guidance-results"):
        status = client.get(reverse(name)).status_code
        assert (status == 200) == (name in expected), (name, status)
