import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from higher_ed import services
from higher_ed.models import Course, Enrollment, Platform, PlatformSwitch, SourceClick
from tests.factories.higher_ed import (
    course,
    learner,
    ministry_admin,
    officer,
    platform,
    teacher,
)
from tests.higher_ed.conftest import ROLES

pytestmark = pytest.mark.django_db


# --- the catalogue --------------------------------------------------------------------------------------


def test_the_catalogue_shows_facets_with_counts_as_plain_links(client):
    course("数据结构", first_class=True)
    course("宏观经济学", class_code="0201")
    response = client.get("/higher-ed/")
    text = response.text
    assert response.status_code == 200
    assert 'href="?category=08"' in text
    assert 'href="?first_class=true"' in text
    facet = re.search(r'data-facet="category".*?</section>', text, re.S).group(0)
    assert re.search(r">工学</a> <span class=\"he-count\"[^>]*>1</span>", facet)
    assert "数据结构" in text
    assert "宏观经济学" in text
    assert 'data-facet="specialty_class"' not in text  # classes appear under a chosen category


def test_a_chosen_facet_is_marked_and_links_to_its_removal_and_keeps_the_others(client):
    course("数据结构", first_class=True)
    course("操作系统")
    response = client.get("/higher-ed/", {"category": "08", "first_class": "true"})
    text = response.text
    assert response.context["page_obj"].paginator.count == 1
    assert 'href="?first_class=true" aria-current="true"' in text  # category chosen: clicking removes it
    assert 'data-facet="specialty_class"' in text
    assert 'href="?category=08&amp;first_class=true&amp;specialty_class=0809"' in text
    # The keyword form keeps the facets as hidden fields, so searching keeps every choice.
    assert '<input type="hidden" name="category" value="08">' in text
    assert '<input type="hidden" name="first_class" value="true">' in text


def test_leaving_a_category_drops_its_class(client):
    course("数据结构")
    course("宏观经济学", class_code="0201")
    text = client.get("/higher-ed/", {"category": "08", "specialty_class": "0809", "credit": "false"}).text
    assert 'href="?credit=false" aria-current="true"' in text  # un-choosing 工学 also un-chooses 计算机类


@pytest.mark.parametrize(
    ("params", "label"),
    [({"category": "99"}, "学科门类"), ({"platform": "nowhere"}, "平台"), ({"status": "x"}, "开课状态")],
)
def test_an_unknown_facet_value_is_a_400_page_with_a_clear_message(client, params, label):
    course()
    response = client.get("/higher-ed/", params)
    assert response.status_code == 400
    alert = re.search(
        r'<div class="message error he-errors" role="alert">.*?</div>', response.text, re.S
    ).group(0)
    assert label in alert
    assert 'href="/higher-ed/"' in alert


def test_keyword_order_and_pages_stay_in_the_address(client):
    for i in range(25):
        course(f"数据结构{i:02d}")
    response = client.get("/higher-ed/", {"q": "数据结构", "ordering": "newest", "category": "08"})
    assert response.context["page_obj"].paginator.count == 25
    assert (
        'href="?q=%E6%95%B0%E6%8D%AE%E7%BB%93%E6%9E%84&amp;ordering=newest&amp;category=08&amp;page=2"'
        in (response.text)
    )
    assert '<option value="newest" selected>' in response.text
    assert 'list="he-suggestions"' in response.text
    assert "/static/higher_ed/typeahead.js" in response.text
    assert "<script>" not in response.text  # no inline script


def test_the_catalogue_query_count_is_pinned(client, django_assert_num_queries):
    for i in range(12):
        course(f"课程{i}", teachers=(teacher(f"教师{i}"),))
    client.get("/higher-ed/")
    with django_assert_num_queries(3):  # catalogue token, the page of courses, their teachers
        client.get("/higher-ed/", {"category": "08", "credit": "false", "status": "open"})


