from django.db import migrations

from smartedu.portal.reference import read_csv


def load(apps, schema_editor):
    Category = apps.get_model("vocational", "SpecialtyCategory")
    SpecialtyClass = apps.get_model("vocational", "SpecialtyClass")
    Specialty = apps.get_model("vocational", "Specialty")
    categories = {c.code: c for c in Category.objects.all()}
    classes = {}
    for row in read_csv("vocational", "specialty_classes.csv"):
        classes[row["code"]], _created = SpecialtyClass.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "category": categories[row["category"]]}
        )
    for row in read_csv("vocational", "specialties.csv"):
        Specialty.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "specialty_class": classes[row["class"]]}
        )


class Migration(migrations.Migration):
    dependencies = [("vocational", "0003_library_courses_records")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
