import factory

from courses.tests.factories import CourseFactory
from schools.models import Org
from teachers.models import Assignment, Teacher


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"teacher{n}@school.example")
    school = factory.LazyFunction(Org.objects.first_school)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    teacher = factory.SubFactory(TeacherFactory)
    course = factory.SubFactory(CourseFactory)
