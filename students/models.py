from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from courses.models import Course


class Student(models.Model):
    """A person enrolled at the school.

    Emails are stored lower-case (a database check enforces it), so uniqueness is case-insensitive and a lookup
    by email is a plain indexed equality.
    """

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)
    courses = models.ManyToManyField(Course, through="StudentCourse", related_name="students", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "students"
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="students_email_lower_case"),
        ]
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="students_name_idx")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"


class StudentCourse(models.Model):
    """The association of one student with one course: the student takes the course.

    The unique constraint's index serves "courses of a student"; ``student_courses_course_idx`` serves
    "students of a course".
    """

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="student_courses", db_index=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="student_courses", db_index=False)
    enrolled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "student_courses"
        ordering = ["student_id", "course__code"]
        verbose_name = "student course association"
        constraints = [
            models.UniqueConstraint(fields=["student", "course"], name="student_courses_unique_student_course"),
        ]
        indexes = [models.Index(fields=["course", "student"], name="student_courses_course_idx")]

    def __str__(self) -> str:
        return f"student {self.student_id} takes course {self.course_id}"
