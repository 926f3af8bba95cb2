"""Employment test data, built through ``employment.services`` (the one write path)."""

from __future__ import annotations

import itertools
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from employment import rules, services
from employment.models import (
    Application,
    Degree,
    Employer,
    EmployerSize,
    EmployerStatus,
    EmployerType,
    GraduateProfile,
    Industry,
    Job,
    JobType,
    RegistryRecord,
)
from employment.seed import MINIMAL_PDF, credit_code_for
from smartedu.accounts.models import Province, Role, User
from smartedu.institutions.models import Institution
from smartedu.institutions.services import affiliation_set
from tests.factories import UserFactory

_ids = itertools.count(1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def university(name: str = "中山大学") -> Institution:
    return Institution.objects.get(name=name)


def id_number(province_code: str = "44") -> str:
    first17 = f"{province_code}0106{20000101 + next(_ids) % 28:08d}{next(_ids) % 1000:03d}"
    return first17 + rules.id_check_character(first17)


def registry_admin() -> User:
    return UserFactory(role=Role.ADMIN, is_staff=True)


def record(
    *,
    name: str = "林小红",
    university_name: str = "中山大学",
    specialty: str = "软件工程",
    degree: str = Degree.BACHELOR,
    year: int = 2022,
    number: str | None = None,
) -> RegistryRecord:
    number = number or id_number()
    services.registry_import(
        actor=registry_admin(),
        text=f"name,id_number,university,specialty,degree,graduation_year\n"
        f"{name},{number},{university_name},{specialty},{degree},{year}\n",
    )
    return RegistryRecord.objects.get(id_number=number, degree=degree)


def graduate(*, verified: bool = True, university_name: str = "中山大学", **record_fields: object) -> User:
    user = UserFactory(role=Role.GRADUATE, province=Province.objects.get(code="44"))
    if verified:
        found = record(university_name=university_name, **record_fields)  # type: ignore[arg-type]
        services.graduate_verify(
            user=user,
            name=found.name,
            id_number=found.id_number,
            university=found.university,
            specialty=found.specialty,
            degree=found.degree,
            graduation_year=found.graduation_year,
        )
    return user


def licence(content: bytes = MINIMAL_PDF, name: str = "licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def employer(
    *,
    verified: bool = True,
    province: str = "44",
    industry: str = "I",
    name: str | None = None,
    reviewer: User | None = None,
) -> User:
    """An employer account with its organisation registered, verified by an administrator unless told."""
    n = next(_ids)
    user = UserFactory(role=Role.EMPLOYER, province=Province.objects.get(code=province))
    org = services.employer_register(
        user=user,
        name=name or f"示例科技有限公司{n}",
        credit_code=credit_code_for(500_000 + n, province),
        industry=Industry.objects.get(code=industry),
        province=Province.objects.get(code=province),
        city="深圳",
        size=EmployerSize.MEDIUM,
        type=EmployerType.PRIVATE,
        licence=licence(),
    )
    if verified:
        services.employer_review(
            employer=org, actor=reviewer or registry_admin(), decision=EmployerStatus.VERIFIED
        )
    user.refresh_from_db()
    return user


def org_of(user: User) -> Employer:
    return Employer.objects.get(user=user)


def job(
    owner: User | None = None,
    *,
    title: str = "Java开发工程师",
    description: str = "负责后端开发。",
    province: str = "44",
    city: str = "深圳",
    industry: str = "I",
    education: str = Degree.BACHELOR,
    salary_min: int = 8000,
    salary_max: int = 15000,
    job_type: str = JobType.FULL_TIME,
    specialty_class: str = "0809",
) -> Job:
    owner = owner or employer()
    return services.job_create(
        actor=owner,
        data=services.JobInput(
            title=title,
            description=description,
            industry=Industry.objects.get(code=industry),
            province=Province.objects.get(code=province),
            city=city,
            education=education,
            salary_min=salary_min,
            salary_max=salary_max,
            job_type=job_type,
            specialty_class=specialty_class,
        ),
    )


def application(*, applicant: User | None = None, target: Job | None = None) -> Application:
    created, _ = services.application_create(graduate=applicant or graduate(), job=target or job())
    return created


def resume(user: User, *, consent: bool = False, phone: str = "13812345678") -> None:
    services.resume_save(user=user, headline="软件工程应届生", phone=phone, skills="Python、Java")
    services.resume_entries_replace(
        user=user,
        entries=[
            services.EntryInput(
                section="education", title="软件工程 · 本科", organisation="中山大学", start=date(2018, 9, 1)
            )
        ],
    )
    if consent:
        services.resume_consent_set(user=user, consent=True)


def officer(home: str = "中山大学", *, approved: bool = True) -> User:
    user = UserFactory(role=Role.OFFICER, province=Province.objects.get(code="44"), approved=approved)
    affiliation_set(user=user, institution=university(home))
    return user


def profile_of(user: User) -> GraduateProfile:
    return GraduateProfile.objects.get(user=user)
