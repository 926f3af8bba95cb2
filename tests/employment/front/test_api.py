"""``/api/v1/employment/`` progress, directives and surveys: every role's forbidden cases and bad input."""

import pytest

from employment.front import services
from employment.front.models import Directive, DirectiveDelivery, FieldKind, SurveyResponse
from employment.models import GraduateProfile
from tests.employment.front.conftest import FRONT_ROLES
from tests.factories import employment as f
from tests.factories import front

pytestmark = pytest.mark.django_db
API = "/api/v1/employment"
DENIED = {"anonymous": 401}


# --- progress/ --------------------------------------------------------------------------------------------

PROGRESS = {
    "officer": (200, "university", 2),
    "officer_other": (200, "university", 0),
    "counsellor": (200, "class", 1),
    "counsellor_other": (200, "class", 1),
    "provincial_admin": (200, "province", 2),
    "provincial_admin_other": (200, "province", 0),
    "ministry_admin": (200, "nation", 2),
}


@pytest.mark.parametrize("role", FRONT_ROLES)
def test_progress_by_scope(api_client, as_front, role):
    # given: two graduates of 中山大学 (软件工程 and 会计学), rolled up
    f.graduate(specialty="软件工程")
    f.graduate(specialty="会计学")
    services.progress_rollup()
    as_front(role)

    response = api_client.get(f"{API}/progress/")

    expected = PROGRESS.get(role)
    if expected is None:
        assert response.status_code == DENIED.get(role, 403)
        return
    assert response.status_code == 200
    body = response.json()
    graduates = {s["key"]: s["count"] for s in body["stages"]}["graduates"]
    assert (body["level"], graduates) == expected[1:]
    assert body["rolled_up_at"] is not None


# --- graduates/{id}/support/ ------------------------------------------------------------------------------

SUPPORT = {"officer": 200, "counsellor": 200, "officer_other": 404, "counsellor_other": 404}


@pytest.mark.parametrize("role", FRONT_ROLES)
def test_marking_a_graduate_as_needing_help(api_client, as_front, role):
    graduate = GraduateProfile.objects.get(user=f.graduate(specialty="软件工程"))
    as_front(role)
    response = api_client.post(
        f"{API}/graduates/{graduate.pk}/support/", {"needs_help": True, "note": "家庭困难"}, format="json"
    )
    assert response.status_code == SUPPORT.get(role, DENIED.get(role, 403))
    assert GraduateProfile.objects.filter(pk=graduate.pk, support__needs_help=True).exists() == (
        response.status_code == 200
    )


def test_support_needs_its_flag(api_client, as_front):
    graduate = GraduateProfile.objects.get(user=f.graduate())
    as_front("officer")
    response = api_client.post(f"{API}/graduates/{graduate.pk}/support/", {}, format="json")
    assert response.status_code == 400
    assert "needs_help" in response.json()


# --- directives/ ------------------------------------------------------------------------------------------

SEND = {"provincial_admin": 201, "ministry_admin": 201, "provincial_admin_other": 403}


@pytest.mark.parametrize("role", FRONT_ROLES)
def test_sending_a_directive_to_a_province(api_client, as_front, role):
    f.officer()  # somebody in 广东 to receive it
    as_front(role)
    response = api_client.post(
        f"{API}/directives/", {"title": "紧急通知", "body": "请落实。", "audience": "44"}, format="json"
    )
    assert response.status_code == SEND.get(role, DENIED.get(role, 403))
    assert Directive.objects.exists() == (response.status_code == 201)


