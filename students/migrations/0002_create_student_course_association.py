"""Adds the student-course association table. It creates ``student_courses`` and nothing else.

``Student.courses`` goes through that table and has no column of its own, so it is added to the migration
state only: SQLite's schema editor would otherwise rebuild the ``students`` table for it. Reversing drops the
new table and leaves ``students`` and ``courses`` as they were.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_create_course"),
        ("students", "0001_create_student"),
    ]

    operations = [
        migrations.CreateModel(
            name="StudentCourse",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("enrolled_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "course",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="student_courses",
                        to="courses.course",
                    ),
                ),
                (
                    "student",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="student_courses",
                        to="students.student",
                    ),
                ),
            ],
            options={
                "verbose_name": "student course association",
                "db_table": "student_courses",
                "ordering": ["student_id", "course__code"],
                "indexes": [models.Index(fields=["course", "student"], name="student_courses_course_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("student", "course"), name="student_courses_unique_student_course")
                ],
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="student",
                    name="courses",
                    field=models.ManyToManyField(
                        blank=True, related_name="students", through="students.StudentCourse", to="courses.course"
                    ),
                ),
            ],
        ),
    ]
