"""Pages of this app, included under ``/employment/`` in the ``employment`` namespace.

URL names are unique across the employment package: prefix them with ``agreements-``.
"""

from django.urls import URLPattern, URLResolver, path

from employment.agreements import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/<int:pk>/", views.agreement, name="agreements-detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreements-edit"),
    path("agreements/<int:pk>/pdf/", views.agreement_pdf, name="agreements-pdf"),
    path("recruit/applications/<int:application_id>/agreement/", views.agreement_new, name="agreements-new"),
]
