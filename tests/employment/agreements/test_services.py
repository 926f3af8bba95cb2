import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from employment.agreements import services
from employment.agreements.models import Agreement, AgreementStatus, Notice, Signature, SignerRole
from tests.factories import agreements as a
from tests.factories import employment as f

pytestmark = pytest.mark.django_db


def test_employer_drafts_graduate_signs_officer_confirms_and_it_is_in_force():
    # given a hired application
    application = a.hired()
    employer = application.employer.user
    officer = f.officer()
    # when the employer drafts
    agreement, created = services.agreement_draft(
        actor=employer, application=application, terms=a.terms(), client_ip="203.0.113.9"
    )
    # then it waits for the graduate, with the employer's signature on version 1
    assert created
    assert agreement.status == AgreementStatus.AWAITING_GRADUATE
    version = agreement.versions.get()
    assert (
        version.content_hash
        == hashlib.sha256(services.canonical_content(agreement, version).encode()).hexdigest()
    )
    # a double click gives back the same agreement
    again, created = services.agreement_draft(actor=employer, application=application, terms=a.terms())
    assert (again.pk, created) == (agreement.pk, False)

    agreement, signature, created = services.agreement_sign(
        actor=application.graduate, agreement_id=agreement.pk, read_version=1, client_ip="198.51.100.7"
    )
    assert created
    assert agreement.status == AgreementStatus.AWAITING_OFFICER
    assert (signature.signer_id, signature.client_ip, signature.content_hash) == (
        application.graduate_id,
        "198.51.100.7",
        version.content_hash,
    )
    agreement, _sig, _c = services.agreement_sign(actor=officer, agreement_id=agreement.pk, read_version=1)
    assert agreement.status == AgreementStatus.IN_FORCE
    assert agreement.in_force_at is not None
    assert sorted(Signature.objects.filter(agreement=agreement).values_list("role", flat=True)) == sorted(
        SignerRole.values
    )


def test_only_a_hired_application_of_ones_own_gets_an_agreement():
    application = f.application()
    with pytest.raises(ValidationError) as exc:
        services.agreement_draft(actor=application.employer.user, application=application, terms=a.terms())
    assert "application" in exc.value.message_dict
    hired = a.hired()
    with pytest.raises(PermissionDenied):
        services.agreement_draft(actor=f.employer(), application=hired, terms=a.terms())


@pytest.mark.parametrize(
    ("field", "value"),
    [("position", " "), ("salary", 0), ("term_months", 0), ("probation_months", 7), ("clauses", "")],
)
def test_bad_terms_name_the_field(field, value):
    application = a.hired()
    with pytest.raises(ValidationError) as exc:
        services.agreement_draft(
            actor=application.employer.user, application=application, terms=a.terms(**{field: value})
        )
    assert field in exc.value.message_dict


def test_a_change_makes_a_new_chained_version_and_signatures_start_over():
    agreement = a.agreement(signed=True)
    employer = agreement.employer.user
    v1 = agreement.versions.get(number=1)
    agreement = services.agreement_revise(
        actor=employer, agreement_id=agreement.pk, terms=a.terms(salary=13000), read_version=1
    )
    assert (agreement.version, agreement.status) == (2, AgreementStatus.AWAITING_GRADUATE)
    v2 = agreement.versions.get(number=2)
    assert v2.previous_hash == v1.content_hash
    assert v2.content_hash != v1.content_hash
    # version 1 is unchanged, and the graduate's signature of it does not count for version 2
    v1.refresh_from_db()
    assert v1.salary == 12000
    assert not Signature.objects.filter(version=v2, role=SignerRole.GRADUATE).exists()
    # signing the version read before the change: a conflict
    with pytest.raises(services.VersionConflict):
        services.agreement_sign(actor=agreement.graduate, agreement_id=agreement.pk, read_version=1)
    # the same terms again make no new version
    same = services.agreement_revise(
        actor=employer, agreement_id=agreement.pk, terms=a.terms(salary=13000), read_version=2
    )
    assert same.version == 2