def test_home_page_figures_follow_the_switch(client, django_capture_on_commit_callbacks):
    course()
    course(platform_code="xuetangx")

    def figure() -> str:
        card = re.search(r'data-platform="higher_ed".*?</li>', client.get("/").text, re.S).group(0)
        return re.search(r"<dt>课程</dt><dd>(\d+)</dd>", card).group(1)

    assert figure() == "2"
    with django_capture_on_commit_callbacks(execute=True):
        services.platform_switch(
            platform=platform("xuetangx"), enabled=False, reason="检修", by=ministry_admin()
        )
    assert figure() == "1"


# --- course pages ---------------------------------------------------------------------------------------


def test_course_page_has_runs_teachers_syllabus_source_link_beacon_and_similar(client):
    lin = teacher("林毅夫")
    made = course("宏观经济学", class_code="0201", teachers=(lin,), runs=("open", "archived"))
    course("微观经济学", class_code="0201")
    response = client.get(f"/higher-ed/courses/{made.pk}/")
    text = response.text
    assert response.status_code == 200
    assert "林毅夫" in text
    assert "第1讲 绪论" in text
    assert f'href="/higher-ed/courses/{made.pk}/source/"' in text
    assert "https://www.icourse163.org" not in text  # the source is reached through our redirect
    assert '"kind": "higher_ed.course"' in text
    assert "微观经济学" in text
    assert "登录" in text  # anonymous visitors are asked to log in to enrol


def test_course_page_query_count_is_pinned(client, django_assert_num_queries):
    made = course(teachers=(teacher(),))
    course("操作系统")
    with django_assert_num_queries(5):  # course, teachers, units, runs, similar
        client.get(f"/higher-ed/courses/{made.pk}/")


def test_hidden_course_pages_are_404(client):
    made = course(platform_code="xuetangx")
    Platform.objects.filter(code="xuetangx").update(enabled=False)
    assert client.get(f"/higher-ed/courses/{made.pk}/").status_code == 404
    assert client.get(f"/higher-ed/courses/{made.pk}/source/").status_code == 404


def test_the_source_link_redirects_to_the_registered_host_and_counts_the_click(client):
    made = course()
    response = client.get(f"/higher-ed/courses/{made.pk}/source/")
    assert response.status_code == 302
    assert response["Location"] == made.source_url
    assert response["Location"].startswith("https://www.icourse163.org/")
    client.get(f"/higher-ed/courses/{made.pk}/source/")  # the same visitor again: counted once
    assert SourceClick.objects.get(course=made).clicks == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.org/phish",
        "https://www.icourse163.org.evil.example.org/x",
        "https://evil.example.org@www.icourse163.org/x",
        "http://www.icourse163.org/insecure",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_source_redirect_is_never_an_open_redirect(client, url):
    made = course()
    Course.objects.filter(pk=made.pk).update(source_url=url)  # as if the row had been tampered with
    assert client.get(f"/higher-ed/courses/{made.pk}/source/").status_code == 404
    assert not SourceClick.objects.exists()


# --- enrolling and studying -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_enrolling_from_the_course_page_by_role(client, as_role, role):
    made = course()
    user = as_role(role)
    response = client.post(f"/higher-ed/courses/{made.pk}/enrol/", {"run": made.runs.get().pk})
    if role in ("student", "teacher", "graduate"):
        enrollment = Enrollment.objects.get(user=user)
        assert response.status_code == 302
        assert response["Location"] == f"/higher-ed/me/enrollments/{enrollment.pk}/"
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403
    assert Enrollment.objects.filter(user_id=getattr(user, "pk", None)).count() <= 1


def test_enrolling_twice_keeps_one_enrolment_and_get_is_not_allowed(client):
    made = course()
    user = learner()
    client.force_login(user)
    run = made.runs.get()
    client.post(f"/higher-ed/courses/{made.pk}/enrol/", {"run": run.pk})
    client.post(f"/higher-ed/courses/{made.pk}/enrol/", {"run": run.pk})
    assert Enrollment.objects.filter(user=user).count() == 1
    assert client.get(f"/higher-ed/courses/{made.pk}/enrol/").status_code == 405


