import factory

from courses.tests.factories import CourseFactory
from students.models import Student, StudentCourse


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
