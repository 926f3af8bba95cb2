from django.contrib import admin

from higher_ed.models import DisciplineCategory, SpecialtyClass


@admin.register(DisciplineCategory)
class DisciplineCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(SpecialtyClass)
class SpecialtyClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category"]
    list_filter = ["category"]
    list_select_related = ["category"]
    search_fields = ["code", "name"]
