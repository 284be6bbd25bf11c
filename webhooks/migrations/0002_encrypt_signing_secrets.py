"""Signing secrets stored encrypted (webhooks/secrets.py): each existing one is encrypted under the current secret
key; going back decrypts them again."""

from django.db import migrations, models

import webhooks.models
from webhooks.secrets import PREFIX, sealed, unsealed


def encrypt(apps, schema_editor) -> None:
    Subscription = apps.get_model("webhooks", "Subscription")
    for subscription in Subscription.objects.exclude(secret__startswith=PREFIX).only("id", "secret"):
        Subscription.objects.filter(pk=subscription.pk).update(secret=sealed(subscription.secret))


def decrypt(apps, schema_editor) -> None:
    Subscription = apps.get_model("webhooks", "Subscription")
    for subscription in Subscription.objects.filter(secret__startswith=PREFIX).only("id", "secret"):
        Subscription.objects.filter(pk=subscription.pk).update(secret=unsealed(subscription.secret))


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="subscription",
            name="secret",
            field=models.CharField(
                default=webhooks.models.new_sealed_secret,
                editable=False,
                help_text="The signing secret, encrypted (secrets.py).",
                max_length=255,
            ),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
