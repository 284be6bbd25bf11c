"""Tokens made before keys were hashed keep working: each key of DRF's token table (``authtoken_token``, where keys
were stored in clear) becomes a token here, stored as its digest, with no expiry (as it had none); then that table
is dropped, with its migration records and its content type (so its permissions, such as the view permission that
let staff read every key, go too). On a new installation there is no such table and nothing to do.

Not reversible in the sense of giving the keys back: a digest cannot be turned into its key.
"""

import datetime as dt

from django.db import migrations
from knox.crypto import hash_token
from knox.settings import CONSTANTS

DRF_TABLE = "authtoken_token"
NAME = "made before tokens were hashed"


def _aware(moment):
    """SQLite hands the raw column back as naive UTC (text or datetime), as Django stored it."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def hash_drf_tokens(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if DRF_TABLE not in connection.introspection.table_names():
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')}, {quote('user_id')}, {quote('created')} FROM {quote(DRF_TABLE)}")
        rows = cursor.fetchall()
    ApiToken = apps.get_model("accounts", "ApiToken")
    made = {hash_token(key): (key, user_id, created) for key, user_id, created in rows}
    ApiToken.objects.bulk_create(
        ApiToken(digest=digest, token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH], user_id=user_id, expiry=None, name=NAME)
        for digest, (key, user_id, _) in made.items()
    )
    for digest, (_, _, created) in made.items():  # auto_now_add stamped them now: keep when each was made
        ApiToken.objects.filter(digest=digest).update(created=_aware(created))
    schema_editor.execute(f"DROP TABLE {quote(DRF_TABLE)}")
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(hash_drf_tokens, migrations.RunPython.noop)]
