import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from employment import services
from employment.models import (
    ApplicationEvent,
    ApplicationStatus,
    EmployerReview,
    EmployerStatus,
    GraduateProfile,
    ImportStatus,
    Job,
    JobStatus,
    RegistryRecord,
)
from smartedu.accounts.models import AuditAction, AuditEntry, Province, Role
from tests.factories import UserFactory
from tests.factories import employment as f

pytestmark = pytest.mark.django_db

HEADER = "name,id_number,university,specialty,degree,graduation_year\n"


# --- Registry import -------------------------------------------------------------------------------


def test_registry_import_is_idempotent_and_reports_bad_rows_with_line_numbers():
    admin = f.registry_admin()
    good1, good2 = f.id_number(), f.id_number()
    text = (
        HEADER
        + f"张三,{good1},中山大学,软件工程,本科,2022\n"
        + "李四,440106200001010010,中山大学,软件工程,本科,2022\n"  # wrong check digit
        + f"王五,{good2},不存在大学,会计学,硕士,2022\n"  # unknown university
        + f"赵六,{f.id_number()},中山大学,会计学,学士后,2022\n"  # unknown degree
    )
    first = services.registry_import(actor=admin, text=text)
    assert (first.status, first.total, first.processed, first.created) == (ImportStatus.DONE, 4, 4, 1)
    assert [(e["line"], sorted(e["errors"])) for e in first.errors] == [
        (3, ["id_number"]),
        (4, ["university"]),
        (5, ["degree"]),
    ]
    assert "440106200001010010" not in str(first.errors)  # the bad value is not echoed

    again = services.registry_import(actor=admin, text=text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert RegistryRecord.objects.count() == 1

    changed = services.registry_import(
        actor=admin, text=HEADER + f"张三,{good1},中山大学,计算机科学与技术,本科,2022\n"
    )
    assert (changed.created, changed.updated) == (0, 1)
    assert RegistryRecord.objects.get(id_number=good1).specialty == "计算机科学与技术"


def test_registry_import_accepts_chinese_headers_and_rejects_missing_columns():
    admin = f.registry_admin()
    job = services.registry_import(
        actor=admin,
        text=f"姓名,身份证号,学校,专业,学历,毕业年份\n张三,{f.id_number()},中山大学,法学,本科,2023\n",
    )
    assert job.created == 1
    with pytest.raises(ValidationError) as exc:
        services.registry_import(actor=admin, text="name,university\n张三,中山大学\n")
    assert "file" in exc.value.message_dict


def test_a_provincial_admin_imports_only_its_provinces_universities():
    gd_admin = UserFactory(role=Role.ADMIN, is_staff=True, province=Province.objects.get(code="44"))
    job = services.registry_import(
        actor=gd_admin,
        text=HEADER
        + f"张三,{f.id_number()},中山大学,法学,本科,2022\n李四,{f.id_number()},北京大学,法学,本科,2022\n",
    )
    assert job.created == 1
    assert job.errors == [{"line": 3, "errors": {"university": "该学校不在你管辖的省份。"}}]


@pytest.mark.parametrize("role", [Role.STUDENT, Role.GRADUATE, Role.EMPLOYER, Role.OFFICER])
def test_only_admins_import_the_registry(role):
    with pytest.raises(PermissionDenied):
        services.registry_import(actor=UserFactory(role=role), text=HEADER)


# --- Verification -----------------------------------------------------------------------------------


def test_a_matching_graduate_is_verified_and_a_second_time_changes_nothing():
    found = f.record(name="林小红")
    user = f.graduate(verified=False)
    details = {
        "name": "林小红",
        "id_number": found.id_number.lower(),
        "university": found.university,
        "specialty": "软件工程",
        "degree": "bachelor",
        "graduation_year": 2022,
    }
    profile = services.graduate_verify(user=user, **details)
    assert profile.record == found
    services.graduate_verify(user=user, **details)
    assert GraduateProfile.objects.filter(user=user).count() == 1


def test_a_mismatch_names_each_field_without_the_registry_value():
    found = f.record(name="林小红", specialty="软件工程")
    user = f.graduate(verified=False)
    with pytest.raises(ValidationError) as exc:
        services.graduate_verify(
            user=user,
            name="林小白",
            id_number=found.id_number,
            university=f.university("华南理工大学"),
            specialty="软件工程",
            degree="bachelor",
            graduation_year=2023,
        )
    errors = exc.value.message_dict
    assert sorted(errors) == ["graduation_year", "name", "university"]
    assert "林小红" not in str(errors)
    assert "中山大学" not in str(errors)
    assert "2022" not in str(errors)
    assert not GraduateProfile.objects.filter(user=user).exists()


def test_verification_rejects_a_wrong_check_digit_and_a_record_taken_by_another_account():
    found = f.record()
    with pytest.raises(ValidationError) as exc:
        services.graduate_verify(
            user=f.graduate(verified=False),
            name=found.name,
            id_number=found.id_number[:17] + ("0" if found.id_number[17] != "0" else "1"),
            university=found.university,
            specialty=found.specialty,
            degree=found.degree,
            graduation_year=found.graduation_year,
        )
    assert exc.value.message_dict["id_number"] == ["身份证号校验码错误。"]
    details = {
        "name": found.name,
        "id_number": found.id_number,
        "university": found.university,
        "specialty": found.specialty,
        "degree": found.degree,
        "graduation_year": found.graduation_year,
    }
    services.graduate_verify(user=f.graduate(verified=False), **details)
    with pytest.raises(ValidationError) as exc:
        services.graduate_verify(user=f.graduate(verified=False), **details)
    assert "id_number" in exc.value.message_dict


def test_only_graduates_verify():
    found = f.record()
    with pytest.raises(PermissionDenied):
        services.graduate_verify(
            user=UserFactory(role=Role.STUDENT),
            name=found.name,
            id_number=found.id_number,
            university=found.university,
            specialty=found.specialty,
            degree=found.degree,
            graduation_year=found.graduation_year,
        )


# --- Employers ------------------------------------------------------------------------------------------


def test_employer_registration_checks_credit_code_and_licence_content():
    user = UserFactory(role=Role.EMPLOYER, province=Province.objects.get(code="44"))
    base = {
        "user": user,
        "name": "示例公司",
        "industry": f.Industry.objects.get(code="I"),
        "province": Province.objects.get(code="44"),
        "size": "medium",
        "type": "private",
    }
    with pytest.raises(ValidationError) as exc:
        services.employer_register(credit_code="91350100M000100Y44", licence=f.licence(), **base)
    assert list(exc.value.message_dict) == ["credit_code"]
    with pytest.raises(ValidationError) as exc:
        services.employer_register(
            credit_code="91350100M000100Y43",
            licence=f.licence(b"MZ\x90\x00 not a pdf", "licence.pdf"),
            **base,
        )
    assert list(exc.value.message_dict) == ["licence"]
    png = services.employer_register(
        credit_code="91350100M000100Y43", licence=f.licence(f.PNG, "licence.png"), **base
    )
    assert png.status == EmployerStatus.PENDING
    assert png.licence.name.endswith(".png")
    # a double submit gives back the same organisation
    assert services.employer_register(credit_code="91350100M000100Y43", licence=f.licence(), **base) == png


def test_an_admin_in_scope_reviews_and_every_decision_is_logged():
    owner = f.employer(verified=False, province="44")
    org = f.org_of(owner)
    outsider = UserFactory(role=Role.ADMIN, is_staff=True, province=Province.objects.get(code="11"))
    with pytest.raises(PermissionDenied):
        services.employer_review(employer=org, actor=outsider, decision="verified")
    gd = UserFactory(role=Role.ADMIN, is_staff=True, province=Province.objects.get(code="44"))
    with pytest.raises(ValidationError):
        services.employer_review(employer=org, actor=gd, decision="rejected")  # a rejection needs a reason
    services.employer_review(employer=org, actor=gd, decision="verified", client_ip="10.0.0.1")
    services.employer_review(employer=org, actor=gd, decision="verified")  # same decision: nothing new
    services.employer_review(employer=org, actor=gd, decision="rejected", note="执照过期")
    reviews = list(
        EmployerReview.objects.filter(employer=org)
        .order_by("pk")
        .values_list("decision", "actor", "client_ip")
    )
    assert reviews == [("verified", gd.pk, "10.0.0.1"), ("rejected", gd.pk, None)]
    # verifying approved the account, in the account audit log
    assert AuditEntry.objects.filter(subject=owner, action=AuditAction.APPROVED, actor=gd).count() == 1


def test_changing_the_verified_identity_sends_the_employer_back_to_review():
    owner = f.employer()
    org = services.employer_update(employer=f.org_of(owner), actor=owner, description="新的介绍")
    assert org.status == EmployerStatus.VERIFIED
    org = services.employer_update(employer=org, actor=owner, name="改名后的公司")
    assert org.status == EmployerStatus.PENDING


# --- Jobs ------------------------------------------------------------------------------------------------


def test_only_verified_employers_post_and_the_rules_hold_suspicious_jobs():
    with pytest.raises(PermissionDenied):
        f.job(f.employer(verified=False))
    with pytest.raises(ValidationError) as exc:
        f.job(salary_min=9000, salary_max=8000)
    assert list(exc.value.message_dict) == ["salary_min"]
    held = f.job(description="限男性，身体健康。")
    assert held.status == JobStatus.FLAGGED
    assert held.review_flags[0]["code"] == "discrimination"
    assert not Job.objects.visible().filter(pk=held.pk).exists()
    admin = f.registry_admin()
    assert services.job_moderate(actor=admin, job=held, approve=True).status == JobStatus.OPEN


def test_expired_jobs_are_closed_once(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    job = f.job()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.jobs_close_expired() == 1
    assert services.jobs_close_expired() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.CLOSED


# --- Applications -------------------------------------------------------------------------------------------


def test_applying_twice_gives_back_the_same_application():
    grad, job = f.graduate(), f.job()
    first, created = services.application_create(graduate=grad, job=job)
    again, created_again = services.application_create(graduate=grad, job=job)
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert ApplicationEvent.objects.filter(application=first).count() == 1


def test_unverified_graduates_do_not_apply():
    with pytest.raises(PermissionDenied):
        services.application_create(graduate=f.graduate(verified=False), job=f.job())


def test_the_pipeline_moves_forward_only_and_records_every_step():
    owner = f.employer()
    application = f.application(target=f.job(owner))
    for status in ("viewed", "interview", "offer"):
        application = services.application_status_set(actor=owner, application=application, status=status)
    with pytest.raises(ValidationError) as exc:
        services.application_status_set(actor=owner, application=application, status="viewed")
    assert "status" in exc.value.message_dict
    assert list(application.events.values_list("status", flat=True)) == [
        "submitted",
        "viewed",
        "interview",
        "offer",
    ]
    with pytest.raises(PermissionDenied):
        services.application_status_set(actor=f.employer(), application=application, status="hired")


def test_a_graduate_withdraws_and_cannot_withdraw_a_decided_one():
    owner = f.employer()
    application = f.application(target=f.job(owner))
    withdrawn = services.application_withdraw(graduate=application.graduate, application=application)
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    other = f.application(target=f.job(owner))
    services.application_status_set(actor=owner, application=other, status="rejected")
    with pytest.raises(ValidationError):
        services.application_withdraw(graduate=other.graduate, application=other)


def test_bulk_status_moves_what_it_can():
    owner = f.employer()
    job = f.job(owner)
    a, b = f.application(target=job), f.application(target=job)
    services.application_withdraw(graduate=b.graduate, application=b)
    moved, refused = services.applications_bulk_status(actor=owner, ids=[a.pk, b.pk], status="interview")
    assert (moved, refused) == (1, [b.pk])


def test_messages_only_between_the_two_parties_and_unread_counts():
    from employment import selectors

    owner = f.employer()
    application = f.application(target=f.job(owner))
    services.message_send(sender=owner, application=application, body="请来面试")
    assert selectors.unread_count(user=application.graduate) == 1
    assert selectors.unread_count(user=owner) == 0
    services.messages_mark_read(reader=application.graduate, application=application)
    assert selectors.unread_count(user=application.graduate) == 0
    with pytest.raises(PermissionDenied):
        services.message_send(sender=f.graduate(), application=application, body="hi")
    with pytest.raises(ValidationError):
        services.message_send(sender=owner, application=application, body="   ")


# --- Intentions and résumés -------------------------------------------------------------------------------


def test_intention_salary_order_and_consent_withdrawal():
    grad = f.graduate()
    with pytest.raises(ValidationError) as exc:
        services.intention_save(user=grad, salary_min=9000, salary_max=5000)
    assert list(exc.value.message_dict) == ["salary_min"]
    f.resume(grad, consent=True)
    from employment.models import Resume

    assert Resume.objects.consenting().filter(user=grad).exists()
    services.resume_consent_set(user=grad, consent=False)
    assert not Resume.objects.consenting().filter(user=grad).exists()


def test_the_attachment_is_a_pdf_by_content():
    grad = f.graduate()
    with pytest.raises(ValidationError) as exc:
        services.resume_attachment_set(user=grad, file=f.licence(f.PNG, "cv.pdf"))
    assert "attachment" in exc.value.message_dict
    assert services.resume_attachment_set(user=grad, file=f.licence()).attachment
