"""The school, its district and the term the ONEROSTER_* settings described become rows, with the same sourcedIds
and the same dateLastModified, so OneRoster clients see no change."""

from django.db import migrations

from schools.seeding import from_settings


def forwards(apps, schema_editor):
    from_settings(apps.get_model("schools", "Org"), apps.get_model("schools", "AcademicSession"))


def backwards(apps, schema_editor):
    apps.get_model("schools", "AcademicSession").objects.all().delete()
    Org = apps.get_model("schools", "Org")
    Org.objects.filter(parent__isnull=False).delete()
    Org.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_create_orgs_and_academic_sessions")]

    operations = [migrations.RunPython(forwards, backwards)]
