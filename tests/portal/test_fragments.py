"""Cached blocks of pages ({% fragment %}): served from the cache until the content generation moves."""

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from smartedu.portal import fragments
from smartedu.portal.fragments import cached_block, fragment_render
from smartedu.portal.pagecache import GENERATION_KEY, page_cache_invalidate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_on")]


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"<p>rendered {self.calls}</p>"


def test_a_block_is_rendered_once_then_served_from_the_cache():
    render = Counter()
    first = fragment_render(name="test.block", vary=[1], render=render)
    second = fragment_render(name="test.block", vary=[1], render=render)
    assert first == second == "<p>rendered 1</p>"
    assert render.calls == 1


def test_each_value_and_language_is_a_block_of_its_own():
    render = Counter()
    with translation.override("zh-hans"):
        fragment_render(name="test.block", vary=[1], render=render)
        fragment_render(name="test.block", vary=[2], render=render)
    with translation.override("en"):
        fragment_render(name="test.block", vary=[1], render=render)
    assert render.calls == 3


def test_a_new_generation_makes_every_block_stale_after_the_commit(django_capture_on_commit_callbacks):
    render = Counter()
    fragment_render(name="test.block", vary=[], render=render)
    with django_capture_on_commit_callbacks(execute=True):
        page_cache_invalidate()
        # not before the commit: a reader would cache what the transaction has not made visible yet
        assert fragment_render(name="test.block", vary=[], render=render) == "<p>rendered 1</p>"
    assert fragment_render(name="test.block", vary=[], render=render) == "<p>rendered 2</p>"


def test_the_generation_is_read_once_per_request():
    request = RequestFactory().get("/")
    fragment_render(name="test.a", vary=[], render=Counter(), request=request)
    cache.set(GENERATION_KEY, cache.get(GENERATION_KEY, 0) + 1)
    # this request keeps the generation it started with; the next one sees the new one
    render = Counter()
    fragment_render(name="test.b", vary=[], render=render, request=request)
    fragment_render(name="test.b", vary=[], render=render, request=request)
    assert render.calls == 1
    fragment_render(name="test.b", vary=[], render=render, request=RequestFactory().get("/"))
    assert render.calls == 2


