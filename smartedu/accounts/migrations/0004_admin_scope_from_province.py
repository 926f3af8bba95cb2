"""Existing administrators keep their scope: their province becomes the province they administer.

Before this migration an administrator's scope was read from ``province``, which they could edit
themselves (issue 7.1). From now on it is read from ``admin_province``, which only a ministry
administrator sets. Superusers govern every province whatever their province says.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(role="admin", is_superuser=False, province__isnull=False):
        user.admin_province_id = user.province_id
        user.save(update_fields=["admin_province"])


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(role="admin", admin_province__isnull=False):
        user.province_id = user.admin_province_id
        user.save(update_fields=["province"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_admin_province_and_audit")]

    operations = [migrations.RunPython(forwards, backwards)]
