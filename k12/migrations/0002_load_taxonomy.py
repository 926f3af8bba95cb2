from django.db import migrations

from smartedu.portal.reference import read_json


def load(apps, schema_editor):
    Stage = apps.get_model("k12", "Stage")
    Grade = apps.get_model("k12", "Grade")
    Subject = apps.get_model("k12", "Subject")
    StageSubject = apps.get_model("k12", "StageSubject")
    Edition = apps.get_model("k12", "Edition")
    data = read_json("k12", "k12.json")
    for stage_data in data["stages"]:
        stage, _ = Stage.objects.update_or_create(
            code=stage_data["code"], defaults={"name": stage_data["name"], "order": stage_data["order"]}
        )
        for grade in stage_data["grades"]:
            Grade.objects.update_or_create(number=grade["number"], defaults={"name": grade["name"], "stage": stage})
        for order, subject_data in enumerate(stage_data["subjects"]):
            subject, _ = Subject.objects.update_or_create(
                code=subject_data["code"], defaults={"name": subject_data["name"]}
            )
            StageSubject.objects.update_or_create(
                stage=stage, subject=subject, defaults={"first_grade": subject_data["first_grade"], "order": order}
            )
    for edition in data["editions"]:
        Edition.objects.update_or_create(
            code=edition["code"],
            defaults={"name": edition["name"], "publisher": edition["publisher"], "order": edition["order"]},
        )


class Migration(migrations.Migration):
    dependencies = [("k12", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
