"""Pages of this app, included under ``/employment/`` in the ``employment`` namespace.

URL names are unique across the employment package: prefix them with ``feeds-``.
"""

from django.urls import URLPattern, URLResolver, path

from employment.feeds import views

urlpatterns: list[URLPattern | URLResolver] = [path("feeds/", views.feeds, name="feeds-home")]
