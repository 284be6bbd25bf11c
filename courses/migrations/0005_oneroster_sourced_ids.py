import uuid

from django.db import migrations, models

from config.migration_operations import fill_random_uuids


class Migration(migrations.Migration):
    """Stable OneRoster identifiers for the courses there are, then for every new one."""

    dependencies = [("courses", "0004_updated_at_index")]

    operations = [
        migrations.AddField("course", "sourced_id", models.UUIDField(null=True, editable=False)),
        migrations.AddField("course", "class_sourced_id", models.UUIDField(null=True, editable=False)),
        fill_random_uuids("courses", "sourced_id"),
        fill_random_uuids("courses", "class_sourced_id"),
        migrations.AlterField(
            "course",
            "sourced_id",
            models.UUIDField(
                "OneRoster sourcedId",
                default=uuid.uuid4,
                unique=True,
                editable=False,
                help_text="The course's, in OneRoster.",
            ),
        ),
        migrations.AlterField(
            "course",
            "class_sourced_id",
            models.UUIDField(
                "OneRoster class sourcedId",
                default=uuid.uuid4,
                unique=True,
                editable=False,
                help_text="Of the course's one class, in OneRoster.",
            ),
        ),
    ]
