"""``{% load quizzes %}{% quiz_panel quiz %}``: a quiz as a no-JS form, and its graded result.

Any page may include a quiz it owns (a K-12 lesson hour, a vocational item)::

    {% load quizzes %}
    {% for quiz in quizzes %}{% quiz_panel quiz heading=3 %}{% endfor %}

The panel asks ``quizzes.access`` who sees what: a student gets the form (once for an in-class test or
homework, while it is open) and, after submitting, their latest graded attempt with the right answers and
explanations; the quiz's teacher gets the answers and a link to the results; anyone else who may see the
quiz reads the questions only. The form posts to ``/quizzes/<id>/submit/`` and comes back to this page.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import template
from django.utils.translation import pgettext

from smartedu.quizzes import access, grading, selectors
from smartedu.quizzes.forms import QuizForm
from smartedu.quizzes.models import Question, Quiz

register = template.Library()


@register.inclusion_tag("quizzes/includes/quiz_panel.html", takes_context=True)
def quiz_panel(context: template.Context, quiz: Quiz, heading: int = 2) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    questions = selectors.quiz_questions(quiz=quiz)
    may_attempt = access.may_attempt(user, quiz)
    latest = selectors.attempt_latest(student=user, quiz=quiz) if may_attempt else None
    can_attempt = may_attempt and quiz.is_open() and not (quiz.is_class_bound and latest)
    # A bound form for this quiz (after a rejected submission) comes back through the context.
    form = context.get("quiz_form")
    if form is None or getattr(form, "questions", None) != questions:
        form = None
    if can_attempt and form is None:
        form = QuizForm(
            questions=questions,
            initial={"client_token": uuid.uuid4().hex, "next": request.get_full_path() if request else ""},
        )
    return {
        "request": request,
        "user": user,
        "quiz": quiz,
        "questions": questions,
        "latest": latest,
        "form": form if can_attempt or form is not None else None,
        "can_attempt": can_attempt,
        "is_student": may_attempt,
        "shows_answers": access.quiz_manageable_by(user, quiz),
        "heading": heading if heading in (2, 3, 4) else 2,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def answer_display(question: Question, value: str) -> str:
    """An answer as a reader sees it: B → "B. 北京", true → 正确, A,C → "A, C"."""
    if question.kind == grading.TRUE_FALSE:
        return {
            "true": pgettext("true-or-false answer", "True"),
            "false": pgettext("true-or-false answer", "False"),
        }.get(value, value)
    if question.kind in grading.CHOICE_KINDS:
        texts = {o.get("key"): o.get("text") for o in question.options if isinstance(o, dict)}
        keys = grading.parse_multiple(value) if question.kind == grading.MULTIPLE else [value]
        return "；".join(f"{k}. {texts[k]}" if k in texts else k for k in keys)
    if question.kind == grading.FILL_IN:
        return " / ".join(part for part in value.split("|") if part.strip()) if "|" in value else value
    return value
