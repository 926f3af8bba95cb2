from django.contrib import admin

from k12.models import Edition, Grade, Stage, StageSubject, Subject


class StageSubjectInline(admin.TabularInline):
    model = StageSubject
    extra = 0
    autocomplete_fields = ["subject"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    inlines = [StageSubjectInline]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "stage"]
    list_filter = ["stage"]
    list_select_related = ["stage"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "publisher", "code", "order"]
    search_fields = ["name", "publisher"]
