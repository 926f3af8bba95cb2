import uuid

from django.db import migrations


def create(apps, schema_editor):
    CatalogueState = apps.get_model("higher_ed", "CatalogueState")
    CatalogueState.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


class Migration(migrations.Migration):
    dependencies = [("higher_ed", "0004_load_platforms")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
