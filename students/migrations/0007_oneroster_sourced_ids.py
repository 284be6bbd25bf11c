import uuid

from django.db import migrations, models

from config.migration_operations import fill_random_uuids


class Migration(migrations.Migration):
    """Stable OneRoster identifiers for the students and associations there are, then for every new one; and an
    index for OneRoster's delta queries on associations (``dateLastModified`` is ``status_changed_at``)."""

    dependencies = [("students", "0006_updated_at_index"), ("courses", "0005_oneroster_sourced_ids")]

    operations = [
        migrations.AddField("student", "sourced_id", models.UUIDField(null=True, editable=False)),
        migrations.AddField("studentcourse", "sourced_id", models.UUIDField(null=True, editable=False)),
        fill_random_uuids("students", "sourced_id"),
        fill_random_uuids("student_courses", "sourced_id"),
        migrations.AlterField(
            "student",
            "sourced_id",
            models.UUIDField("OneRoster sourcedId", default=uuid.uuid4, unique=True, editable=False),
        ),
        migrations.AlterField(
            "studentcourse",
            "sourced_id",
            models.UUIDField("OneRoster sourcedId", default=uuid.uuid4, unique=True, editable=False),
        ),
        migrations.AddIndex(
            "studentcourse", models.Index(fields=["status_changed_at"], name="student_courses_changed_idx")
        ),
    ]