def test_audiences_all_province_and_university_and_bad_ones(api_client, as_front):
    f.officer()
    as_front("ministry_admin")
    sysu = f.university("中山大学").pk
    for audience, kind in (("all", "all"), ("44", "province:44"), (sysu, f"university:{sysu}")):
        response = api_client.post(
            f"{API}/directives/", {"title": "通知", "body": "内容", "audience": audience}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["audience"] == kind
    # an empty audience: nobody is there
    empty = api_client.post(
        f"{API}/directives/", {"title": "通知", "body": "内容", "audience": "11"}, format="json"
    )
    assert empty.status_code == 400
    assert "audience" in empty.json()
    for bad in ("99", "", 999_999, "university:x", True):
        response = api_client.post(
            f"{API}/directives/", {"title": "通知", "body": "内容", "audience": bad}, format="json"
        )
        assert response.status_code == 400, bad
        assert "audience" in response.json()
    missing = api_client.post(f"{API}/directives/", {"audience": "all"}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()) == {"title", "body"}


def test_a_provincial_admin_cannot_address_another_provinces_university(api_client, as_front):
    f.officer("北京大学")
    as_front("provincial_admin")
    response = api_client.post(
        f"{API}/directives/",
        {"title": "通知", "body": "内容", "audience": f.university("北京大学").pk},
        format="json",
    )
    assert response.status_code == 403
    assert not Directive.objects.exists()


DETAIL = {
    "ministry_admin": 200,
    "officer": 200,
    "counsellor": 200,
    "officer_other": 200,
    "counsellor_other": 200,
}


@pytest.mark.parametrize("role", FRONT_ROLES)
def test_directive_detail_gives_the_sender_receipts_and_a_recipient_its_copy(api_client, as_front, role):
    user = as_front(role)
    sender = user if role == "ministry_admin" else front.ministry_admin()
    f.officer()
    directive = front.directive(sender=sender)
    response = api_client.get(f"{API}/directives/{directive.pk}/")
    expected = DETAIL.get(role, DENIED.get(role, 404 if role != "anonymous" else 401))
    assert response.status_code == expected
    if role == "ministry_admin":
        assert response.json()["receipts"]["delivered"] == directive.recipient_count
    elif expected == 200:
        assert response.json()["directive"]["id"] == directive.pk


READ = {"officer": 200, "counsellor": 200, "officer_other": 200, "counsellor_other": 200}


@pytest.mark.parametrize("role", FRONT_ROLES)
def test_recipients_mark_read_and_the_sender_sees_the_receipt(api_client, as_front, role):
    # given: a directive to every officer and counsellor, sent after the user registered
    as_front(role)
    f.officer()
    sender = front.ministry_admin()
    directive = front.directive(sender=sender)

    response = api_client.post(f"{API}/directives/{directive.pk}/read/")

    expected = READ.get(role, DENIED.get(role, 403))  # unapproved accounts receive nothing
    assert response.status_code == expected
    read = DirectiveDelivery.objects.filter(directive=directive, read_at__isnull=False)
    assert read.count() == (1 if expected == 200 else 0)
    api_client.force_authenticate(sender)
    receipts = api_client.get(f"{API}/directives/{directive.pk}/").json()["receipts"]
    assert receipts["read"] == read.count()
    unread = api_client.get(f"{API}/directives/{directive.pk}/recipients/?read=false").json()
    assert unread["count"] == receipts["unread"]


def test_a_directive_not_delivered_to_you_is_404(api_client, as_front):
    f.officer("北京大学")
    directive = front.directive(audience="university", university=f.university("北京大学"))
    as_front("officer")
    assert api_client.post(f"{API}/directives/{directive.pk}/read/").status_code == 404
    assert api_client.get(f"{API}/directives/{directive.pk}/").status_code == 404
    as_front("provincial_admin")  # not its sender
    assert api_client.get(f"{API}/directives/{directive.pk}/").status_code == 404
    assert api_client.get(f"{API}/directives/{directive.pk}/recipients/").status_code == 404


def test_acknowledging_an_urgent_directive(api_client, as_front):
    user = as_front("officer")
    urgent, plain = front.directive(urgent=True), front.directive()
    ok = api_client.post(f"{API}/directives/{urgent.pk}/acknowledge/")
    assert ok.status_code == 200
    assert ok.json()["acknowledged_at"] is not None
    assert api_client.post(f"{API}/directives/{plain.pk}/acknowledge/").status_code == 400
    inbox = api_client.get(f"{API}/directives/").json()
    assert inbox["count"] == 2
    assert user is not None


# --- surveys/ ---------------------------------------------------------------------------------------------

OPEN = {"provincial_admin": 201, "provincial_admin_other": 201, "ministry_admin": 201}


def survey_payload(**changes):
    return {
        "title": "就业工作情况调查",
        "questions": [
            {"label": "已落实去向人数", "kind": "integer"},
            {"label": "帮扶台账", "kind": "choice", "choices": ["已建立", "未建立"]},
        ],
        **changes,
    }


@pytest.mark.parametrize("role", FRONT_ROLES)
def test_opening_a_survey(api_client, as_front, role):
    as_front(role)
    response = api_client.post(f"{API}/surveys/", survey_payload(), format="json")
    assert response.status_code == OPEN.get(role, DENIED.get(role, 403))


def test_bad_surveys_name_their_fields(api_client, as_front):
    as_front("ministry_admin")
    response = api_client.post(f"{API}/surveys/", {"title": "", "questions": []}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"title", "questions"}
    bad_kind = api_client.post(
        f"{API}/surveys/", survey_payload(questions=[{"label": "x", "kind": "date"}]), format="json"
    )
    assert bad_kind.status_code == 400
    one_option = api_client.post(
        f"{API}/surveys/",
        survey_payload(questions=[{"label": "x", "kind": "choice", "choices": ["是"]}]),
        format="json",
    )
    assert one_option.status_code == 400
    assert "fields" in one_option.json()


ANSWER = {"officer": 200, "officer_other": 404}


@pytest.mark.parametrize("role", FRONT_ROLES)
def test_answering_a_provincial_survey(api_client, as_front, role):
    survey = services.survey_create(
        author=front.provincial_admin("44"),
        title="调查",
        fields=[services.FieldInput(label="人数", kind=FieldKind.INTEGER)],
    )
    key = survey.fields.get().key
    as_front(role)
    response = api_client.put(f"{API}/surveys/{survey.pk}/answer/", {"answers": {key: 12}}, format="json")
    assert response.status_code == ANSWER.get(role, DENIED.get(role, 403))
    assert SurveyResponse.objects.filter(survey=survey).exists() == (response.status_code == 200)


def test_survey_results_for_the_admin_and_bad_answers(api_client, as_front):
    admin = front.ministry_admin()
    survey = services.survey_create(
        author=admin,
        title="调查",
        fields=[
            services.FieldInput(label="人数", kind=FieldKind.INTEGER),
            services.FieldInput(label="台账", kind=FieldKind.CHOICE, choices=["已建立", "未建立"]),
        ],
    )
    number, choice = (item.key for item in survey.fields.all())
    as_front("officer")
    bad = api_client.put(f"{API}/surveys/{survey.pk}/answer/", {"answers": {number: "many"}}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()) == {number, choice}
    assert api_client.put(f"{API}/surveys/{survey.pk}/answer/", {}, format="json").status_code == 400
    for n in (7, 9):  # answered, then changed: one row
        ok = api_client.put(
            f"{API}/surveys/{survey.pk}/answer/", {"answers": {number: n, choice: "已建立"}}, format="json"
        )
        assert ok.status_code == 200
    api_client.force_authenticate(admin)
    result = api_client.get(f"{API}/surveys/{survey.pk}/").json()
    assert result["answered"] == ["中山大学"]
    assert {t["key"]: t["total"] for t in result["totals"]}[number] == 9
    assert api_client.post(f"{API}/surveys/{survey.pk}/close/").status_code == 200
    as_front("officer")
    closed = api_client.put(
        f"{API}/surveys/{survey.pk}/answer/", {"answers": {number: 1, choice: "已建立"}}, format="json"
    )
    assert closed.status_code == 400
    assert "survey" in closed.json()


def test_another_provinces_admin_does_not_see_a_survey(api_client, as_front):
    survey = services.survey_create(
        author=front.provincial_admin("44"),
        title="调查",
        fields=[services.FieldInput(label="人数", kind=FieldKind.INTEGER)],
    )
    as_front("provincial_admin_other")
    assert api_client.get(f"{API}/surveys/{survey.pk}/").status_code == 404
    assert api_client.post(f"{API}/surveys/{survey.pk}/close/").status_code == 404
    assert api_client.get(f"{API}/surveys/").json()["count"] == 0


def test_the_same_idempotency_key_sends_once(api_client, as_front):
    f.officer()
    as_front("ministry_admin")
    body = {"title": "通知", "body": "内容", "audience": "all"}
    first = api_client.post(f"{API}/directives/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api_client.post(f"{API}/directives/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    other = api_client.post(f"{API}/directives/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert first.json()["id"] == again.json()["id"] != other.json()["id"]
    assert Directive.objects.count() == 2
