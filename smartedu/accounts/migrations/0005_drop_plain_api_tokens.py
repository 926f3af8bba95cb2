"""API tokens moved to django-rest-knox (hashed, expiring; issue 7.16).

DRF's ``rest_framework.authtoken`` stored every token in clear text and never expired it. The app is
no longer installed; this drops its table and forgets its migrations, so the clear-text keys are gone
from existing databases. Every client signs in again for a new token.
"""

from django.db import migrations


def drop_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name('authtoken_token')}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_admin_scope_from_province")]

    operations = [migrations.RunPython(drop_plain_tokens, migrations.RunPython.noop)]
