from django.db import migrations

from smartedu.portal.reference import read_csv


def load(apps, schema_editor):
    Category = apps.get_model("vocational", "SpecialtyCategory")
    for row in read_csv("vocational", "vocational_categories.csv"):
        Category.objects.update_or_create(code=row["code"], defaults={"name": row["category"]})


class Migration(migrations.Migration):
    dependencies = [("vocational", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
