"""The employment front's pages: who may open each, the forms without JavaScript, query counts, CSV."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from employment.front import services
from employment.front.models import (
    CounsellorAssignment,
    Directive,
    DirectiveDelivery,
    FieldKind,
    Survey,
    SurveyResponse,
)
from employment.models import GraduateProfile
from employment.seed import MINIMAL_PDF
from smartedu.accounts.models import Role
from smartedu.institutions.services import affiliation_set
from smartedu.portal.registry import nav_badges_for, nav_links_for
from tests.employment.front.conftest import FRONT_ROLES
from tests.factories import UserFactory, front
from tests.factories import employment as f

pytestmark = pytest.mark.django_db

PAGES = {
    "/employment/front/progress/": {
        "officer", "officer_other", "counsellor", "counsellor_other", "provincial_admin",
        "provincial_admin_other", "ministry_admin",
    },
    "/employment/front/inbox/": {"officer", "officer_other", "counsellor", "counsellor_other"},
    "/employment/front/directives/": {"provincial_admin", "provincial_admin_other", "ministry_admin"},
    "/employment/front/surveys/": {
        "officer", "officer_other", "provincial_admin", "provincial_admin_other", "ministry_admin",
    },
    "/employment/front/surveys/new/": {"provincial_admin", "provincial_admin_other", "ministry_admin"},
    "/employment/front/counsellors/": {"officer", "officer_other"},
}  # fmt: skip


@pytest.mark.parametrize("role", FRONT_ROLES)
@pytest.mark.parametrize("path", list(PAGES))
def test_who_may_open_each_page_and_the_navigation_agrees(client, as_front, role, path):
    user = as_front(role)
    response = client.get(path)
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        return
    allowed = role in PAGES[path]
    assert response.status_code == (200 if allowed else 403)
    linked = {link.url_name for link in nav_links_for(user)}
    url_name = {
        "/employment/front/progress/": "employment:front-progress",
        "/employment/front/inbox/": "employment:front-inbox",
        "/employment/front/directives/": "employment:front-directives",
        "/employment/front/surveys/": "employment:front-surveys",
        "/employment/front/counsellors/": "employment:front-counsellors",
    }.get(path)
    if url_name:
        assert (url_name in linked) == allowed


def test_the_dashboard_shows_rolled_up_figures_lists_and_csv(client, as_front, django_assert_max_num_queries):
    # given: three graduates of the officer's university, one with an application, one needing help
    busy, idle, troubled = f.graduate(), f.graduate(name="张三"), f.graduate(name="李四", specialty="会计学")
    f.resume(idle, phone="13900001111")
    f.application(applicant=busy)
    officer = as_front("officer")
    services.graduate_support_set(
        actor=officer, graduate=GraduateProfile.objects.get(user=troubled), needs_help=True, note="家庭困难"
    )
    services.progress_rollup()

    with django_assert_max_num_queries(22):
        page = client.get("/employment/front/progress/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="rolled-up"' in html
    assert 'data-chart="stages"' in html
    assert 'id="table-specialty"' in html
    assert "tel:13900001111" in html  # a contact action for the graduate with no application
    assert f"mailto:{idle.email}" in html
    assert "家庭困难" in html
    no_application = page.context["no_application"]
    assert {g.user_id for g in no_application} == {idle.pk, troubled.pk}
    assert [g.user_id for g in page.context["needing_help"]] == [troubled.pk]

    csv = client.get("/employment/front/progress/?export=specialty")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "软件工程,2,0" in text
    assert "会计学,1,0" in text
    assert client.get("/employment/front/progress/?export=nope").status_code == 404


def test_the_dashboard_query_count_does_not_grow_with_graduates(
    client, as_front, django_assert_max_num_queries
):
    for n in range(25):
        f.graduate(name=f"学生{n}")
    as_front("officer")
    services.progress_rollup()
    with django_assert_max_num_queries(22):
        assert client.get("/employment/front/progress/").status_code == 200


def test_admins_see_figures_but_no_names(client, as_front):
    f.graduate(name="王小明")
    services.progress_rollup()
    as_front("ministry_admin")
    page = client.get("/employment/front/progress/")
    assert "王小明" not in page.content.decode()
    assert 'id="table-areas"' in page.content.decode()


def test_marking_help_through_the_page_and_outside_ones_scope(client, as_front):
    mine = GraduateProfile.objects.get(user=f.graduate())
    other = GraduateProfile.objects.get(user=f.graduate(specialty="会计学"))
    as_front("counsellor")
    ok = client.post(f"/employment/front/graduates/{mine.pk}/support/", {"needs_help": "on", "note": "残疾"})
    assert ok.status_code == 302
    assert (
        client.post(f"/employment/front/graduates/{other.pk}/support/", {"needs_help": "on"}).status_code
        == 404
    )
    assert GraduateProfile.objects.filter(support__needs_help=True).get() == mine


def test_an_admin_sends_a_directive_with_an_attachment_from_the_page(client, as_front, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = f.officer()
    as_front("ministry_admin")
    bad = client.post(
        "/employment/front/directives/",
        {"title": "通知", "body": "内容", "audience": "all",
         "attachments": SimpleUploadedFile("a.pdf", b"GIF89a....", content_type="application/pdf")},
    )  # fmt: skip
    assert bad.status_code == 400
    assert not Directive.objects.exists()
    empty = client.post(
        "/employment/front/directives/", {"title": "通知", "body": "内容", "audience": "province"}
    )
    assert empty.status_code == 400  # no province chosen
    sent = client.post(
        "/employment/front/directives/",
        {"title": "通知", "body": "内容", "audience": "all", "urgent": "on",
         "attachments": SimpleUploadedFile("附件.pdf", MINIMAL_PDF, content_type="application/pdf")},
    )  # fmt: skip
    assert sent.status_code == 302
    directive = Directive.objects.get()
    services.directive_deliver(directive_id=directive.pk)  # what the Celery worker does

    client.force_login(officer)
    assert nav_badges_for(officer) == {"employment.front.inbox": 1}
    assert 'data-badge="employment.front.inbox"' in client.get("/employment/front/inbox/").content.decode()
    page = client.get(f"/employment/front/inbox/{directive.pk}/")
    assert page.status_code == 200
    attachment = directive.attachments.get()
    download = client.get(f"/employment/front/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert client.post(f"/employment/front/inbox/{directive.pk}/").status_code == 302  # acknowledge
    delivery = DirectiveDelivery.objects.get(recipient=officer)
    assert delivery.read_at is not None
    assert delivery.acknowledged_at is not None
    assert nav_badges_for(officer) == {}

    client.force_login(f.officer("北京大学"))  # not a recipient: it did not exist when it was sent
    assert client.get(f"/employment/front/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"/employment/front/inbox/{directive.pk}/").status_code == 404


def test_receipts_page_lists_who_has_not_read(client, as_front, django_assert_max_num_queries):
    readers = [f.officer() for _ in range(3)]
    for _ in range(25):
        f.officer("北京大学")
    admin = as_front("ministry_admin")
    directive = front.directive(sender=admin)
    services.directive_read(delivery=DirectiveDelivery.objects.get(directive=directive, recipient=readers[0]))
    with django_assert_max_num_queries(12):
        page = client.get(f"/employment/front/directives/{directive.pk}/?show=unread")
    assert page.context["receipts"].read == 1
    assert page.context["page_obj"].paginator.count == directive.recipient_count - 1
    assert len(page.context["page_obj"]) == 20
    other = front.ministry_admin()
    client.force_login(other)
    assert client.get(f"/employment/front/directives/{directive.pk}/").status_code == 404


def test_inbox_query_count_is_pinned(client, as_front, django_assert_max_num_queries):
    officer = as_front("officer")
    for _ in range(8):
        front.directive()
    with django_assert_max_num_queries(14):
        page = client.get("/employment/front/inbox/")
    assert page.context["unread"] == 8
    assert officer is not None


def test_a_survey_from_the_form_to_the_answers(client, as_front):
    admin = as_front("provincial_admin")
    management = {"fields-TOTAL_FORMS": "5", "fields-INITIAL_FORMS": "0"}
    rows = {
        "fields-0-label": "已落实去向人数", "fields-0-kind": "integer", "fields-0-required": "on",
        "fields-1-label": "帮扶台账", "fields-1-kind": "choice", "fields-1-choices": "已建立，未建立",
        "fields-1-required": "on",
    }  # fmt: skip
    for n in range(2, 5):
        rows[f"fields-{n}-kind"] = "text"
    assert (
        client.post("/employment/front/surveys/new/", {"title": "", **management, **rows}).status_code == 400
    )
    created = client.post("/employment/front/surveys/new/", {"title": "就业调查", **management, **rows})
    assert created.status_code == 302
    survey = Survey.objects.get()
    number, choice = (item.key for item in survey.fields.all())
    assert [item.choices for item in survey.fields.all()] == [[], ["已建立", "未建立"]]  # empty rows skipped

    client.force_login(f.officer())
    assert client.post(f"/employment/front/surveys/{survey.pk}/", {number: "x"}).status_code == 400
    answer = {number: "30", choice: "已建立"}
    assert client.post(f"/employment/front/surveys/{survey.pk}/", answer).status_code == 302
    assert SurveyResponse.objects.get().answers == {number: 30, choice: "已建立"}
    client.force_login(f.officer("北京大学"))
    assert client.get(f"/employment/front/surveys/{survey.pk}/").status_code == 404

    client.force_login(admin)
    results = client.get(f"/employment/front/surveys/{survey.pk}/")
    assert results.context["totals"][0].total == 30
    assert "中山大学" in results.content.decode()


def test_an_officer_assigns_a_counsellor_to_a_class(client, as_front):
    as_front("officer")
    counsellor = UserFactory(role=Role.COUNSELLOR, approved=True)
    affiliation_set(user=counsellor, institution=f.university("中山大学"))
    stranger = UserFactory(role=Role.COUNSELLOR, approved=True)
    affiliation_set(user=stranger, institution=f.university("北京大学"))
    page = client.post(
        "/employment/front/counsellors/",
        {"counsellor": counsellor.pk, "specialty": "软件工程", "graduation_year": "2022"},
    )
    assert page.status_code == 302
    assert CounsellorAssignment.objects.get(user=counsellor).graduating_class.specialty == "软件工程"
    outside = client.post(
        "/employment/front/counsellors/",
        {"counsellor": stranger.pk, "specialty": "会计学", "graduation_year": "2022"},
    )
    assert outside.status_code == 404


def test_surveys_field_kinds_are_offered():
    assert {k for k, _label in FieldKind.choices} == {"integer", "text", "choice"}


def test_a_double_click_sends_one_directive_and_opens_one_survey(client, as_front):
    f.officer()
    as_front("ministry_admin")
    form = client.get("/employment/front/directives/").context["form"]
    token = form["client_token"].value()
    assert token
    post = {"title": "通知", "body": "内容", "audience": "all", "client_token": token}
    first, second = (
        client.post("/employment/front/directives/", post),
        client.post("/employment/front/directives/", post),
    )
    assert first["Location"] == second["Location"]
    assert Directive.objects.count() == 1

    survey_token = client.get("/employment/front/surveys/new/").context["form"]["client_token"].value()
    rows = {
        "fields-TOTAL_FORMS": "1",
        "fields-INITIAL_FORMS": "0",
        "fields-0-label": "人数",
        "fields-0-kind": "integer",
    }
    post = {"title": "调查", "client_token": survey_token, **rows}
    client.post("/employment/front/surveys/new/", post)
    client.post("/employment/front/surveys/new/", post)
    assert Survey.objects.count() == 1