def test_a_run_of_another_course_is_refused(client):
    made, other = course(), course("操作系统")
    client.force_login(learner())
    response = client.post(f"/higher-ed/courses/{made.pk}/enrol/", {"run": other.runs.get().pk}, follow=True)
    assert not Enrollment.objects.exists()
    assert "选择本课程的一次开课" in response.text


def test_studying_records_progress_and_refuses_more_than_100_percent(client):
    made = course()
    user = learner()
    enrollment, _ = services.enrollment_create(user=user, run=made.runs.get())
    client.force_login(user)
    first = made.units.order_by("order").first()
    url = f"/higher-ed/me/enrollments/{enrollment.pk}/progress/"
    page = client.get(f"/higher-ed/me/enrollments/{enrollment.pk}/")
    assert f'action="{url}"' in page.text
    response = client.post(url, {"unit": first.pk, "video_percent": 100, "quizzes_done": 1, "quiz_score": 88})
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.progress == 50
    response = client.post(url, {"unit": first.pk, "video_percent": 150, "quizzes_done": 1})
    assert response.status_code == 400
    assert 'role="alert"' in response.text


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_someone_elses_enrolment_pages_are_404(client, as_role, role):
    made = course()
    enrollment, _ = services.enrollment_create(user=learner(), run=made.runs.get())
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now(), progress=100)
    as_role(role)
    for path in ("", "certificate.pdf"):
        assert client.get(f"/higher-ed/me/enrollments/{enrollment.pk}/{path}").status_code == 404
    unit = made.units.first()
    response = client.post(
        f"/higher-ed/me/enrollments/{enrollment.pk}/progress/", {"unit": unit.pk, "video_percent": 1}
    )
    assert response.status_code == 404


