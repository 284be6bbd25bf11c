import factory

from courses.models import Course


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"C{n:04d}")
    title = factory.Faker("catch_phrase")
    description = factory.Faker("sentence")
