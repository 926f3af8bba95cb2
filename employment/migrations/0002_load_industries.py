from django.db import migrations

from smartedu.portal.reference import read_csv


def load(apps, schema_editor):
    Industry = apps.get_model("employment", "Industry")
    for row in read_csv("employment", "industries.csv"):
        Industry.objects.update_or_create(code=row["code"], defaults={"name": row["industry"]})


class Migration(migrations.Migration):
    dependencies = [("employment", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
