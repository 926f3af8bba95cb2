from typing import Any

from django import template
from django.template.base import FilterExpression

from smartedu.portal import header
from smartedu.portal.fragments import fragment_render
from smartedu.portal.numbers import format_count

register = template.Library()


@register.filter
def wan(value: Any) -> str:
    """A count in 万/亿 (Chinese) or with separators (other languages): ``{{ views|wan }}``."""
    try:
        return format_count(int(value))
    except (TypeError, ValueError):
        return str(value)


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> str:
    """The site's header: a cached block, the visitor's own parts filled in (smartedu/portal/header.py)."""
    return header.site_header(context.get("request"), context.get("user"), context.get("csrf_token"))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template, or nothing."""
    try:
        return mapping.get(key, ())
    except AttributeError:
        return ()


class FragmentNode(template.Node):
    def __init__(
        self,
        nodelist: template.NodeList,
        name: FilterExpression,
        vary: list[FilterExpression],
        timeout: FilterExpression | None,
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.timeout = timeout

    def render(self, context: template.Context) -> str:
        timeout = self.timeout.resolve(context) if self.timeout is not None else None
        return fragment_render(
            name=str(self.name.resolve(context)),
            vary=[value.resolve(context) for value in self.vary],
            render=lambda: self.nodelist.render(context),
            request=context.get("request"),
            timeout=int(timeout) if timeout is not None else None,
        )


@register.tag("fragment")
def do_fragment(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
    """``{% fragment "name" value… [timeout=seconds] %}…{% endfragment %}``: a block that is the same for
    every visitor, cached per language, values and content generation (smartedu/portal/fragments.py)."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    timeout = None
    if bits[-1].startswith("timeout="):
        timeout = parser.compile_filter(bits.pop()[len("timeout=") :])
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[0]), [parser.compile_filter(bit) for bit in bits[1:]], timeout
    )
