from django.db import migrations

from smartedu.portal.reference import read_csv


def load(apps, schema_editor):
    Institution = apps.get_model("institutions", "Institution")
    Province = apps.get_model("accounts", "Province")
    provinces = {p.code: p for p in Province.objects.all()}
    for row in read_csv("institutions", "universities.csv"):
        Institution.objects.update_or_create(
            name=row["name"],
            defaults={
                "kind": "vocational" if row["kind"] == "职业" else "university",
                "category": row["kind"],
                "province": provinces[row["province_code"]],
                "city": row["city"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_institutions"), ("accounts", "0002_load_provinces")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
