"""Every student belongs to a school: the first school, for the students there are."""

import django.db.models.deletion
from django.db import migrations, models


def to_the_first_school(apps, schema_editor):
    Student = apps.get_model("students", "Student")
    if not Student.objects.exists():
        return
    school = apps.get_model("schools", "Org").objects.filter(type="school").order_by("id").first()
    if school is None:
        raise RuntimeError("Students exist but no school does: add one (admin or shell), then migrate.")
    Student.objects.update(school=school)


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0007_oneroster_sourced_ids"),
        ("schools", "0002_the_settings_school_district_and_term_as_rows"),
    ]

    operations = [
        migrations.AddField(
            "student",
            "school",
            models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="students", to="schools.org"
            ),
        ),
        migrations.RunPython(to_the_first_school, migrations.RunPython.noop),
        migrations.AlterField(
            "student",
            "school",
            models.ForeignKey(
                blank=True,
                help_text="Their home school; empty means the first school.",
                limit_choices_to={"type": "school"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="students",
                to="schools.org",
            ),
        ),
    ]
