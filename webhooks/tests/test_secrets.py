"""Signing secrets are shown once and stored encrypted under a key derived from the secret key; a rotated secret
key keeps them readable while the old one is a fallback; existing ones are encrypted by a migration (issue #22.1)."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from webhooks import services
from webhooks.models import Subscription
from webhooks.secrets import PREFIX

pytestmark = pytest.mark.django_db


def stored_secret(subscription_id: int) -> str:
    return Subscription.objects.values_list("secret", flat=True).get(pk=subscription_id)


def test_the_secret_shown_at_creation_is_stored_only_encrypted(api_client):
    created = api_client.post("/api/v1/webhooks", {"url": "https://lms.school.example/in"}, format="json").json()
    stored = stored_secret(created["id"])
    assert stored.startswith(PREFIX)
    assert created["secret"] not in stored
    assert Subscription.objects.get(pk=created["id"]).signing_secret == created["secret"]


def test_a_rotated_secret_key_keeps_secrets_readable_while_the_old_one_is_a_fallback(settings):
    created = services.create_subscription(url="https://lms.school.example/in")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" * 4
    assert Subscription.objects.get(pk=created.pk).signing_secret == created.shown_secret
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY_FALLBACKS"):
        Subscription.objects.get(pk=created.pk).signing_secret  # noqa: B018


@pytest.mark.django_db(transaction=True)
def test_secrets_stored_in_clear_before_are_encrypted_by_the_migration_and_back(migrator):
    old = migrator.apply_initial_migration(("webhooks", "0001_initial"))
    clear = "whsec_" + "A" * 43 + "="
    old.apps.get_model("webhooks", "Subscription").objects.create(url="https://x.example/", secret=clear)

    migrator.apply_tested_migration(("webhooks", "0002_encrypt_signing_secrets"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhook_subscriptions")
        (stored,) = cursor.fetchone()
    assert stored.startswith(PREFIX)
    assert Subscription.objects.get().signing_secret == clear

    back = migrator.apply_tested_migration(("webhooks", "0001_initial"))
    assert back.apps.get_model("webhooks", "Subscription").objects.get().secret == clear


def test_after_a_rotation_resealing_makes_the_old_key_unnecessary(settings):
    created = services.create_subscription(url="https://lms.school.example/in")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" * 4
    call_command("reseal_webhook_secrets", stdout=io.StringIO())
    settings.SECRET_KEY_FALLBACKS = []
    assert Subscription.objects.get(pk=created.pk).signing_secret == created.shown_secret
