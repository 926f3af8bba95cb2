"""What the HTTP benchmark needs from the database, printed as JSON (run with the benchmark's settings).

The pages to load (each platform's landing page, a K-12 lesson and resource, a higher-education course),
a signed-in session of the demo student, and django-hitcount's counter for its baseline.
"""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.server.settings")
django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from hitcount.models import HitCount  # noqa: E402

from higher_ed.models import Course  # noqa: E402
from k12.models import Lesson, Resource  # noqa: E402
from smartedu.accounts.models import User  # noqa: E402
from smartedu.portal.registry import platforms  # noqa: E402


def main() -> None:
    pages = {"home": reverse("portal:home")}
    for platform in platforms():
        pages[platform.key] = reverse(platform.url_name)
    lesson = Lesson.objects.visible().order_by("pk").first()
    if lesson is not None:
        pages["k12_lesson"] = reverse("k12:lesson", args=[lesson.pk])
    resource = Resource.objects.visible().order_by("pk").first()
    if resource is not None:
        pages["k12_resource"] = reverse("k12:resource", args=[resource.pk])
    course = Course.objects.visible().order_by("pk").first()
    if course is not None:
        pages["higher_ed_course"] = reverse("higher_ed:course", args=[course.pk])
    pages["en_k12"] = "/en" + pages["k12"]

    student = User.objects.get(username="student")
    client = Client()
    client.force_login(student)
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    user_type = ContentType.objects.get_for_model(User)
    hitcount, _created = HitCount.objects.get_or_create(content_type=user_type, object_pk=str(student.pk))
    lesson_ids = list(Lesson.objects.visible().order_by("pk").values_list("pk", flat=True)[:500])
    json.dump(
        {
            "pages": pages,
            "lesson_ids": lesson_ids,
            "session": client.cookies["sessionid"].value,
            "admin_session": admin.cookies["sessionid"].value,
            "hitcount_pk": hitcount.pk,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
