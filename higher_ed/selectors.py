from django.db.models import QuerySet

from higher_ed.models import DisciplineCategory, SpecialtyClass


def category_list() -> QuerySet[DisciplineCategory]:
    """Discipline categories with their specialty classes, in two queries."""
    return DisciplineCategory.objects.prefetch_related("classes")


def category_count() -> int:
    return DisciplineCategory.objects.count()


def specialty_class_count() -> int:
    return SpecialtyClass.objects.count()
