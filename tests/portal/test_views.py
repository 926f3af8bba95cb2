import pytest
from django.urls import reverse

from k12.models import Edition
from smartedu.search import registry as search_registry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_four_sub_platforms_with_counted_figures(client, django_assert_max_num_queries):
    Edition.objects.create(code="extra", name="试验版", publisher="试验出版社", order=99)
    # 8 before higher education's figures; it adds four counted from Course.objects.visible(), vocational
    # two (libraries, teacher-built courses) beside its categories, employment three (open jobs, verified
    # employers, verified graduates). Then the portal's own: content per kind, the week's most viewed (and the
    # counters), the newest of each sub-platform with searchable kinds, the announcements, and the partner
    # platforms switched off right now (their courses leave the figures before the index catches up).
    with django_assert_max_num_queries(17 + 5 + len(search_registry.platform_keys())):
        response = client.get("/")
    assert response.status_code == 200
    cards = {card["platform"].key: card for card in response.context["cards"]}
    assert list(cards) == ["k12", "vocational", "higher_ed", "employment"]
    figures = {f["label"]: f["value"] for f in cards["k12"]["figures"]}
    assert figures["教材版本"] == 20  # 19 loaded by migration + 1 made here: counted, not typed in
    higher = {f["label"]: f["value"] for f in cards["higher_ed"]["figures"]}
    assert (higher["学科门类"], higher["专业类"], higher["课程"]) == (13, 92, 0)
    for url in ("/k12/", "/vocational/", "/higher-ed/", "/employment/"):
        assert f'href="{url}"' in response.text


def test_home_figures_are_cached_between_requests(client, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        client.get("/")


def test_pages_are_chinese_by_default_and_english_under_en(client):
    zh = client.get("/")
    assert '<html lang="zh-hans">' in zh.text
    assert "国家智慧教育平台" in zh.text
    en = client.get("/en/")
    assert '<html lang="en">' in en.text
    assert "National Smart Education Platform" in en.text
    assert "国家智慧教育平台" not in en.text


def test_language_switch_is_links_to_this_page_in_each_language(client):
    page = client.get("/k12/?page=2")
    assert '<a href="/en/k12/?page=2" lang="en" hreflang="en">English</a>' in page.text
    assert 'aria-current="true">简体中文</span>' in page.text
    assert "csrfmiddlewaretoken" not in page.text  # nothing in the header makes the page personal
    english = client.get("/en/k12/")
    assert '<a href="/k12/" lang="zh-hans" hreflang="zh-hans">简体中文</a>' in english.text


@pytest.mark.parametrize("url", ["/k12/", "/vocational/", "/higher-ed/", "/employment/"])
def test_sub_platform_landing_pages_render(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # K-12: + the options of its one-form textbook choice
        response = client.get(url)
    assert response.status_code == 200
    assert 'id="main"' in response.text


def test_landing_pages_show_reference_data(client):
    assert "人教PEP版" in client.get("/k12/").text
    assert "计算机类" in client.get("/higher-ed/").text
    assert "装备制造大类" in client.get("/vocational/").text
    assert "信息传输、软件和信息技术服务业" in client.get("/employment/").text


def test_base_template_has_landmarks_and_skip_link(client):
    text = client.get("/").text
    assert 'class="skip-link" href="#main"' in text
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in text


def test_no_page_loads_anything_from_another_host(client):
    UserFactory(username="amy")
    for url in ("/", "/en/", "/k12/", "/accounts/login/", "/accounts/register/", "/api/docs/", "/nope/"):
        text = client.get(url).text
        for attr in ('src="http', "src='http", 'href="http', "href='http", 'src="//', 'href="//', "url(http"):
            assert attr not in text, (url, attr)


def test_unknown_url_is_the_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "404" in response.text
    assert 'class="skip-link"' in response.text


@pytest.mark.urls("tests.portal.urls_error")
def test_server_error_is_the_500_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "500" in response.text
    assert 'class="site-header"' in response.text


def test_forbidden_is_the_403_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:approvals"))
    assert response.status_code == 403
    assert "403" in response.text
    assert 'class="site-header"' in response.text
