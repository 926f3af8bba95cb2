from django.db.models import QuerySet

from vocational.models import SpecialtyCategory


def category_list() -> QuerySet[SpecialtyCategory]:
    return SpecialtyCategory.objects.all()


def category_count() -> int:
    return SpecialtyCategory.objects.count()
