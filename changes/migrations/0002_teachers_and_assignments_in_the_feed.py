from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="change",
            name="type",
            field=models.CharField(
                choices=[
                    ("enrollment.enrolled", "Enrollment Enrolled"),
                    ("enrollment.waitlisted", "Enrollment Waitlisted"),
                    ("enrollment.dropped", "Enrollment Dropped"),
                    ("enrollment.completed", "Enrollment Completed"),
                    ("student.created", "Student Created"),
                    ("student.updated", "Student Updated"),
                    ("student.deleted", "Student Deleted"),
                    ("course.created", "Course Created"),
                    ("course.updated", "Course Updated"),
                    ("course.deleted", "Course Deleted"),
                    ("teacher.created", "Teacher Created"),
                    ("teacher.updated", "Teacher Updated"),
                    ("teacher.deleted", "Teacher Deleted"),
                    ("assignment.created", "Assignment Created"),
                    ("assignment.updated", "Assignment Updated"),
                    ("assignment.deleted", "Assignment Deleted"),
                ],
                max_length=32,
            ),
        ),
    ]
