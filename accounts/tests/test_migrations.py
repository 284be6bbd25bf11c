"""Tokens made before keys were hashed keep working after the migration, and their clear keys are gone."""

from http import HTTPStatus

import pytest
from django.db import connection
from rest_framework.test import APIClient

OLD_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"


@pytest.mark.django_db(transaction=True)
def test_a_key_from_drfs_clear_token_table_still_authenticates_and_the_table_is_gone(migrator):
    old = migrator.apply_initial_migration(("accounts", "0001_initial"))
    user = old.apps.get_model("auth", "User").objects.create(username="sis", is_superuser=True, is_active=True)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:  # the table as DRF's authtoken app made it
        cursor.execute(
            f"CREATE TABLE authtoken_token ({quote('key')} varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id bigint NOT NULL)".replace(
                "timestamp with time zone", "datetime" if connection.vendor == "sqlite" else "timestamp with time zone"
            )
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [OLD_KEY, "2026-01-05 10:00:00", user.pk])

    new = migrator.apply_tested_migration(("accounts", "0002_hash_drf_tokens"))

    assert "authtoken_token" not in connection.introspection.table_names()
    token = new.apps.get_model("accounts", "ApiToken").objects.get()
    assert (token.user_id, token.expiry, token.created.year) == (user.pk, None, 2026)
    assert OLD_KEY not in str(list(new.apps.get_model("accounts", "ApiToken").objects.values()))
    client = APIClient()
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {OLD_KEY}").status_code == HTTPStatus.OK
