"""The agreement as a PDF with its signature log and hashes (``smartedu.portal.pdf``, Noto CJK)."""

from __future__ import annotations

from django.http import HttpResponse

from employment.agreements.selectors import AgreementView
from smartedu.portal.pdf import render_pdf


def agreement_pdf(view: AgreementView) -> bytes:
    return render_pdf("agreements/pdf/agreement.html", {"view": view, "agreement": view.agreement})


def agreement_response(view: AgreementView) -> HttpResponse:
    response = HttpResponse(agreement_pdf(view), content_type="application/pdf")
    filename = f"agreement-{view.agreement.pk}-v{view.current.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