def test_my_courses_and_the_certificate_of_completion(client):
    made = course("宏观经济学", class_code="0201", credit=True)
    other = course("操作系统")
    user = learner(first_name="王小明")
    done, _ = services.enrollment_create(user=user, run=made.runs.get())
    going, _ = services.enrollment_create(user=user, run=other.runs.get())
    for unit in made.units.all():
        services.progress_record(
            enrollment=done,
            data=services.ProgressInput(
                unit=unit, video_percent=100, quizzes_done=unit.quiz_count, quiz_score=95
            ),
        )
    client.force_login(user)
    text = client.get("/higher-ed/me/").text
    assert "宏观经济学" in text
    assert "操作系统" in text
    assert text.count("he-certificate") == 1
    response = client.get(f"/higher-ed/me/enrollments/{done.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("宏观经济学", "王小明", "北京大学", "95"):
        assert expected in pdf_text
    assert client.get(f"/higher-ed/me/enrollments/{going.pk}/certificate.pdf").status_code == 404


def test_my_courses_needs_an_account(client):
    response = client.get("/higher-ed/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- universities, teachers, platforms ----------------------------------------------------------------------


def test_university_teacher_and_platform_pages(client):
    lin = teacher("林毅夫")
    made = course("宏观经济学", class_code="0201", teachers=(lin,))
    pages = {
        "/higher-ed/universities/": "北京大学",
        f"/higher-ed/universities/{made.university_id}/": "宏观经济学",
        "/higher-ed/teachers/": "林毅夫",
        f"/higher-ed/teachers/{lin.pk}/": "宏观经济学",
        "/higher-ed/platforms/": "中国大学MOOC",
        "/higher-ed/platforms/icourse163/": "宏观经济学",
    }
    for path, expected in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert expected in response.text, path
    assert client.get("/higher-ed/universities/999999/").status_code == 404


def test_pages_of_a_switched_off_platform_and_its_only_teacher_are_404(client):
    alone = teacher("王建国")
    made = course(platform_code="xuetangx", teachers=(alone,), university_name="清华大学")
    Platform.objects.filter(code="xuetangx").update(enabled=False)
    for path in (
        "/higher-ed/platforms/xuetangx/",
        f"/higher-ed/teachers/{alone.pk}/",
        f"/higher-ed/universities/{made.university_id}/",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    ("path", "queries"),
    [("/higher-ed/universities/", 2), ("/higher-ed/teachers/", 2), ("/higher-ed/platforms/", 1)],
)
def test_list_page_query_counts_are_pinned(client, django_assert_num_queries, path, queries):
    for i in range(8):
        course(f"课程{i}", teachers=(teacher(f"教师{i}"),), university_name=["北京大学", "清华大学"][i % 2])
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


# --- the switch page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_switch_page_by_role(client, as_role, role):
    as_role(role)
    response = client.get("/higher-ed/platforms/manage/")
    if role == "anonymous":
        assert response.status_code == 302
    elif role in ("ministry_admin", "provincial_admin", "provincial_admin_other"):
        assert response.status_code == 200
        assert ('class="he-switch"' in response.text) == (role == "ministry_admin")
    else:
        assert response.status_code == 403
    target = platform("zhihuishu")
    response = client.post(
        "/higher-ed/platforms/manage/", {"platform": target.pk, "enabled": "0", "reason": "测试"}
    )
    assert Platform.objects.get(pk=target.pk).enabled == (role != "ministry_admin")
    if role == "ministry_admin":
        assert response.status_code == 302
    elif role != "anonymous":
        assert response.status_code == 403


def test_switching_on_the_page_logs_who_when_why(client):
    admin = ministry_admin()
    client.force_login(admin)
    target = platform("chaoxing")
    assert (
        client.post(
            "/higher-ed/platforms/manage/", {"platform": target.pk, "enabled": "1", "reason": ""}
        ).status_code
        == 400
    )
    client.post(
        "/higher-ed/platforms/manage/", {"platform": target.pk, "enabled": "0", "reason": "学分数据造假"}
    )
    page = client.get("/higher-ed/platforms/manage/").text
    log = re.search(r'<table class="he-switch-log">.*?</table>', page, re.S).group(0)
    assert "学分数据造假" in log
    assert admin.username in log
    assert PlatformSwitch.objects.get().switched_by == admin


# --- the monitoring centre ---------------------------------------------------------------------------------


@pytest.fixture
def flagged():
    """A credit course of 中山大学 completed in 10 minutes by a learner, and the figures computed."""
    made = course('=HYPERLINK("http://evil")', university_name="中山大学", credit=True)
    other = course("宏观经济学", class_code="0201", credit=True)
    enrollment, _ = services.enrollment_create(user=learner(home="北京大学"), run=made.runs.get())
    services.enrollment_create(user=learner(), run=other.runs.get())
    now = timezone.now()
    Enrollment.objects.filter(pk=enrollment.pk).update(
        enrolled_at=now - timedelta(minutes=10), completed_at=now, progress=100, score=60
    )
    services.monitoring_refresh()
    return made


@pytest.mark.parametrize("role", ROLES)
def test_the_monitoring_page_by_role(client, as_role, flagged, role):
    as_role(role)
    response = client.get("/higher-ed/monitoring/")
    if role == "anonymous":
        assert response.status_code == 302
        return
    if role in (
        "ministry_admin",
        "provincial_admin",
        "provincial_admin_other",
        "officer",
        "officer_other_university",
    ):
        assert response.status_code == 200
        universities = {r[0] for r in response.context["tables"][1].rows}
        expected = {
            "ministry_admin": {"中山大学", "北京大学"},
            "provincial_admin": {"中山大学"},
            "provincial_admin_other": {"北京大学"},
            "officer": {"中山大学"},
            "officer_other_university": set(),
        }[role]
        assert universities == expected
    else:
        assert response.status_code == 403


def test_an_officer_sees_their_anomaly_flag_without_the_learners_name(client, flagged):
    user = officer("中山大学")
    client.force_login(user)
    text = client.get("/higher-ed/monitoring/").text
    anomalies = re.search(r'data-table="anomalies".*?</section>', text, re.S).group(0)
    assert "he-anomaly" in anomalies
    assert "视频" in anomalies
    learner_name = Enrollment.objects.get(course=flagged).user.username
    assert learner_name not in text
    other = Course.objects.get(title="宏观经济学").university_id
    assert client.get("/higher-ed/monitoring/", {"university": other}).status_code == 403


def test_every_table_exports_csv_with_formulas_neutralised(client, flagged):
    client.force_login(ministry_admin())
    for key in ("platforms", "universities", "terms", "recognitions", "anomalies"):
        response = client.get("/higher-ed/monitoring/", {"export": key})
        assert response["Content-Type"].startswith("text/csv"), key
    response = client.get("/higher-ed/monitoring/", {"export": "anomalies"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    assert client.get("/higher-ed/monitoring/", {"export": "passwords"}).status_code == 404
    assert client.get("/higher-ed/monitoring/", {"term": "2024-winter"}).status_code == 400


def test_the_monitoring_page_query_count_is_pinned(client, flagged, django_assert_num_queries):
    user = ministry_admin()
    client.force_login(user)
    client.get("/higher-ed/monitoring/")
    with django_assert_num_queries(7):  # session, user, figures, recognitions, anomalies, terms, platforms
        client.get("/higher-ed/monitoring/")


# --- navigation and sitemaps -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("student", {"/higher-ed/me/"}),
        ("employer", set()),
        ("officer", {"/higher-ed/monitoring/"}),
        ("provincial_admin", {"/higher-ed/monitoring/", "/higher-ed/platforms/manage/"}),
        ("ministry_admin", {"/higher-ed/monitoring/", "/higher-ed/platforms/manage/"}),
    ],
)
def test_account_menu_links_follow_the_access_rules(client, as_role, role, links):
    as_role(role)
    menu = re.search(r'<nav class="account-nav".*?</nav>', client.get("/").text, re.S).group(0)
    shown = {href for href in re.findall(r'href="([^"]+)"', menu) if href.startswith("/higher-ed/")}
    assert shown == links


def test_sitemaps_list_visible_courses_universities_teachers_and_platforms(client):
    lin = teacher("林毅夫")
    shown = course(teachers=(lin,))
    hidden = course("操作系统", platform_code="xuetangx", university_name="清华大学")
    Platform.objects.filter(code="xuetangx").update(enabled=False)
    index = client.get("/sitemap.xml")
    assert index["Content-Type"].startswith("application/xml")
    assert "http://testserver/sitemap-higher-ed-courses.xml" in index.text
    courses = client.get("/sitemap-higher-ed-courses.xml").text
    assert f"http://testserver/higher-ed/courses/{shown.pk}/" in courses
    assert f"/higher-ed/courses/{hidden.pk}/" not in courses
    assert "<lastmod>" in courses
    assert (
        f"/higher-ed/universities/{shown.university_id}/"
        in client.get("/sitemap-higher-ed-universities.xml").text
    )
    assert (
        f"/higher-ed/universities/{hidden.university_id}/"
        not in client.get("/sitemap-higher-ed-universities.xml").text
    )
    assert f"/higher-ed/teachers/{lin.pk}/" in client.get("/sitemap-higher-ed-teachers.xml").text
    platforms = client.get("/sitemap-higher-ed-platforms.xml").text
    assert "/higher-ed/platforms/icourse163/" in platforms
    assert "xuetangx/" not in platforms
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-higher-ed-courses.xml", {"p": "9"}).status_code == 404


def test_the_dashboard_lists_the_monitoring_panel_for_officers(client):
    client.force_login(officer())
    assert reverse("higher_ed:monitoring") in client.get("/dashboard/").text
