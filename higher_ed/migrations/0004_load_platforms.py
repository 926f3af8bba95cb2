from django.db import migrations

from smartedu.portal.reference import read_csv


def load(apps, schema_editor):
    Platform = apps.get_model("higher_ed", "Platform")
    for row in read_csv("higher_ed", "platforms.csv"):
        Platform.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "english_name": row["english_name"],
                "homepage": row["homepage"],
                "host": row["host"],
                "international": row["international"] == "1",
                "order": int(row["order"]),
                "description": row["description"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("higher_ed", "0003_courses_platforms_enrolments_monitoring")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
