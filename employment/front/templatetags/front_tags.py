"""``{% front_links user as links %}``: the employment front's links ``user`` may follow (sub-navigation)."""

from __future__ import annotations

from django import template

from smartedu.portal.registry import NavLink, nav_links_for

register = template.Library()


@register.simple_tag
def front_links(user: object) -> list[NavLink]:
    return [link for link in nav_links_for(user) if link.key.startswith("employment.front.")]
