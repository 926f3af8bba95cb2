"""URL patterns of the classes API, for ``/api/v1/classes/`` and for any sub-platform's prefix.

A sub-platform mounts them in its own ``api_urls.py``::

    from smartedu.classes.api_urls import class_api_patterns

    urlpatterns += [path("classes/", include(class_api_patterns(platform="vocational")))]

which serves ``/api/v1/vocational/classes/``, ``…/classes/join/`` and so on, limited to its own classes.
URL names get the platform as a prefix (``vocational-classes``), so both mounts live in one namespace.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from smartedu.classes import api


def class_api_patterns(*, platform: str | None = None) -> list[URLPattern]:
    prefix = f"{platform}-" if platform else ""
    scoped = {"platform": platform}
    return [
        path("", api.ClassListCreateView.as_view(**scoped), name=f"{prefix}classes"),
        path("join/", api.ClassJoinView.as_view(**scoped), name=f"{prefix}classes-join"),
        path("<int:pk>/", api.ClassDetailView.as_view(**scoped), name=f"{prefix}class"),
        path("<int:pk>/code/", api.ClassCodeView.as_view(**scoped), name=f"{prefix}class-code"),
        path("<int:pk>/archive/", api.ClassArchiveView.as_view(**scoped), name=f"{prefix}class-archive"),
        path("<int:pk>/leave/", api.ClassLeaveView.as_view(**scoped), name=f"{prefix}class-leave"),
        path("<int:pk>/members/", api.ClassMemberListView.as_view(**scoped), name=f"{prefix}class-members"),
        path(
            "<int:pk>/members/<int:student_id>/",
            api.ClassMemberRemoveView.as_view(**scoped),
            name=f"{prefix}class-member",
        ),
    ]


urlpatterns = class_api_patterns()
