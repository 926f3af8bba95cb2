from django.db import migrations

from smartedu.portal.reference import read_csv


def load(apps, schema_editor):
    Province = apps.get_model("accounts", "Province")
    for row in read_csv("accounts", "provinces.csv"):
        Province.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "short_name": row["short_name"]}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
