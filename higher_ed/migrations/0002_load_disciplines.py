from django.db import migrations

from smartedu.portal.reference import read_csv


def load(apps, schema_editor):
    Category = apps.get_model("higher_ed", "DisciplineCategory")
    SpecialtyClass = apps.get_model("higher_ed", "SpecialtyClass")
    for row in read_csv("higher_ed", "higher_ed_disciplines.csv"):
        category, _ = Category.objects.update_or_create(code=row["category_code"], defaults={"name": row["category"]})
        if row["class_code"]:
            SpecialtyClass.objects.update_or_create(
                code=row["class_code"], defaults={"name": row["class"], "category": category}
            )


class Migration(migrations.Migration):
    dependencies = [("higher_ed", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
