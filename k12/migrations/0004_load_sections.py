from django.db import migrations

from smartedu.portal.reference import read_json


def load(apps, schema_editor):
    Section = apps.get_model("k12", "Section")
    Column = apps.get_model("k12", "Column")
    Stage = apps.get_model("k12", "Stage")
    stages = {stage.code: stage for stage in Stage.objects.all()}
    for section_data in read_json("k12", "sections.json")["sections"]:
        section, _ = Section.objects.update_or_create(
            code=section_data["code"],
            defaults={
                "name": section_data["name"],
                "description": section_data["description"],
                "order": section_data["order"],
            },
        )
        for column in section_data["columns"]:
            Column.objects.update_or_create(
                code=column["code"],
                defaults={
                    "section": section,
                    "name": column["name"],
                    "order": column["order"],
                    "stage": stages.get(column.get("stage")),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("k12", "0003_content")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
