"""Courses become offerings (OneRoster's classes) of catalog courses (OneRoster's courses), at a school, in a term.

Each course there is becomes the one offering of a catalog course of its code and title in the first school's
catalog, offered by the first school in the first term. The sourcedIds stay what OneRoster clients know: the
catalog course takes the course's sourcedId, and the course takes the sourcedId of its class.
"""

import uuid

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import Upper


def forwards(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    if not Course.objects.exists():
        return
    Org, AcademicSession = apps.get_model("schools", "Org"), apps.get_model("schools", "AcademicSession")
    school = Org.objects.filter(type="school").order_by("id").first()
    term = AcademicSession.objects.filter(type="term").order_by("id").first()
    if school is None or term is None:
        raise RuntimeError("Courses exist but no school or no term does: add them (admin or shell), then migrate.")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_courses (code, title, org_id, sourced_id, created_at, updated_at)"
            " SELECT code, title, %s, sourced_id, created_at, updated_at FROM courses",
            [school.pk],
        )
        cursor.execute(
            "UPDATE courses SET school_id = %s, term_id = %s, sourced_id = class_sourced_id, catalog_course_id ="
            " (SELECT k.id FROM catalog_courses k WHERE k.sourced_id = courses.sourced_id)",
            [school.pk, term.pk],
        )


def backwards(apps, schema_editor):
    """Each catalog course's first offering takes its sourcedId back; any other offering keeps its own as a course."""
    Course = apps.get_model("courses", "Course")
    taken = set()
    for course in Course.objects.select_related("catalog_course").order_by("id"):
        course.class_sourced_id = course.sourced_id
        if course.catalog_course_id not in taken:
            course.sourced_id = course.catalog_course.sourced_id
            taken.add(course.catalog_course_id)
        else:
            course.sourced_id = uuid.uuid4()
        course.catalog_course = None
        course.save(update_fields=["class_sourced_id", "sourced_id", "catalog_course"])
    apps.get_model("courses", "CatalogCourse").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_capacity_at_least_one"),
        ("schools", "0002_the_settings_school_district_and_term_as_rows"),
    ]

    operations = [
        migrations.AlterField("course", "class_sourced_id", models.UUIDField(null=True, editable=False)),
        migrations.CreateModel(
            name="CatalogCourse",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        help_text="Such as MATH101.",
                        max_length=32,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Za-z0-9][A-Za-z0-9._-]*\\Z",
                                "Use letters, digits, '.', '_' or '-', starting with a letter or digit.",
                                code="invalid_code",
                            )
                        ],
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "sourced_id",
                    models.UUIDField(
                        default=uuid.uuid4,
                        editable=False,
                        help_text="The course's, in OneRoster.",
                        unique=True,
                        verbose_name="OneRoster sourcedId",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "org",
                    models.ForeignKey(
                        help_text="The school or district whose catalog holds it.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="catalog_courses",
                        to="schools.org",
                    ),
                ),
            ],
            options={
                "verbose_name": "catalog course",
                "db_table": "catalog_courses",
                "ordering": ["code", "id"],
                "indexes": [models.Index(fields=["updated_at"], name="catalog_courses_updated_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("org", "code"),
                        name="catalog_courses_unique_code_per_org",
                        violation_error_message="This school's catalog has a course with this code.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("code", Upper("code"))), name="catalog_courses_code_upper_case"
                    ),
                ],
            },
        ),
        migrations.AddField(
            "course",
            "catalog_course",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="offerings",
                to="courses.catalogcourse",
            ),
        ),
        migrations.AddField(
            "course",
            "school",
            models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="courses", to="schools.org"
            ),
        ),
        migrations.AddField(
            "course",
            "term",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="courses",
                to="schools.academicsession",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField("course", "class_sourced_id"),
        migrations.AlterField(
            "course",
            "catalog_course",
            models.ForeignKey(
                blank=True,
                help_text="The catalog course it is a section of; empty makes one of its code and title.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="offerings",
                to="courses.catalogcourse",
            ),
        ),
        migrations.AlterField(
            "course",
            "school",
            models.ForeignKey(
                blank=True,
                help_text="The school that offers it; empty means the first school.",
                limit_choices_to={"type": "school"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="courses",
                to="schools.org",
            ),
        ),
        migrations.AlterField(
            "course",
            "term",
            models.ForeignKey(
                blank=True,
                help_text="The academic session it is taught in; empty means the first term.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="courses",
                to="schools.academicsession",
            ),
        ),
        migrations.AlterField(
            "course",
            "sourced_id",
            models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="The class's, in OneRoster.",
                unique=True,
                verbose_name="OneRoster sourcedId",
            ),
        ),
    ]
