from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from smartedu.portal import views as portal_views

admin.site.site_header = "smartedu"
admin.site.site_title = "smartedu"

urlpatterns = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("readyz", portal_views.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("smartedu.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="portal/swagger_ui.html"),
        name="swagger-ui",
    ),
    path("", include("smartedu.portal.sitemaps")),
]

# Pages: Chinese at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("smartedu.portal.urls")),
    path("accounts/", include("smartedu.accounts.urls")),
    path("search/", include("smartedu.search.urls")),
    path("k12/", include("k12.urls")),
    path("vocational/", include("vocational.urls")),
    path("higher-ed/", include("higher_ed.urls")),
    path("employment/", include("employment.urls")),
    path("dashboard/", include("smartedu.stats.urls")),
    path("classes/", include("smartedu.classes.urls")),
    path("quizzes/", include("smartedu.quizzes.urls")),
    path("family/", include("smartedu.guardians.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    # The embedded mode serves uploaded and generated media itself; production puts them on object storage
    # or behind nginx (docs/deploy.md) and leaves DJANGO_SERVE_MEDIA off.
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", portal_views.media_file, name="media"),
    ]
