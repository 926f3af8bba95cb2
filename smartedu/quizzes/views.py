"""Quiz pages: the standalone quiz page (the panel other pages include), results, the wrong-answer book.

The panel (``{% quiz_panel quiz %}``) posts here with ``next``, the page it is on; a graded attempt
redirects back there (to ``#quiz-<id>``), where the panel now shows the result and the explanations.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartedu.classes import ratelimit
from smartedu.portal.client import client_ip
from smartedu.quizzes import access, selectors, services
from smartedu.quizzes.forms import QuizForm, ReviewForm

WRONG_PER_PAGE = 20


def _safe_next(request: HttpRequest, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def quiz_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A quiz on its own page: the form, or the graded result with explanations."""
    quiz = access.access_quiz_for_view(request.user, pk)
    return render(request, "quizzes/quiz_detail.html", {"quiz": quiz})


@login_required
@require_POST
def quiz_submit(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = access.access_quiz_for_attempt(request.user, pk)
    form = QuizForm(request.POST, questions=selectors.quiz_questions(quiz=quiz))
    status = 400
    if form.is_valid():
        try:
            ratelimit.count(
                limit=ratelimit.attempt_submit_limit(),
                user_id=request.user.pk or 0,
                address=client_ip(request),
            )
            attempt, created = services.attempt_submit(
                student=request.user,  # type: ignore[arg-type]
                quiz=quiz,
                answers=form.answers(),
                client_token=form.cleaned_data["client_token"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except ratelimit.RateLimited:
            form.add_error(None, _("Too many submissions. Wait a minute and try again."))
            status = 429
        else:
            if not created:
                messages.info(request, _("These answers were already submitted."))
            target = _safe_next(request, form.cleaned_data["next"])
            if target:
                return redirect(f"{target.split('#')[0]}#quiz-{quiz.pk}")
            return redirect("quizzes:attempt", pk=attempt.pk)
    return render(request, "quizzes/quiz_detail.html", {"quiz": quiz, "quiz_form": form}, status=status)


@login_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_get(pk=access.access_attempt(request.user, pk).pk)
    if attempt is None:
        raise Http404
    return render(
        request,
        "quizzes/attempt_detail.html",
        {"attempt": attempt, "quiz": attempt.quiz if attempt else None},
    )


@login_required
def quiz_results(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = access.access_quiz_for_results(request.user, pk)
    return render(
        request, "quizzes/results.html", {"quiz": quiz, "results": selectors.quiz_results(quiz=quiz)}
    )


@login_required
def wrong_answers(request: HttpRequest) -> HttpResponse:
    """The student's wrong-answer book (错题本), with a button to review it."""
    if not access.wrong_answer_book_openable(request.user):
        raise PermissionDenied
    page = Paginator(selectors.wrong_answers(student=request.user), WRONG_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "quizzes/wrong_answers.html", {"page_obj": page, "answers": page.object_list})


@login_required
@require_POST
def review_start(request: HttpRequest) -> HttpResponse:
    if not access.wrong_answer_book_openable(request.user):
        raise PermissionDenied
    wrong = selectors.wrong_question_ids(student=request.user)
    form = ReviewForm(request.POST, question_ids=wrong)
    if form.is_valid():
        try:
            quiz = services.review_quiz_start(
                student=request.user,  # type: ignore[arg-type]
                question_ids=form.cleaned_data["questions"] or None,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("quizzes:detail", pk=quiz.pk)
    else:
        messages.error(request, _("Choose questions from your wrong-answer book."))
    return redirect("quizzes:wrong-answers")
