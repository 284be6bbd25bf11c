import uuid

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("courses", "0007_catalog_courses_and_where_courses_are_offered"),
        ("schools", "0002_the_settings_school_district_and_term_as_rows"),
    ]

    operations = [
        migrations.CreateModel(
            name="Assignment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[("primary", "primary teacher"), ("secondary", "secondary teacher"), ("aide", "Aide")],
                        default="primary",
                        max_length=16,
                    ),
                ),
                ("begin_date", models.DateField(blank=True, help_text="Empty: from the course's start.", null=True)),
                (
                    "end_date",
                    models.DateField(
                        blank=True,
                        help_text="The day after the last one (exclusive); empty: until the course ends.",
                        null=True,
                    ),
                ),
                (
                    "sourced_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="OneRoster sourcedId"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "course",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="assignments", to="courses.course"
                    ),
                ),
            ],
            options={
                "db_table": "teacher_assignments",
                "ordering": ["course_id", "role", "teacher_id"],
            },
        ),
        migrations.CreateModel(
            name="Teacher",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("first_name", models.CharField(max_length=100)),
                ("last_name", models.CharField(max_length=100)),
                (
                    "email",
                    models.EmailField(
                        help_text="Stored lower-case; how learning platforms look a teacher up.",
                        max_length=254,
                        unique=True,
                    ),
                ),
                (
                    "identifier",
                    models.CharField(
                        blank=True,
                        help_text="The district's own staff number (OneRoster's identifier).",
                        max_length=100,
                    ),
                ),
                (
                    "sourced_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="OneRoster sourcedId"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "courses",
                    models.ManyToManyField(
                        blank=True, related_name="teachers", through="teachers.Assignment", to="courses.course"
                    ),
                ),
                (
                    "school",
                    models.ForeignKey(
                        help_text="The school they belong to (their primary org).",
                        limit_choices_to={"type": "school"},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="teachers",
                        to="schools.org",
                    ),
                ),
            ],
            options={
                "db_table": "teachers",
                "ordering": ["last_name", "first_name", "id"],
            },
        ),
        migrations.AddField(
            model_name="assignment",
            name="teacher",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="assignments", to="teachers.teacher"
            ),
        ),
        migrations.AddIndex(
            model_name="teacher",
            index=models.Index(fields=["last_name", "first_name", "id"], name="teachers_name_idx"),
        ),
        migrations.AddIndex(
            model_name="teacher",
            index=models.Index(fields=["updated_at"], name="teachers_updated_idx"),
        ),
        migrations.AddConstraint(
            model_name="teacher",
            constraint=models.CheckConstraint(
                condition=models.Q(("email", django.db.models.functions.text.Lower("email"))),
                name="teachers_email_lower_case",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["updated_at"], name="assignments_updated_idx"),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.UniqueConstraint(
                fields=("teacher", "course"),
                name="teacher_assignments_one_per_teacher_and_course",
                violation_error_message="This teacher is assigned to this course already.",
            ),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_date__isnull", True),
                    ("begin_date__isnull", True),
                    ("end_date__gt", models.F("begin_date")),
                    _connector="OR",
                ),
                name="teacher_assignments_end_after_begin",
                violation_error_message="An assignment ends after it begins (the end date is the day after the last).",
            ),
        ),
    ]
