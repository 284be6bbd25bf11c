import datetime as dt

import factory
from django.utils import timezone

from courses.tests.factories import CourseFactory
from students.models import EnrollmentStatus, Student, StudentCourse


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"student{n}@school.example")


class StudentCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentCourse

    student = factory.SubFactory(StudentFactory)
    course = factory.SubFactory(CourseFactory)
    status = EnrollmentStatus.ENROLLED
    # Dated as a write today would date it (students.enrollment.dates), the course's term aside.
    begin_date = factory.LazyAttribute(lambda row: None if row.status == "waitlisted" else timezone.localdate())
    end_date = factory.LazyAttribute(
        lambda row: row.begin_date + dt.timedelta(days=1) if row.status in ("dropped", "completed") else None
    )
