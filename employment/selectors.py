from django.db.models import QuerySet

from employment.models import Industry


def industry_list() -> QuerySet[Industry]:
    return Industry.objects.all()


def industry_count() -> int:
    return Industry.objects.count()
