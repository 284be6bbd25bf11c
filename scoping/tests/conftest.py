import pytest

from courses.tests.factories import CourseFactory
from schools.models import Org, OrgType
from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel
from students.tests.factories import StudentFactory
from teachers.tests.factories import AssignmentFactory, TeacherFactory


@pytest.fixture
def district(db) -> Org:
    """The district above the first school (the settings' when they name one)."""
    district = Org.objects.filter(type=OrgType.DISTRICT).first() or Org.objects.create(
        name="Unified", type=OrgType.DISTRICT
    )
    Org.objects.filter(id=Org.objects.first_school().id).update(parent=district)
    return district


@pytest.fixture
def north(district) -> Org:
    """The first school (every factory's default), in the district."""
    return Org.objects.first_school()


@pytest.fixture
def south(district) -> Org:
    return Org.objects.create(name="South High", type=OrgType.SCHOOL, parent=district)


@pytest.fixture
def world(db):
    """North (the account's school) and South, each with students, courses, teachers, enrollments (made through the
    service: each has its history), an assignment; and across the two a North student in a South course, a South
    student in a North course and a North teacher on a South course (seen by neither school alone)."""
    district = Org.objects.create(name="Unified", type=OrgType.DISTRICT)
    north = Org.objects.first_school()
    Org.objects.filter(id=north.id).update(parent=district)
    south = Org.objects.create(name="Zephyr South Academy", type=OrgType.SCHOOL, parent=district, identifier="ZSA-9")
    made = {}
    for name, school in (("north", north), ("south", south)):
        tag = name.capitalize()
        students = [
            StudentFactory(
                school=school, first_name=f"{tag}first{n}", last_name=f"{tag}last{n}", email=f"{name}{n}@{name}.example"
            )
            for n in range(3)
        ]
        courses = [
            CourseFactory(school=school, code=f"{name.upper()}-{n}", title=f"{tag} secret course {n}", capacity=9)
            for n in range(2)
        ]
        teacher = TeacherFactory(school=school, first_name=f"{tag}teach", email=f"{name}-teacher@{name}.example")
        for student in students[:2]:
            enroll(student, *courses)
        AssignmentFactory(teacher=teacher, course=courses[0])
        made[name] = {"school": school, "students": students, "courses": courses, "teachers": [teacher]}
    enroll(made["north"]["students"][2], made["south"]["courses"][1])
    enroll(made["south"]["students"][2], made["north"]["courses"][1])
    AssignmentFactory(teacher=made["north"]["teachers"][0], course=made["south"]["courses"][1])
    return made


def enroll(student, *courses) -> None:
    services.change_courses(student_id=student.id, enroll=[c.id for c in courses], actor=Actor(channel=Channel.COMMAND))
