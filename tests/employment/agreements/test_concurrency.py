"""Fifty simultaneous signs make one signature; two confirmations race and one graduate keeps one agreement
in force (unique constraints and a row lock, not checks in Python). PostgreSQL only."""

import pytest
from django.db import connection

from employment.agreements import services
from employment.agreements.models import Agreement, AgreementStatus, Signature, SignerRole
from tests.factories import agreements as a
from tests.factories import employment as f
from tests.factories.learning import run_together

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite serialises them)"
)
THREADS = 50


def test_fifty_concurrent_signs_make_one_signature(committed_db):
    agreement = a.agreement()
    graduate = agreement.graduate

    results, errors = run_together(
        lambda: services.agreement_sign(actor=graduate, agreement_id=agreement.pk, read_version=1),
        n=THREADS,
    )

    assert errors == []
    assert len(results) == THREADS
    assert Signature.objects.filter(agreement=agreement, role=SignerRole.GRADUATE).count() == 1
    assert sum(created for _agreement, _signature, created in results) == 1
    assert len({signature.pk for _agreement, signature, _created in results}) == 1
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING_OFFICER


def test_fifty_concurrent_drafts_make_one_agreement(committed_db):
    application = a.hired()
    employer = application.employer.user

    results, errors = run_together(
        lambda: services.agreement_draft(actor=employer, application=application, terms=a.terms()), n=THREADS
    )

    assert errors == []
    assert Agreement.objects.filter(application=application).count() == 1
    assert sum(created for _agreement, created in results) == 1


def test_two_confirmations_racing_leave_one_agreement_in_force(committed_db):
    graduate = f.graduate()
    officer = f.officer()
    first = a.agreement(graduate=graduate, signed=True)
    second = a.agreement(graduate=graduate, signed=True)
    targets = [first.pk, second.pk] * 10

    def confirm():
        return services.agreement_sign(actor=officer, agreement_id=targets.pop(), read_version=1)

    results, errors = run_together(confirm, n=len(targets))

    assert Agreement.objects.filter(graduate=graduate, status=AgreementStatus.IN_FORCE).count() == 1
    assert len(results) + len(errors) == 20
    assert all(type(error).__name__ == "ValidationError" for error in errors)
