"""The résumé as a PDF: rendered on the server by ``smartedu.portal.pdf`` (WeasyPrint, Noto CJK)."""

from __future__ import annotations

from django.http import HttpResponse

from employment.models import GraduateProfile, Resume, ResumeSection
from smartedu.portal.pdf import render_pdf


def resume_pdf(*, resume: Resume, profile: GraduateProfile | None) -> bytes:
    entries = list(resume.entries.all())
    sections = [(label, [e for e in entries if e.section == value]) for value, label in ResumeSection.choices]
    return render_pdf(
        "employment/pdf/resume.html",
        {"resume": resume, "profile": profile, "sections": [s for s in sections if s[1]]},
    )


def resume_response(*, resume: Resume, profile: GraduateProfile | None) -> HttpResponse:
    response = HttpResponse(resume_pdf(resume=resume, profile=profile), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="resume.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
