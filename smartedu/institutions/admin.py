from django.contrib import admin

from smartedu.institutions.models import Affiliation, Institution


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "category", "province", "city"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]
    search_fields = ["name", "city"]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["user", "institution", "since"]
    list_select_related = ["user", "institution"]
    search_fields = ["user__username", "institution__name"]
    raw_id_fields = ["user", "institution"]
