from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _own_book(user: Any, owner_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.pk == owner_id


class QuizzesConfig(AppConfig):
    """One question engine: question kinds, knowledge points, grading, attempts and wrong-answer review."""

    name = "smartedu.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse

        from smartedu.portal.registry import NavLink, register_nav_link
        from smartedu.quizzes import access
        from smartedu.quizzes.registry import register_quiz_owner
        from smartedu.quizzes.services import WRONG_BOOK_KIND

        # A student's review of their wrong answers is a quiz owned by their own wrong-answer book.
        register_quiz_owner(
            WRONG_BOOK_KIND,
            platform="",
            label=_("wrong-answer book"),
            may_view=_own_book,
            page_url=lambda owner_id: reverse("quizzes:wrong-answers"),
        )
        register_nav_link(
            NavLink(
                key="wrong-answers",
                label=_("Wrong-answer book"),
                url_name="quizzes:wrong-answers",
                order=6,
                allowed=access.wrong_answer_book_openable,
            )
        )