def test_off_when_the_setting_is_zero(settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    render = Counter()
    fragment_render(name="test.block", vary=[], render=render)
    fragment_render(name="test.block", vary=[], render=render)
    assert render.calls == 2


def test_a_cache_that_does_not_answer_never_breaks_the_page(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("no cache")

    monkeypatch.setattr(fragments.cache, "get_many", broken)
    assert fragment_render(name="test.block", vary=[], render=Counter()) == "<p>rendered 1</p>"


def test_a_block_may_carry_a_figure_for_the_view():
    calls = []

    def render() -> tuple[str, int]:
        calls.append(1)
        return "<p>12 results</p>", 12

    assert cached_block(name="test.pair", vary=[], render=render) == ("<p>12 results</p>", 12)
    assert cached_block(name="test.pair", vary=[], render=render) == ("<p>12 results</p>", 12)
    assert len(calls) == 1


def test_the_template_tag_keys_by_its_values():
    template = Template(
        '{% load portal_tags %}{% fragment "test.tag" code %}<b>{{ name }}</b>{% endfragment %}'
    )
    assert template.render(Context({"code": "a", "name": "甲"})) == "<b>甲</b>"
    assert template.render(Context({"code": "a", "name": "乙"})) == "<b>甲</b>"  # the same block
    assert template.render(Context({"code": "b", "name": "乙"})) == "<b>乙</b>"


def test_the_template_tag_accepts_a_shorter_timeout():
    template = Template('{% load portal_tags %}{% fragment "test.t" timeout=60 %}x{% endfragment %}')
    assert template.render(Context({})) == "x"


def test_a_block_this_process_holds_costs_no_round_trip(monkeypatch):
    fragment_render(name="test.a", vary=[], render=Counter())
    fragment_render(name="test.b", vary=[], render=Counter())
    calls = []
    inside: list[bool] = []
    real_get, real_get_many = fragments.cache.get, fragments.cache.get_many

    def get(*args, **kwargs):
        if not inside:
            calls.append("get")
        return real_get(*args, **kwargs)

    def get_many(*args, **kwargs):  # the local-memory cache's get_many is a loop of gets: one Redis trip
        calls.append("get_many")
        inside.append(True)
        try:
            return real_get_many(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(fragments.cache, "get", get)
    monkeypatch.setattr(fragments.cache, "get_many", get_many)
    request = RequestFactory().get("/")
    render = Counter()
    assert fragment_render(name="test.a", vary=[], render=render, request=request) == "<p>rendered 1</p>"
    assert fragment_render(name="test.b", vary=[], render=render, request=request) == "<p>rendered 1</p>"
    assert render.calls == 0
    assert calls == ["get_many"]  # the generation (with the first block); the second block is held here


def test_a_cache_that_lost_its_generation_never_serves_this_processs_old_copies():
    render = Counter()
    fragment_render(name="test.block", vary=[], render=render)
    cache.clear()  # Redis restarted: the counter is gone; a counter starting at 0 again could meet old copies
    assert fragment_render(name="test.block", vary=[], render=render) == "<p>rendered 2</p>"
    assert cache.get(GENERATION_KEY) is not None


def test_a_copy_lives_no_longer_than_the_shared_entry(monkeypatch):
    render = Counter()
    fragment_render(name="test.block", vary=[], render=render, timeout=60)
    assert fragment_render(name="test.block", vary=[], render=render, timeout=60) == "<p>rendered 1</p>"
    later = fragments.time.time() + 61
    monkeypatch.setattr(fragments.time, "time", lambda: later)
    assert fragment_render(name="test.block", vary=[], render=render, timeout=60) == "<p>rendered 2</p>"


def test_a_first_block_held_here_is_not_fetched_with_the_generation(monkeypatch):
    fragment_render(name="test.a", vary=[], render=Counter())
    asked: list[list[str]] = []
    real_get_many = fragments.cache.get_many

    def get_many(keys, *args, **kwargs):
        asked.append(list(keys))
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(fragments.cache, "get_many", get_many)
    render = Counter()
    assert fragment_render(name="test.a", vary=[], render=render, request=RequestFactory().get("/")) == (
        "<p>rendered 1</p>"
    )
    assert asked == [[GENERATION_KEY]]  # the copy here is current: the value stays in Redis
    fragments._local.clear()  # another process: no copy, so the block comes with the generation
    asked.clear()
    assert fragment_render(name="test.a", vary=[], render=render, request=RequestFactory().get("/")) == (
        "<p>rendered 1</p>"
    )
    assert len(asked) == 1
    assert len(asked[0]) == 2
    assert render.calls == 0


def test_a_stale_copy_here_gives_way_to_the_block_another_process_rendered(
    django_capture_on_commit_callbacks,
):
    fragment_render(name="test.a", vary=[], render=Counter())  # held here, this generation
    with django_capture_on_commit_callbacks(execute=True):
        page_cache_invalidate()
    # Another process renders the block in the new generation first.
    generation = cache.get(GENERATION_KEY)
    key = fragments.fragment_key("test.a", translation.get_language() or "", [])
    cache.set(key, (generation, "<p>theirs</p>", fragments.time.time() + 60), 60)
    render = Counter()
    assert fragment_render(name="test.a", vary=[], render=render, request=RequestFactory().get("/")) == (
        "<p>theirs</p>"
    )
    assert render.calls == 0


def test_a_platforms_blocks_stay_when_another_platform_changes(django_capture_on_commit_callbacks):
    from tests.factories import employment as f

    k12, home = Counter(), Counter()
    fragment_render(name="test.k12", vary=[], render=k12, request=RequestFactory().get("/k12/"))
    fragment_render(name="test.home", vary=[], render=home, request=RequestFactory().get("/"))
    with django_capture_on_commit_callbacks(execute=True):
        f.job(title="财务会计")  # 24365 content
    fragment_render(name="test.k12", vary=[], render=k12, request=RequestFactory().get("/k12/"))
    fragment_render(name="test.home", vary=[], render=home, request=RequestFactory().get("/"))
    assert (k12.calls, home.calls) == (1, 2)  # the home page's block may show anything: rendered anew
    with django_capture_on_commit_callbacks(execute=True):
        page_cache_invalidate("k12")
    fragment_render(name="test.k12", vary=[], render=k12, request=RequestFactory().get("/en/k12/x/"))
    assert k12.calls == 2
