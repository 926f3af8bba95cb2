"""Every page reads in Chinese: a crawl of the demo site in zh-hans, as a visitor, a student and the admin.

Two checks on every page reached:

* **No untranslated message.** Every ``gettext``/``ngettext``/``pgettext`` call made while rendering is
  watched; a message with Latin letters that comes back unchanged in zh-hans has no translation.
* **No ASCII-only label.** The interface words a user acts on (``<label>``, ``<button>``, ``<legend>``,
  ``<summary>``, ``<caption>``, column headers, the options of a menu, ``aria-label``, ``placeholder``)
  are never English-only or ``---------``; a colon after a label is the full-width one. Content inside
  an element marked ``data-content`` (an English lesson's answer choices) is the lesson's own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from smartedu.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LABEL_TAGS = {"label", "button", "legend", "summary", "caption", "option"}
LABEL_ATTRIBUTES = ("aria-label", "placeholder")
LATIN = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u3400-\u9fff]")
# Words that stay as they are in Chinese text: formats, names of things, the language switch's own names.
ALLOWED = {"API", "CSV", "PDF", "MP4", "WebM", "smartedu", "English", "Swagger UI", "JSON"}
# Paths not crawled: other languages, files, exports, writes behind links, the Django admin's own pages.
SKIP = re.compile(r"^/(en/|api/|media/|static/|admin/.+|i18n/)|/(file|visit|cover\.svg)\b|export=|download=")
PAGES_PER_ROLE = 45
PER_VIEW = 2


class LabelCollector(HTMLParser):
    """The label texts and attributes of a page, and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.labels: list[str] = []
        self.links: list[str] = []
        self._open: list[tuple[str, list[str]]] = []
        self._content: list[str] = []  # open elements marked data-content: the lesson's own words

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if "data-content" in found:
            self._content.append(tag)
        if self._content:  # an English lesson's answer choices are content, not the interface
            return
        for name in LABEL_ATTRIBUTES:
            if found.get(name):
                self.labels.append(str(found[name]))
        if tag in LABEL_TAGS or (tag == "th" and found.get("scope") == "col"):
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if self._content and self._content[-1] == tag:
            self._content.pop()
        if self._open and self._open[-1][0] == tag:
            _tag, parts = self._open.pop()
            self.labels.append(" ".join("".join(parts).split()))

    def handle_data(self, data: str) -> None:
        for _tag, parts in self._open:
            parts.append(data)


def english_only(label: str) -> bool:
    text = label.strip()
    if not text or text in ALLOWED or CJK.search(text):
        return False
    if set(text) <= set("-—–· "):  # "---------": a filter's empty choice
        return bool(text)
    return bool(LATIN.search(text)) and not text.isupper()  # codes such as "A" in a choice are fine


@pytest.fixture
def untranslated(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The messages looked up in zh-hans that came back untranslated while the test ran."""
    missing: set[str] = set()
    trans = translation._trans  # type: ignore[attr-defined]  # Django's switch between real and null

    def watch(name: str, message_at: int) -> Callable[..., str]:
        real = getattr(trans, name)

        def wrapper(*args: Any) -> str:
            result = real(*args)
            message = args[message_at]
            if (
                translation.get_language() == "zh-hans"
                and result == message
                and LATIN.search(message)
                and message.strip() not in ALLOWED
            ):
                missing.add(message)
            return result

        return wrapper

    for name, at in (("gettext", 0), ("ngettext", 0), ("pgettext", 1), ("npgettext", 1)):
        monkeypatch.setattr(trans, name, watch(name, at))
    return missing


def crawl(client: Client, start: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Pages reached from ``start`` (a few per view): {path: English-only labels}, and the pages seen."""
    queue, seen, per_view = list(start), set(), Counter()
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        try:
            view = resolve(urlsplit(path).path).view_name
        except Resolver404:
            continue
        if per_view[view] >= PER_VIEW:
            continue
        per_view[view] += 1
        seen.add(path)
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = LabelCollector()
        page.feed(response.content.decode())
        bad = [
            label for label in page.labels if english_only(label) or re.search(r"[^\x00-\x7f]:\s*$", label)
        ]
        if bad:
            problems[path] = bad
        queue.extend(link.split("#")[0] for link in page.links if link.startswith("/"))
    return problems, sorted(seen)


@pytest.fixture
def demo_site(db: None) -> None:
    call_command("seed_demo", "--scale", "small", verbosity=0)


@pytest.mark.parametrize("username", [None, "student", "admin"])
def test_every_page_reads_in_chinese(demo_site, untranslated, username):
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    start = [
        "/",
        "/k12/",
        "/k12/textbooks/?stage=junior&subject=math&edition=pep&book=7-autumn",
        "/search/?q=数学",
    ]
    if username:
        start += ["/me/", "/accounts/profile/", "/k12/me/", "/dashboard/"]
    else:
        start += ["/accounts/login/", "/accounts/register/", "/accounts/password/reset/"]
    problems, seen = crawl(client, start)
    assert len(seen) >= 15, seen  # the crawl did reach the site
    assert problems == {}
    assert sorted(untranslated) == []


def test_the_check_finds_english_labels_and_the_empty_choice_dashes():
    assert english_only("Search")
    assert english_only("---------")
    assert not english_only("搜索")
    assert not english_only("CSV")
    assert not english_only("A")
