"""The agreement pages: who opens each, drafting from the hired application, signing and confirming through
the forms, cancelling, the officer's waiting list and notices, the PDF, and pinned query counts."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from employment.agreements import services
from employment.agreements.models import AgreementStatus, Notice, Signature, SignerRole
from tests.employment.conftest import ROLES
from tests.factories import agreements as a
from tests.factories import employment as f

pytestmark = pytest.mark.django_db
OPENERS = {"graduate", "graduate_unverified", "employer", "employer_unverified", "officer"}


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_agreements_page_and_sees_its_link(client, as_role, role):
    from smartedu.portal.registry import nav_links_for

    user = as_role(role)
    response = client.get(reverse("employment:agreements"))
    if role in OPENERS:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    shown = {link.url_name for link in nav_links_for(user)} if user else set()
    assert ("employment:agreements" in shown) == (role in OPENERS)


@pytest.mark.parametrize("role", ROLES)
def test_someone_elses_agreement_page_and_pdf(client, as_role, role):
    agreement = a.agreement(signed=True)
    as_role(role)
    page = client.get(reverse("employment:agreements-detail", args=[agreement.pk]))
    pdf = client.get(reverse("employment:agreements-pdf", args=[agreement.pk]))
    draft = client.get(reverse("employment:agreements-new", args=[agreement.application_id]))
    if role == "anonymous":
        assert (page.status_code, pdf.status_code, draft.status_code) == (302, 302, 302)
        return
    # the officer of 中山大学 is a party; the ministry reads it but gets no PDF
    assert page.status_code == (200 if role in ("officer", "ministry_admin") else 404)
    assert pdf.status_code == (200 if role == "officer" else 404)
    assert draft.status_code == (404 if role == "employer" else 403)


def test_the_employer_drafts_from_the_hired_application_page(client):
    application = a.hired()
    employer = application.employer.user
    client.force_login(employer)
    page = client.get(reverse("employment:application", args=[application.pk]))
    new_url = reverse("employment:agreements-new", args=[application.pk])
    assert new_url in page.content.decode()
    form = client.get(new_url)
    assert form.context["form"].initial["position"] == application.job.title
    data = {"position": "Java开发工程师", "place": "广东省深圳市", "salary": "12000", "term_months": "36",
            "probation_months": "3", "clauses": services.STANDARD_CLAUSES}  # fmt: skip
    bad = client.post(new_url, {**data, "probation_months": "9"})
    assert bad.status_code == 200
    assert "probation_months" in bad.context["form"].errors
    done = client.post(new_url, data, REMOTE_ADDR="198.51.100.4")
    signature = Signature.objects.get(role=SignerRole.EMPLOYER)
    assert done["Location"] == reverse("employment:agreements-detail", args=[signature.agreement_id])
    assert signature.client_ip == "198.51.100.4"
    # the application page's link now leads to the agreement
    again = client.get(new_url)
    assert again["Location"] == reverse("employment:agreements-detail", args=[signature.agreement_id])


def test_an_offer_that_is_not_hired_cannot_be_drafted(client):
    application = f.application()
    client.force_login(application.employer.user)
    response = client.get(reverse("employment:agreements-new", args=[application.pk]))
    assert response["Location"] == reverse("employment:application", args=[application.pk])


def test_the_graduate_signs_and_a_stale_form_is_refused(client):
    agreement = a.agreement()
    url = reverse("employment:agreements-detail", args=[agreement.pk])
    client.force_login(agreement.graduate)
    page = client.get(url)
    assert page.context["can_sign"]
    services.agreement_revise(
        actor=agreement.employer.user, agreement_id=agreement.pk, terms=a.terms(salary=11000), read_version=1
    )
    stale = client.post(url, {"part": "sign", "version": "1"}, follow=True)
    assert not Signature.objects.filter(role=SignerRole.GRADUATE).exists()
    assert "11000" in stale.content.decode()
    client.post(url, {"part": "sign", "version": "2"})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING_OFFICER


def test_the_officer_sees_what_waits_confirms_it_and_reads_notices(client):
    officer = f.officer()
    agreement = a.agreement(signed=True)
    client.force_login(officer)
    page = client.get(reverse("employment:agreements"))
    assert [x.pk for x in page.context["waiting"]] == [agreement.pk]
    client.post(
        reverse("employment:agreements-detail", args=[agreement.pk]), {"part": "sign", "version": "1"}
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_FORCE
    services.agreement_cancel(actor=agreement.graduate, agreement_id=agreement.pk, reason="考取公务员")
    services.agreement_cancel(actor=agreement.employer.user, agreement_id=agreement.pk)
    page = client.get(reverse("employment:agreements"))
    assert page.context["waiting"] == []
    assert [n.agreement_id for n in page.context["notices"]] == [agreement.pk]
    client.post(reverse("employment:agreements"))
    assert not Notice.objects.filter(read_at__isnull=True).exists()


def test_cancelling_through_the_page_needs_a_reason(client):
    agreement = a.agreement(officer=f.officer())
    url = reverse("employment:agreements-detail", args=[agreement.pk])
    client.force_login(agreement.graduate)
    client.post(url, {"part": "cancel", "reason": ""})
    agreement.refresh_from_db()
    assert agreement.cancel_requested_at is None
    client.post(url, {"part": "cancel", "reason": "家庭原因回老家就业"})
    client.force_login(agreement.employer.user)
    client.post(url, {"part": "cancel"})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.CANCELLED


def test_the_pdf_shows_the_terms_signatures_and_hashes(client):
    agreement = a.agreement(officer=f.officer())
    client.force_login(agreement.employer.user)
    response = client.get(reverse("employment:agreements-pdf", args=[agreement.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    version = agreement.versions.get()
    for expected in ("Java开发工程师", "广东省深圳市", "中山大学", "203.0.113.2", version.content_hash[:32]):
        assert expected in text.replace("\n", "")


def test_page_writes_are_rate_limited(client, settings):
    settings.EMPLOYMENT_THROTTLE_WRITE = "1/min"
    agreement = a.agreement()
    url = reverse("employment:agreements-detail", args=[agreement.pk])
    client.force_login(agreement.graduate)
    assert client.post(url, {"part": "cancel", "reason": "x"}).status_code == 302
    assert client.post(url, {"part": "sign", "version": "1"}).status_code == 429


def test_list_and_detail_query_counts_are_pinned(client, django_assert_max_num_queries):
    employer = f.employer()
    for _ in range(3):
        a.agreement(employer=employer, signed=True)
    agreement = a.agreement(employer=employer, officer=f.officer())
    client.force_login(employer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("employment:agreements")).status_code == 200
    for _ in range(5):
        a.agreement(employer=employer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("employment:agreements")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("employment:agreements-detail", args=[agreement.pk])).status_code == 200
