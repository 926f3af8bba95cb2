"""The employment front's services: the roll-up, directives and their delivery, surveys, help flags."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from employment import outcomes
from employment import services as market
from employment.front import access, selectors, services
from employment.front.models import (
    Directive,
    DirectiveAttachment,
    DirectiveDelivery,
    FieldKind,
    ProgressFigure,
    RollupRun,
    SurveyResponse,
)
from employment.models import GraduateProfile, JobType
from employment.seed import MINIMAL_PDF
from smartedu.accounts.models import Province, Role
from tests.factories import UserFactory, front
from tests.factories import employment as f

pytestmark = pytest.mark.django_db


def _totals(scope):
    return selectors.progress(scope=scope).totals


def _university_scope(name="中山大学"):
    return access.Scope("university", university_id=f.university(name).pk)


# --- The roll-up ------------------------------------------------------------------------------------------


def test_figures_change_only_when_rolled_up():
    # given: two verified graduates of 中山大学, one with an application
    first, second = f.graduate(), f.graduate()
    f.application(applicant=first)
    services.progress_rollup()
    assert _totals(_university_scope())["graduates"] == 2
    assert _totals(_university_scope())["applied"] == 1

    # when: the second applies and gets an offer, before and after the next roll-up
    application = f.application(applicant=second)
    _offer(application)
    assert _totals(_university_scope())["applied"] == 1  # nothing is computed per request
    assert _totals(_university_scope()).get("offer", 0) == 0
    services.progress_rollup()

    # then
    totals = _totals(_university_scope())
    assert (totals["applied"], totals["offer"], totals["employed"]) == (2, 1, 1)
    assert RollupRun.objects.count() == 2


def _offer(application):
    """The employer moves the application to an offer (part 1's service)."""
    market.application_status_set(actor=application.employer.user, application=application, status="offer")


def test_offers_destinations_help_and_a_registered_outcome_are_counted(monkeypatch):
    monkeypatch.setattr(outcomes, "_outcomes", {})
    # given: an outcome registered by a test app: graduates whose name starts with 王
    outcomes.register_outcome(
        outcomes.Outcome("test_signed", "签约（测试）", 5, lambda gs: gs.filter(name__startswith="王"))
    )
    officer = f.officer()
    hired = f.graduate(name="王五")
    offered = f.graduate(name="李四", degree="master")
    idle = f.graduate(name="赵六", specialty="会计学")
    grassroots = f.job(job_type=JobType.GRASSROOTS)
    application = f.application(applicant=offered, target=grassroots)
    _offer(application)
    services.graduate_support_set(
        actor=officer, graduate=GraduateProfile.objects.get(user=idle), needs_help=True, note="家庭困难"
    )

    # when
    services.progress_rollup()

    # then
    data = selectors.progress(scope=_university_scope())
    assert data.totals["graduates"] == 3
    assert data.totals["offer"] == 1
    assert data.totals["outcome:test_signed"] == 1
    assert data.totals["employed"] == 2  # the offer, and the registered outcome without an application
    assert data.totals["help"] == 1
    assert data.by_destination == {"grassroots": 1, "other": 1}
    assert data.by_specialty["会计学"] == {"graduates": 1}
    assert data.by_degree["master"] == {"graduates": 1, "employed": 1}
    assert hired  # (the 王 graduate counted through the outcome)


def test_the_rollup_run_twice_leaves_the_same_rows():
    f.application(applicant=f.graduate())
    services.progress_rollup()
    first = sorted(ProgressFigure.objects.values_list("university_id", "specialty", "measure", "count"))
    services.progress_rollup()
    second = sorted(ProgressFigure.objects.values_list("university_id", "specialty", "measure", "count"))
    assert second == first


def test_scopes_roll_up_class_university_province_and_nation():
    f.graduate(specialty="软件工程")
    f.graduate(specialty="会计学")
    f.graduate(university_name="北京大学")
    services.progress_rollup()
    counsellor = front.counsellor(specialty="软件工程", year=2022)
    assert access.progress_scope(counsellor).level == "class"
    assert _totals(access.progress_scope(counsellor))["graduates"] == 1
    assert _totals(access.progress_scope(f.officer()))["graduates"] == 2
    assert _totals(access.progress_scope(front.provincial_admin("44")))["graduates"] == 2
    nation = selectors.progress(scope=access.progress_scope(front.ministry_admin()))
    assert nation.totals["graduates"] == 3
    assert {name for _pk, name, _v in nation.by_area} >= {"广东省", "北京市"}


# --- Help flags and counsellors ---------------------------------------------------------------------------


def test_help_flags_stay_within_scope():
    graduate = GraduateProfile.objects.get(user=f.graduate(specialty="会计学"))
    counsellor = front.counsellor(specialty="软件工程")
    with pytest.raises(PermissionDenied):
        services.graduate_support_set(actor=counsellor, graduate=graduate, needs_help=True)
    with pytest.raises(PermissionDenied):
        services.graduate_support_set(actor=f.officer("北京大学"), graduate=graduate, needs_help=True)
    services.graduate_support_set(actor=f.officer(), graduate=graduate, needs_help=True)
    services.graduate_support_set(actor=f.officer(), graduate=graduate, needs_help=True)  # twice: one row
    assert list(selectors.graduates_needing_help(user=f.officer())) == [graduate]


def test_an_officer_assigns_only_counsellors_of_its_university():
    outsider = UserFactory(role=Role.COUNSELLOR, approved=True)
    f.affiliation_set(user=outsider, institution=f.university("北京大学"))
    with pytest.raises(ValidationError) as error:
        services.counsellor_assign(
            actor=f.officer(), counsellor=outsider, specialty="软件工程", graduation_year=2022
        )
    assert "counsellor" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.counsellor_assign(
            actor=front.counsellor(), counsellor=outsider, specialty="软件工程", graduation_year=2022
        )


def test_a_counsellor_whose_university_changed_loses_the_class():
    counsellor = front.counsellor()
    f.affiliation_set(user=counsellor, institution=f.university("北京大学"))
    counsellor.refresh_from_db()
    assert access.counsellor_class(counsellor) is None


# --- Directives -------------------------------------------------------------------------------------------


def _send_to_all():
    return services.directive_send(sender=front.ministry_admin(), title="通知", body="内容", audience="all")


def test_an_empty_audience_is_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError) as error:
        services.directive_send(sender=front.ministry_admin(), title="通知", body="内容", audience="all")
    assert "audience" in error.value.message_dict
    assert not Directive.objects.exists()


