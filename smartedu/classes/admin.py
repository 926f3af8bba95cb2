"""Classes in the admin: every change goes through the services (codes, archiving, removals)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from smartedu.classes import access, services
from smartedu.classes.models import Class, Membership


class ClassAdminForm(forms.ModelForm):
    class Meta:
        model = Class
        fields = ["name", "teacher", "platform", "label", "institution"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"] = forms.ChoiceField(
            label=_("sub-platform"), choices=[(key, key) for key in services.platform_keys()]
        )
        if self.instance.pk:
            self.fields["teacher"].disabled = True
            self.fields["platform"].disabled = True

    def clean_teacher(self) -> Any:
        teacher = self.cleaned_data["teacher"]
        if not self.instance.pk and not access.is_teacher(teacher):
            raise ValidationError(_("Only teachers have classes: choose an active teacher's account."))
        return teacher


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["student", "joined_at"]
    readonly_fields = ["student", "joined_at"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Class)
class ClassAdmin(admin.ModelAdmin):
    form = ClassAdminForm
    list_display = ["name", "teacher", "platform", "code", "member_total", "is_active", "created_at"]
    list_filter = ["platform", "is_active"]
    search_fields = ["name", "code", "teacher__username", "institution"]
    readonly_fields = ["code", "is_active", "archived_at", "created_at"]
    raw_id_fields = ["teacher"]
    inlines = [MembershipInline]
    actions = ["regenerate_codes", "archive", "restore"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Class]:
        return super().get_queryset(request).select_related("teacher").annotate(members=Count("memberships"))

    @admin.display(description=_("students"), ordering="members")
    def member_total(self, obj: Class) -> int:
        return getattr(obj, "members", 0)

    def save_model(self, request: HttpRequest, obj: Class, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.class_update(
                user=request.user,  # type: ignore[arg-type]
                klass=obj,
                name=data["name"],
                label=data["label"],
                institution=data["institution"],
            )
        else:
            created = services.class_create(
                teacher=data["teacher"],
                name=data["name"],
                platform=data["platform"],
                label=data["label"],
                institution=data["institution"],
            )
            obj.pk = created.pk
            obj.code = created.code
            obj._state.adding = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Classes are archived, never deleted: their quizzes and attempts are records.
        return False

    @admin.action(description=_("Give the selected classes new codes"))
    def regenerate_codes(self, request: HttpRequest, queryset: QuerySet[Class]) -> None:
        for klass in queryset:
            services.class_code_regenerate(user=request.user, klass=klass)  # type: ignore[arg-type]
        messages.success(request, _("New codes given."))

    @admin.action(description=_("Archive the selected classes"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Class]) -> None:
        for klass in queryset:
            services.class_archive(user=request.user, klass=klass)  # type: ignore[arg-type]
        messages.success(request, _("Archived."))

    @admin.action(description=_("Open the selected classes again"))
    def restore(self, request: HttpRequest, queryset: QuerySet[Class]) -> None:
        for klass in queryset:
            services.class_restore(user=request.user, klass=klass)  # type: ignore[arg-type]
        messages.success(request, _("Opened again."))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["klass", "student", "joined_at"]
    list_select_related = ["klass", "student"]
    search_fields = ["klass__name", "klass__code", "student__username"]
    readonly_fields = ["klass", "student", "joined_at"]
    actions = ["remove"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # students join with the code

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # removal is the action below, through the service

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Remove the selected students from their classes"))
    def remove(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("klass"):
            services.membership_remove(
                user=request.user,  # type: ignore[arg-type]
                klass=membership.klass,
                student_id=membership.student_id,
            )
        messages.success(request, _("Removed."))