def test_in_force_cannot_change_and_the_graduate_cannot_revise():
    agreement = a.agreement(officer=f.officer())
    with pytest.raises(ValidationError):
        services.agreement_revise(
            actor=agreement.employer.user, agreement_id=agreement.pk, terms=a.terms(salary=1), read_version=1
        )
    other = a.agreement()
    with pytest.raises(PermissionDenied):
        services.agreement_revise(
            actor=other.graduate, agreement_id=other.pk, terms=a.terms(), read_version=1
        )


def test_the_officer_confirms_only_after_the_graduate_and_only_for_their_university():
    agreement = a.agreement()
    officer = f.officer()
    with pytest.raises(ValidationError):
        services.agreement_sign(actor=officer, agreement_id=agreement.pk, read_version=1)
    services.agreement_sign(actor=agreement.graduate, agreement_id=agreement.pk, read_version=1)
    with pytest.raises(PermissionDenied):
        services.agreement_sign(actor=f.officer("北京大学"), agreement_id=agreement.pk, read_version=1)
    with pytest.raises(PermissionDenied):
        services.agreement_sign(actor=agreement.employer.user, agreement_id=agreement.pk, read_version=1)


def test_one_graduate_has_at_most_one_agreement_in_force():
    graduate = f.graduate()
    officer = f.officer()
    a.agreement(graduate=graduate, officer=officer)
    # drafting another is refused in Python…
    application = a.hired(graduate=graduate)
    with pytest.raises(ValidationError):
        services.agreement_draft(actor=application.employer.user, application=application, terms=a.terms())
    # …and the database refuses a second row in force even past the services
    second = Agreement.objects.create(
        application=application,
        graduate=graduate,
        employer=application.employer,
        university=f.university(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=second.pk).update(status=AgreementStatus.IN_FORCE)


def test_cancelling_needs_a_reason_and_both_consents_and_notifies_the_officer():
    officer = f.officer()
    agreement = a.agreement(officer=officer)
    with pytest.raises(ValidationError) as exc:
        services.agreement_cancel(actor=agreement.graduate, agreement_id=agreement.pk, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.agreement_cancel(actor=officer, agreement_id=agreement.pk, reason="学校要求")
    agreement = services.agreement_cancel(
        actor=agreement.graduate, agreement_id=agreement.pk, reason="考取研究生"
    )
    assert agreement.status == AgreementStatus.IN_FORCE
    assert agreement.cancel_graduate_at is not None
    assert not Notice.objects.exists()
    agreement = services.agreement_cancel(actor=agreement.employer.user, agreement_id=agreement.pk)
    assert agreement.status == AgreementStatus.CANCELLED
    assert agreement.cancel_reason == "考取研究生"
    notice = Notice.objects.get()
    assert (notice.university_id, notice.agreement_id) == (agreement.university_id, agreement.pk)
    # the graduate may now get another agreement in force
    a.agreement(graduate=agreement.graduate, officer=officer)
    assert services.notices_mark_read(officer=officer) == 1


def test_agreements_verify_passes_clean_rows_and_catches_an_edited_one():
    agreement = a.agreement(officer=f.officer())
    out = StringIO()
    call_command("agreements_verify", stdout=out, stderr=StringIO())
    assert "1 agreement(s) verified" in out.getvalue()
    # when someone edits the salary behind the services' back
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE employment_agreements_agreementversion SET salary = 99999 WHERE agreement_id = %s",
            [agreement.pk],
        )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("agreements_verify", stdout=StringIO(), stderr=err)
    assert f"agreement {agreement.pk}: version 1: content does not match its hash" in err.getvalue()


def test_agreements_verify_catches_a_rewritten_version_whose_hash_was_recomputed():
    agreement = a.agreement(signed=True)
    services.agreement_revise(
        actor=agreement.employer.user, agreement_id=agreement.pk, terms=a.terms(salary=15000), read_version=1
    )
    v1 = agreement.versions.get(number=1)
    v1.salary = 20000
    forged = services.content_hash(agreement, v1)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE employment_agreements_agreementversion SET salary = 20000, content_hash = %s"
            " WHERE id = %s",
            [forged, v1.pk],
        )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("agreements_verify", stdout=StringIO(), stderr=err)
    text = err.getvalue()
    assert "version 2: does not chain to the previous version" in text
    assert "hash differs from its version" in text  # the signatures of version 1