def test_a_provincial_admin_reaches_its_province_only():
    home, away = f.officer(), f.officer("北京大学")
    admin = front.provincial_admin("44")
    beijing, pku = Province.objects.get(code="11"), f.university("北京大学")
    with pytest.raises(PermissionDenied):
        services.directive_send(sender=admin, title="通", body="内容", audience="province", province=beijing)
    with pytest.raises(PermissionDenied):
        services.directive_send(sender=admin, title="通", body="内容", audience="university", university=pku)
    directive = front.directive(sender=admin, audience="all")  # "all" of a province: its province
    assert directive.audience == "province"
    assert set(DirectiveDelivery.objects.values_list("recipient_id", flat=True)) == {home.pk}
    assert away.pk not in set(services.directive_recipients(directive).values_list("pk", flat=True))


def test_delivery_in_batches_is_idempotent_when_retried_or_run_twice():
    # (each counsellor() also makes the officer who assigns it)
    people = [f.officer() for _ in range(3)] + [front.counsellor() for _ in range(2)]
    unapproved = f.officer(approved=False)
    directive = _send_to_all()
    recipients = services.directive_recipients(directive).count()
    assert recipients == directive.recipient_count >= len(people)

    assert services.directive_deliver(directive_id=directive.pk, batch_size=2) == recipients
    assert services.directive_deliver(directive_id=directive.pk, batch_size=2) == recipients  # retried
    assert DirectiveDelivery.objects.filter(directive=directive).count() == recipients
    assert not DirectiveDelivery.objects.filter(recipient=unapproved).exists()
    directive.refresh_from_db()
    assert (directive.status, directive.delivered_count) == ("delivered", recipients)


