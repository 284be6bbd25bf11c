"""Operations shared by the apps' migrations."""

from django.db import migrations


def fill_random_uuids(table: str, column: str) -> migrations.RunPython:
    """Gives every existing row of ``table`` a random ``column`` value, in one statement on either engine: a
    version 4 UUID on PostgreSQL, 128 random bits in the 32 hex digits Django stores a UUID as on SQLite."""

    def fill(apps, schema_editor):
        connection = schema_editor.connection
        quote = connection.ops.quote_name
        value = "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {quote(table)} SET {quote(column)} = {value} WHERE {quote(column)} IS NULL")

    return migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)
