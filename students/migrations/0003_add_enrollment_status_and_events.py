"""The enrollment lifecycle: a status on every association (existing rows become ``enrolled``), the waitlist
ticket, and the append-only ``enrollment_events`` table. Reversible: going back removes the new columns and table.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def start_status_clock_at_enrollment(apps, schema_editor) -> None:
    StudentCourse = apps.get_model("students", "StudentCourse")
    StudentCourse.objects.update(status_changed_at=models.F("enrolled_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_add_course_capacity"),
        ("students", "0002_create_student_course_association"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="studentcourse",
            options={
                "ordering": ["student_id", "course_id"],
                "verbose_name": "student course association",
            },
        ),
        migrations.CreateModel(
            name="EnrollmentEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "previous_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("enrolled", "Enrolled"),
                            ("waitlisted", "Waitlisted"),
                            ("dropped", "Dropped"),
                            ("completed", "Completed"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "new_status",
                    models.CharField(
                        choices=[
                            ("enrolled", "Enrolled"),
                            ("waitlisted", "Waitlisted"),
                            ("dropped", "Dropped"),
                            ("completed", "Completed"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "actor_username",
                    models.CharField(blank=True, help_text="Kept if the account is deleted.", max_length=150),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[("api", "API"), ("admin", "Admin"), ("command", "Command"), ("system", "System")],
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "db_table": "enrollment_events",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RemoveIndex(
            model_name="studentcourse",
            name="student_courses_course_idx",
        ),
        migrations.AddField(
            model_name="studentcourse",
            name="status",
            field=models.CharField(
                choices=[
                    ("enrolled", "Enrolled"),
                    ("waitlisted", "Waitlisted"),
                    ("dropped", "Dropped"),
                    ("completed", "Completed"),
                ],
                default="enrolled",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="studentcourse",
            name="status_changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(start_status_clock_at_enrollment, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="studentcourse",
            name="waitlist_ticket",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="studentcourse",
            name="course",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="student_courses",
                to="courses.course",
            ),
        ),
        migrations.AlterField(
            model_name="studentcourse",
            name="enrolled_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, help_text="When the student was last enrolled."
            ),
        ),
        migrations.AlterField(
            model_name="studentcourse",
            name="student",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="student_courses",
                to="students.student",
            ),
        ),
        migrations.AddIndex(
            model_name="studentcourse",
            index=models.Index(fields=["course", "status", "waitlist_ticket"], name="student_courses_course_idx"),
        ),
        migrations.AddConstraint(
            model_name="studentcourse",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "waitlisted"), ("waitlist_ticket__isnull", False)),
                    models.Q(models.Q(("status", "waitlisted"), _negated=True), ("waitlist_ticket__isnull", True)),
                    _connector="OR",
                ),
                name="student_courses_ticket_iff_waitlisted",
            ),
        ),
        migrations.AddField(
            model_name="enrollmentevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="enrollmentevent",
            name="course",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enrollment_events",
                to="courses.course",
            ),
        ),
        migrations.AddField(
            model_name="enrollmentevent",
            name="student",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enrollment_events",
                to="students.student",
            ),
        ),
        migrations.AddIndex(
            model_name="enrollmentevent",
            index=models.Index(fields=["student", "-created_at", "-id"], name="enrollment_events_student_idx"),
        ),
        migrations.AddIndex(
            model_name="enrollmentevent",
            index=models.Index(fields=["course", "-created_at", "-id"], name="enrollment_events_course_idx"),
        ),
    ]
