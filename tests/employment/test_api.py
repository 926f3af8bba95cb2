"""``/api/v1/employment/``: every endpoint's forbidden cases across the roles, bad input, idempotency."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from employment.models import Application, Employer, EmployerReview, Job, RegistryRecord
from smartedu.accounts.models import Province, Role
from tests.employment.conftest import ROLES
from tests.factories import UserFactory
from tests.factories import employment as f

pytestmark = pytest.mark.django_db
API = "/api/v1/employment"
HEADER = "name,id_number,university,specialty,degree,graduation_year\n"


def expected(status_by_role: dict[str, int], role: str, default: int) -> int:
    return status_by_role.get(role, default)


# --- Jobs ---------------------------------------------------------------------------------------------


def job_payload(**changes):
    return {
        "title": "Python开发工程师",
        "description": "负责数据平台开发。",
        "industry": "I",
        "province": "44",
        "city": "深圳",
        "education": "bachelor",
        "salary_min": 9000,
        "salary_max": 16000,
        **changes,
    }


@pytest.mark.parametrize("role", ROLES)
def test_jobs_are_public_to_read(api_client, as_role, role):
    job = f.job()
    as_role(role)
    listing = api_client.get(f"{API}/jobs/")
    assert listing.status_code == 200
    assert [j["id"] for j in listing.json()["results"]] == [job.pk]
    assert api_client.get(f"{API}/jobs/{job.pk}/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_only_verified_employers_post_jobs(api_client, as_role, role):
    as_role(role)
    response = api_client.post(f"{API}/jobs/", job_payload(), format="json")
    status = {"anonymous": 401, "employer": 201}.get(role, 403)
    assert response.status_code == status, response.content
    assert Job.objects.count() == (1 if status == 201 else 0)


def test_bad_job_input_names_the_field(api_client, as_role):
    as_role("employer")
    response = api_client.post(f"{API}/jobs/", job_payload(salary_min=20000, salary_max=10000), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["salary_min"]
    response = api_client.post(
        f"{API}/jobs/", job_payload(industry="Z", specialty_class="9999"), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"industry", "specialty_class"}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_edits_and_closes_a_job(api_client, as_role, role):
    job = f.job()
    as_role(role)
    patch = api_client.patch(f"{API}/jobs/{job.pk}/", {"title": "改"}, format="json")
    close = api_client.delete(f"{API}/jobs/{job.pk}/")
    status = 401 if role == "anonymous" else (404 if role == "employer" else 403)
    assert (patch.status_code, close.status_code) == (status, status)


def test_the_owner_edits_and_closes(api_client):
    owner = f.employer()
    job = f.job(owner)
    api_client.force_authenticate(owner)
    response = api_client.patch(f"{API}/jobs/{job.pk}/", {"salary_max": 18000}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["salary_max"] == 18000
    assert api_client.delete(f"{API}/jobs/{job.pk}/").json()["status"] == "closed"
    assert api_client.get(f"{API}/jobs/{job.pk}/").status_code == 200  # the owner still sees it
    api_client.force_authenticate(None)
    assert api_client.get(f"{API}/jobs/{job.pk}/").status_code == 404


def test_job_filters_and_keyset_pages(api_client, search_indexed):
    owner = f.employer()
    for n in range(5):
        f.job(
            owner,
            title=f"会计{n}",
            industry="J",
            province="11",
            city="北京",
            salary_min=5000 + n * 1000,
            salary_max=9000 + n * 1000,
        )
    f.job(owner, title="护士", industry="Q", province="44", salary_min=6000, salary_max=8000)
    response = api_client.get(f"{API}/jobs/", {"industry": "J", "province": "11", "page_size": 2})
    body = response.json()
    assert body["count"] == 5
    assert body["count_capped"] is False
    seen = [j["id"] for j in body["results"]]
    while body["next"]:
        body = api_client.get(body["next"]).json()
        seen += [j["id"] for j in body["results"]]
    assert len(seen) == len(set(seen)) == 5
    by_salary = api_client.get(f"{API}/jobs/", {"sort": "salary", "salary": 12000}).json()["results"]
    assert [j["salary_max"] for j in by_salary] == [13000, 12000]
    assert api_client.get(f"{API}/jobs/", {"q": "护士"}).json()["count"] == 1
    assert api_client.get(f"{API}/jobs/", {"cursor": "not-a-cursor!"}).status_code == 400
    assert api_client.get(f"{API}/jobs/", {"education": "phd"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_recommendations_are_for_graduates(api_client, as_role, role):
    as_role(role)
    status = {"anonymous": 401, "graduate": 200, "graduate_unverified": 200}.get(role, 403)
    assert api_client.get(f"{API}/jobs/recommended/").status_code == status


def test_recommendations_say_why(api_client):
    grad = f.graduate()
    f.job(title="Java开发工程师", city="深圳")
    f.job(title="会计", city="北京", province="11", industry="J")
    from employment import services
    from employment.models import Industry

    services.intention_save(
        user=grad,
        industries=[Industry.objects.get(code="I")],
        provinces=[Province.objects.get(code="44")],
        cities="深圳",
        positions="Java开发",
    )
    api_client.force_authenticate(grad)
    rows = api_client.get(f"{API}/jobs/recommended/").json()
    assert [r["job"]["title"] for r in rows] == ["Java开发工程师"]
    assert rows[0]["reason"] == "符合你的求职意向：深圳 · Java开发 · 本科"  # zh-hans first


# --- Verification and registry ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_verification_is_for_graduates(api_client, as_role, role):
    found = f.record()
    as_role(role)
    body = {
        "name": found.name,
        "id_number": found.id_number,
        "university": found.university_id,
        "specialty": found.specialty,
        "degree": found.degree,
        "graduation_year": found.graduation_year,
    }
    response = api_client.post(f"{API}/verification/", body, format="json")
    if role == "graduate_unverified":
        assert response.status_code == 200
        assert api_client.get(f"{API}/verification/").json()["specialty"] == "软件工程"
    elif role == "graduate":
        assert response.status_code == 400  # that record is not theirs
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)


def test_verification_bad_input(api_client, as_role):
    found = f.record()
    as_role("graduate_unverified")
    base = {
        "name": found.name,
        "id_number": found.id_number,
        "university": found.university_id,
        "specialty": found.specialty,
        "degree": found.degree,
        "graduation_year": found.graduation_year,
    }
    wrong_digit = found.id_number[:17] + ("1" if found.id_number[17] != "1" else "2")
    response = api_client.post(f"{API}/verification/", {**base, "id_number": wrong_digit}, format="json")
    assert response.status_code == 400
    assert response.json()["id_number"] == ["身份证号校验码错误。"]
    response = api_client.post(f"{API}/verification/", {**base, "specialty": "会计学"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"specialty": ["与学籍学历库不一致。"]}
    assert api_client.get(f"{API}/verification/").status_code == 404


def registry_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("registry.csv", text.encode("utf-8"), content_type="text/csv")


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_import_the_registry(api_client, as_role, role):
    as_role(role)
    before = RegistryRecord.objects.count()
    text = f"{HEADER}张三,{f.id_number()},中山大学,法学,本科,2022"
    response = api_client.post(f"{API}/registry/import/", {"file": registry_file(text)}, format="multipart")
    if role == "ministry_admin":
        assert response.status_code == 201
        assert response.json()["percent"] == 100
        assert api_client.get(f"{API}/registry/import/{response.json()['id']}/").status_code == 200
    elif role == "provincial_admin_other":  # 北京's admin: 中山大学 is outside the province
        assert response.status_code == 201
        assert response.json()["errors"][0]["line"] == 2
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
    assert RegistryRecord.objects.count() - before == (1 if role == "ministry_admin" else 0)


def test_a_registry_file_that_is_not_utf8_is_400(api_client, as_role):
    as_role("ministry_admin")
    upload = SimpleUploadedFile("r.csv", "姓名".encode("gbk") + b"\xff\xfe", content_type="text/csv")
    response = api_client.post(f"{API}/registry/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


# --- Intention and résumé ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_intention_and_resume_are_the_graduates_own(api_client, as_role, role):
    as_role(role)
    intention = api_client.put(
        f"{API}/intention/",
        {"industries": ["I"], "provinces": ["44"], "job_type": "full_time"},
        format="json",
    )
    resume = api_client.put(f"{API}/resume/", {"headline": "应届生", "entries": []}, format="json")
    pdf = api_client.get(f"{API}/resume/pdf")
    if role.startswith("graduate"):
        assert (intention.status_code, resume.status_code) == (200, 200)
    else:
        status = 401 if role == "anonymous" else 403
        assert (intention.status_code, resume.status_code, pdf.status_code) == (status, status, status)


def test_resume_round_trip_consent_and_bad_input(api_client):
    grad = f.graduate()
    api_client.force_authenticate(grad)
    assert api_client.get(f"{API}/resume/").status_code == 404
    body = {
        "headline": "软件工程应届生",
        "phone": "13800001111",
        "skills": "Python",
        "entries": [
            {
                "section": "education",
                "title": "软件工程",
                "organisation": "中山大学",
                "start": "2018-09-01",
                "end": "2022-06-30",
            }
        ],
        "consent": True,
    }
    saved = api_client.put(f"{API}/resume/", body, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["consent"] is True
    assert saved.json()["entries"][0]["title"] == "软件工程"
    bad = api_client.put(
        f"{API}/resume/", {**body, "entries": [{"section": "hobbies", "title": "x"}]}, format="json"
    )
    assert bad.status_code == 400
    assert "entries" in bad.json()
    bad = api_client.put(f"{API}/resume/", {**body, "phone": "call me"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()) == ["phone"]
    salary = api_client.put(
        f"{API}/intention/",
        {"industries": [], "provinces": [], "salary_min": 9000, "salary_max": 100, "job_type": "full_time"},
        format="json",
    )
    assert salary.status_code == 400
    assert list(salary.json()) == ["salary_min"]


# --- Applications and messages -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_verified_graduates_apply(api_client, as_role, role):
    job = f.job()
    as_role(role)
    response = api_client.post(f"{API}/applications/", {"job": job.pk}, format="json")
    status = {"anonymous": 401, "graduate": 201}.get(role, 403)
    assert response.status_code == status
    if status == 201:
        again = api_client.post(f"{API}/applications/", {"job": job.pk}, format="json")
        assert again.status_code == 200
        assert again.json()["id"] == response.json()["id"]
        assert Application.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_an_application_is_seen_only_by_its_two_parties(api_client, as_role, role):
    application = f.application()
    as_role(role)
    detail = api_client.get(f"{API}/applications/{application.pk}/")
    messages = api_client.get(f"{API}/applications/{application.pk}/messages/")
    patch = api_client.patch(f"{API}/applications/{application.pk}/", {"status": "viewed"}, format="json")
    status = 401 if role == "anonymous" else 404
    assert (detail.status_code, messages.status_code, patch.status_code) == (status, status, status)
    listing = api_client.get(f"{API}/applications/")
    if role in ("graduate", "graduate_unverified", "employer"):
        assert listing.json()["results"] == []
    else:
        assert listing.status_code == (401 if role == "anonymous" else 403)


def test_employer_moves_the_status_and_graduate_sees_every_step_and_replies(api_client):
    owner = f.employer()
    application = f.application(target=f.job(owner))
    api_client.force_authenticate(owner)
    assert api_client.get(f"{API}/applications/").json()["count"] == 1
    for status in ("viewed", "interview", "offer"):
        response = api_client.patch(
            f"{API}/applications/{application.pk}/", {"status": status}, format="json"
        )
        assert response.status_code == 200, response.content
    assert (
        api_client.patch(
            f"{API}/applications/{application.pk}/", {"status": "withdrawn"}, format="json"
        ).status_code
        == 400
    )
    sent = api_client.post(
        f"{API}/applications/{application.pk}/messages/", {"body": "恭喜，发放录用通知"}, format="json"
    )
    assert sent.status_code == 201
    api_client.force_authenticate(application.graduate)
    mine = api_client.get(f"{API}/applications/").json()["results"][0]
    assert mine["unread"] == 1
    detail = api_client.get(f"{API}/applications/{application.pk}/").json()
    assert [h["status"] for h in detail["history"]] == ["submitted", "viewed", "interview", "offer"]
    thread = api_client.get(f"{API}/applications/{application.pk}/messages/").json()
    assert [(m["body"], m["mine"]) for m in thread] == [("恭喜，发放录用通知", False)]
    assert (
        api_client.post(
            f"{API}/applications/{application.pk}/messages/", {"body": "谢谢！"}, format="json"
        ).status_code
        == 201
    )
    assert (
        api_client.patch(
            f"{API}/applications/{application.pk}/", {"status": "hired"}, format="json"
        ).status_code
        == 403
    )
    assert (
        api_client.post(
            f"{API}/applications/{application.pk}/messages/", {"body": ""}, format="json"
        ).status_code
        == 400
    )


def test_a_graduate_withdraws(api_client):
    application = f.application()
    api_client.force_authenticate(application.graduate)
    response = api_client.patch(
        f"{API}/applications/{application.pk}/", {"status": "withdrawn"}, format="json"
    )
    assert response.json()["status"] == "withdrawn"


# --- Employers ---------------------------------------------------------------------------------------------


def employer_form(**changes):
    return {
        "name": "广州示例科技有限公司",
        "credit_code": "914403001922038216",
        "industry": "I",
        "province": "44",
        "size": "medium",
        "type": "private",
        "licence": f.licence(),
        **changes,
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_employer_accounts_register_an_organisation(api_client, as_role, role):
    user = as_role(role)
    if role == "employer_new":
        pass
    response = api_client.post(f"{API}/employers/", employer_form(), format="multipart")
    if role in ("employer", "employer_unverified"):
        assert response.status_code == 400  # already registered
        assert "non_field_errors" in response.json()
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
    del user


def test_registration_bad_input_and_double_submit(api_client):
    user = UserFactory(role=Role.EMPLOYER, province=Province.objects.get(code="44"))
    api_client.force_authenticate(user)
    bad = api_client.post(
        f"{API}/employers/", employer_form(credit_code="914403001922038217"), format="multipart"
    )
    assert bad.status_code == 400
    assert list(bad.json()) == ["credit_code"]
    exe = SimpleUploadedFile("licence.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")
    bad = api_client.post(f"{API}/employers/", employer_form(licence=exe), format="multipart")
    assert bad.status_code == 400
    assert list(bad.json()) == ["licence"]
    first = api_client.post(f"{API}/employers/", employer_form(), format="multipart")
    assert first.status_code == 201
    assert first.json()["status"] == "pending"
    again = api_client.post(f"{API}/employers/", employer_form(), format="multipart")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Employer.objects.count() == 1
    # pending employers are not public
    api_client.force_authenticate(None)
    assert api_client.get(f"{API}/employers/{first.json()['id']}/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_patches_an_employer(api_client, as_role, role):
    org = f.org_of(f.employer())
    as_role(role)
    response = api_client.patch(f"{API}/employers/{org.pk}/", {"description": "x"}, format="multipart")
    status = 401 if role == "anonymous" else (404 if role.startswith("employer") else 403)
    assert response.status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_in_scope_review_employers(api_client, as_role, role):
    org = f.org_of(f.employer(verified=False, province="44"))
    as_role(role)
    response = api_client.post(f"{API}/employers/{org.pk}/review/", {"decision": "verified"}, format="json")
    if role == "ministry_admin":
        assert response.status_code == 200
        assert response.json()["status"] == "verified"
        assert EmployerReview.objects.filter(employer=org).count() == 1
    elif role == "provincial_admin_other":
        assert response.status_code == 404
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)


def test_review_bad_input(api_client, as_role):
    org = f.org_of(f.employer(verified=False))
    as_role("ministry_admin")
    response = api_client.post(f"{API}/employers/{org.pk}/review/", {"decision": "rejected"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    response = api_client.post(f"{API}/employers/{org.pk}/review/", {"decision": "maybe"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["decision"]


# --- Talent and supply ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_talent_and_supply_are_for_verified_employers(api_client, as_role, role):
    as_role(role)
    talent = api_client.get(f"{API}/talent/")
    supply = api_client.get(f"{API}/supply/", {"year": 2022})
    status = {"anonymous": 401, "employer": 200}.get(role, 403)
    assert (talent.status_code, supply.status_code) == (status, status)


def test_talent_shows_only_consenting_graduates_and_withdrawal_hides_at_once(api_client):
    from employment import services

    shown, hidden = f.graduate(), f.graduate()
    f.resume(shown, consent=True)
    f.resume(hidden, consent=False)
    api_client.force_authenticate(f.employer())
    assert [r["graduate"] for r in api_client.get(f"{API}/talent/").json()["results"]] == [shown.pk]
    services.resume_consent_set(user=shown, consent=False)
    assert api_client.get(f"{API}/talent/").json()["results"] == []


def test_supply_suppresses_cells_under_five(api_client):
    admin = f.registry_admin()
    from employment import services

    rows = ["name,id_number,university,specialty,degree,graduation_year"]
    rows += [f"甲{n},{f.id_number()},中山大学,法学,本科,2022" for n in range(5)]
    rows += [f"乙{n},{f.id_number()},中山大学,会计学,本科,2022" for n in range(4)]
    services.registry_import(actor=admin, text="\n".join(rows))
    api_client.force_authenticate(f.employer())
    cells = {c["specialty"]: c["count"] for c in api_client.get(f"{API}/supply/", {"year": 2022}).json()}
    assert cells == {"会计学": None, "法学": 5}
    assert api_client.get(f"{API}/supply/").status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_a_resume_is_read_only_by_verified_employers_with_consent_or_an_application(
    api_client, as_role, role
):
    consenting, private = f.graduate(), f.graduate()
    f.resume(consenting, consent=True)
    f.resume(private)
    as_role(role)
    shown = api_client.get(f"{API}/talent/{consenting.pk}/")
    hidden = api_client.get(f"{API}/talent/{private.pk}/")
    if role == "employer":
        assert shown.status_code == 200
        assert shown.json()["phone"] == "138****5678"
        assert "*" in shown.json()["id_number"]
        assert hidden.status_code == 404
    else:
        status = 401 if role == "anonymous" else 403
        assert (shown.status_code, hidden.status_code) == (status, status)


def test_an_application_opens_the_resume_unmasked(api_client):
    owner, grad = f.employer(), f.graduate()
    f.resume(grad)
    api_client.force_authenticate(owner)
    assert api_client.get(f"{API}/talent/{grad.pk}/").status_code == 404
    f.application(applicant=grad, target=f.job(owner))
    body = api_client.get(f"{API}/talent/{grad.pk}/").json()
    assert body["phone"] == "13812345678"
    assert body["id_number"] == f.profile_of(grad).id_number