def test_a_delivery_interrupted_mid_way_resumes_without_duplicates():
    for _ in range(5):
        f.officer()
    directive = _send_to_all()
    services.directive_deliver(directive_id=directive.pk, batch_size=2)
    # a crash after the first batch: the later rows are missing
    keep = list(DirectiveDelivery.objects.filter(directive=directive).order_by("recipient_id")[:2])
    DirectiveDelivery.objects.filter(directive=directive).exclude(pk__in=[d.pk for d in keep]).delete()
    assert services.directive_deliver(directive_id=directive.pk, batch_size=2) == directive.recipient_count
    assert DirectiveDelivery.objects.filter(directive=directive).count() == directive.recipient_count


def test_reading_and_acknowledging_keep_the_first_time():
    officer = f.officer()
    urgent = front.directive(urgent=True)
    delivery = access.access_delivery(officer, urgent.pk)
    services.directive_read(delivery=delivery)
    first = delivery.read_at
    services.directive_read(delivery=delivery)
    assert delivery.read_at == first
    services.directive_acknowledge(delivery=delivery)
    services.directive_acknowledge(delivery=delivery)
    assert selectors.receipts(directive=urgent).acknowledged == 1
    plain = front.directive()
    with pytest.raises(ValidationError):
        services.directive_acknowledge(delivery=access.access_delivery(officer, plain.pk))


def test_attachments_are_checked_by_content_before_anything_is_stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    f.officer()
    fake = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.directive_send(
            sender=front.ministry_admin(), title="通知", body="内容", audience="all", attachments=[fake]
        )
    assert "attachments" in error.value.message_dict
    assert not Directive.objects.exists()
    good = SimpleUploadedFile("通知.pdf", MINIMAL_PDF, content_type="application/pdf")
    directive = services.directive_send(
        sender=front.ministry_admin(), title="通知", body="内容", audience="all", attachments=[good]
    )
    assert DirectiveAttachment.objects.get(directive=directive).name == "通知.pdf"


# --- Surveys ----------------------------------------------------------------------------------------------


def _survey(author=None):
    return services.survey_create(
        author=author or front.ministry_admin(),
        title="就业工作情况调查",
        fields=[
            services.FieldInput(label="已落实去向人数", kind=FieldKind.INTEGER),
            services.FieldInput(label="帮扶台账", kind=FieldKind.CHOICE, choices=["已建立", "未建立"]),
            services.FieldInput(label="困难", kind=FieldKind.TEXT, required=False),
        ],
    )


def test_officers_answer_once_per_university_until_closed():
    survey = _survey()
    number, choice, _text = (item.key for item in survey.fields.all())
    first, colleague = f.officer(), f.officer()
    services.survey_answer(actor=first, survey=survey, answers={number: 10, choice: "已建立"})
    services.survey_answer(actor=colleague, survey=survey, answers={number: "12", choice: "未建立"})
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    services.survey_answer(actor=f.officer("北京大学"), survey=survey, answers={number: 5, choice: "已建立"})
    totals = {t.key: t for t in selectors.survey_totals(survey=survey)}
    assert totals[number].total == 17
    assert totals[choice].options == [("已建立", 1), ("未建立", 1)]

    services.survey_close(actor=survey.author, survey=survey)
    with pytest.raises(ValidationError):
        services.survey_answer(actor=first, survey=survey, answers={number: 11, choice: "已建立"})


def test_bad_answers_name_their_fields():
    survey = _survey()
    number, choice, _text = (item.key for item in survey.fields.all())
    with pytest.raises(ValidationError) as error:
        services.survey_answer(actor=f.officer(), survey=survey, answers={number: "十", choice: "也许"})
    assert set(error.value.message_dict) == {number, choice}


def test_a_provincial_survey_reaches_its_province_only():
    survey = _survey(front.provincial_admin("44"))
    assert access.answerable_surveys(f.officer()).filter(pk=survey.pk).exists()
    assert not access.answerable_surveys(f.officer("北京大学")).filter(pk=survey.pk).exists()
    with pytest.raises(PermissionDenied):
        services.survey_answer(actor=f.officer("北京大学"), survey=survey, answers={})
    with pytest.raises(ValidationError) as error:
        services.survey_create(author=front.ministry_admin(), title="", fields=[])
    assert set(error.value.message_dict) == {"title", "fields"}
