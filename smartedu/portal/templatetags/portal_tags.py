from typing import Any

from django import template

from smartedu.portal.numbers import format_count

register = template.Library()


@register.filter
def wan(value: Any) -> str:
    """A count in 万/亿 (Chinese) or with separators (other languages): ``{{ views|wan }}``."""
    try:
        return format_count(int(value))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template, or nothing."""
    try:
        return mapping.get(key, ())
    except AttributeError:
        return ()
