"""Accounts made before scopes saw the whole district: they keep it (a membership of the whole district). Accounts
made from now on see nothing until they are given a school or the district."""

from django.conf import settings
from django.db import migrations


def keep_the_district(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Membership = apps.get_model("scoping", "Membership")
    Membership.objects.bulk_create(
        [Membership(user=user, org=None) for user in User.objects.filter(is_superuser=False)]
    )


class Migration(migrations.Migration):
    dependencies = [("scoping", "0001_memberships")]

    operations = [migrations.RunPython(keep_the_district, migrations.RunPython.noop)]
