"""Sitemap sections of the higher-education platform: visible courses, universities, teachers, platforms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from higher_ed import selectors
from higher_ed.models import Course, Platform, Teacher
from smartedu.institutions.models import Institution


class CourseSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Course]:
        return Course.objects.visible().order_by("pk").only("pk", "published_at")

    def location(self, item: Course) -> str:
        return reverse("higher_ed:course", args=[item.pk])

    def lastmod(self, item: Course) -> datetime:
        return item.published_at


class UniversitySitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Institution]:
        return selectors.university_list().order_by("pk")

    def location(self, item: Institution) -> str:
        return reverse("higher_ed:university", args=[item.pk])


class TeacherSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Teacher]:
        return Teacher.objects.visible().order_by("pk").only("pk")

    def location(self, item: Teacher) -> str:
        return reverse("higher_ed:teacher", args=[item.pk])


class PlatformSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Platform]:
        return Platform.objects.visible().order_by("order", "pk")

    def location(self, item: Any) -> str:
        return reverse("higher_ed:platform", args=[item.code])


SITEMAPS: dict[str, Sitemap] = {
    "higher-ed-courses": CourseSitemap(),
    "higher-ed-universities": UniversitySitemap(),
    "higher-ed-teachers": TeacherSitemap(),
    "higher-ed-platforms": PlatformSitemap(),
}
