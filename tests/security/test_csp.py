"""Issue 7.14: a Content-Security-Policy on every page; no inline script; the Swagger UI works under it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/accounts/login/", "/accounts/register/", "/k12/", "/admin/login/", "/api/docs/", "/en/"]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_the_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_the_policy_names_no_other_host_and_no_unsafe_source(client):
    policy = _policy(client.get("/"))
    sources = {source for values in policy.values() for source in values}
    assert sources <= {"'self'", "'none'", "data:"}


def test_error_pages_and_api_responses_carry_it_too(client):
    assert "frame-ancestors 'none'" in client.get("/no-such-page/")["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get("/api/v1/provinces/")["Content-Security-Policy"]


def test_the_swagger_page_loads_its_start_script_from_a_url(client):
    page = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts
    assert all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page
    init = re.search(r'<script src="([^"]*\?[^"]*script[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.get(init)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()
    from django.contrib.staticfiles import finders

    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', page)
    assert len(assets) >= 4
    assert [a for a in assets if not finders.find(a)] == []


def _templates() -> list[Path]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [*ROOT.glob("*/templates"), *ROOT.glob("smartedu/*/templates")]
    return sorted({t for root in roots for t in root.rglob("*.html")})


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for template in _templates():
        text = template.read_text(encoding="utf-8")
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, flags=re.S | re.I):
            if "src=" not in attrs and 'type="application/json"' not in attrs:
                offenders.append(f"{template.relative_to(ROOT)}: <script{attrs}>")
            elif "src=" in attrs and body.strip():
                offenders.append(f"{template.relative_to(ROOT)}: script with both src and body")
        offenders += [f"{template.relative_to(ROOT)}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        offenders += [
            f"{template.relative_to(ROOT)}: javascript: URL" for _ in re.findall(r"javascript:", text)
        ]
    assert len(_templates()) > 20
    assert offenders == []


def test_an_admins_pages_carry_it(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "frame-ancestors 'none'" in client.get(reverse("admin:index"))["Content-Security-Policy"]
