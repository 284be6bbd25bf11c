"""Rewrites, on SQLite, the timestamps that ``seed_demo`` stored with a ``+00:00`` suffix before it stored values
as the ORM does (naive UTC text). Readers convert either form; this keeps one form on disk, so text comparisons
and ordering agree. Other backends store real timestamps and have nothing to rewrite.
"""

from django.db import migrations

TIMESTAMP_COLUMNS = {
    "courses": ("created_at", "updated_at"),
    "students": ("created_at", "updated_at"),
    "student_courses": ("enrolled_at", "status_changed_at"),
    "enrollment_events": ("created_at",),
}
UTC_SUFFIX = "+00:00"


def rewrite_utc_suffixes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    quote = schema_editor.quote_name
    for table, columns in TIMESTAMP_COLUMNS.items():
        for column in columns:
            schema_editor.execute(
                f"UPDATE {quote(table)} SET {quote(column)} = substr({quote(column)}, 1, length({quote(column)}) - %s) "
                f"WHERE {quote(column)} LIKE %s",
                [len(UTC_SUFFIX), f"%{UTC_SUFFIX}"],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_validate_course_code"),
        ("students", "0003_add_enrollment_status_and_events"),
    ]

    operations = [migrations.RunPython(rewrite_utc_suffixes, migrations.RunPython.noop, elidable=True)]
