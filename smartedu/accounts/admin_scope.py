"""The Django admin sees what the portal lets its user see (issue 7.2).

``ProvinceScopedAdminMixin`` narrows an admin's rows with ``access.scope_filter``, the one province-scope
rule: a provincial administrator with staff access sees their province's rows only, the ministry all,
other staff none. Every admin of per-person data uses it (accounts, K-12 graded work, …).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from smartedu.accounts import access

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _Base = ModelAdmin[Any]
else:
    _Base = object


class ProvinceScopedAdminMixin(_Base):
    #: Lookup path from the admin's model to a ``Province`` foreign key, e.g. ``"student__province"``.
    province_scope_field: str = "province"

    def scope_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return access.scope_filter(request.user, queryset, province_field=self.province_scope_field)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.scope_queryset(request, super().get_queryset(request))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and (obj is None or self._in_scope(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or self._in_scope(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or self._in_scope(request, obj))

    def _in_scope(self, request: HttpRequest, obj: Model) -> bool:
        return self.get_queryset(request).filter(pk=obj.pk).exists()
