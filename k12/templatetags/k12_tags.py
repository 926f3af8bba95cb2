from typing import Any

from django import template
from django.utils.translation import gettext as _

from k12.models import QuestionKind

register = template.Library()


@register.filter
def answer_label(value: str, question: Any) -> str:
    """An answer as a reader says it: 对/错 for true-or-false, "B. 七" for a choice, "七 / 7" for a blank."""
    if question.kind == QuestionKind.TRUE_FALSE:
        return {"true": _("True"), "false": _("False")}.get(str(value).strip().lower(), str(value))
    if question.kind == QuestionKind.CHOICE:
        text = next((o.get("text", "") for o in question.options if o.get("key") == value), "")
        return f"{value}. {text}" if text else str(value)
    return " / ".join(part for part in str(value).split("|") if part)
