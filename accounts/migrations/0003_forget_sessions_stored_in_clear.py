"""Sessions are stored by the digest of their key now (accounts/sessions.py): the ones stored before, keys in clear,
are deleted, which signs everyone out once. Nothing to undo."""

from django.db import migrations


def forget(apps, schema_editor) -> None:
    apps.get_model("sessions", "Session").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_hash_drf_tokens"), ("sessions", "0001_initial")]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
