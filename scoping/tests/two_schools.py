"""Two schools of one district, North and South, for the proofs that an account or a client of North sees nothing
of South: the records, what South's are called (names, e-mails, codes, sourcedIds) and where their ids appear."""

from django.db.models import Q

from courses.models import Course
from students.models import Student, StudentCourse
from teachers.models import Assignment, Teacher


def south_secrets(world) -> set[str]:
    south = world["south"]
    secrets = {south["school"].name, str(south["school"].sourced_id), south["school"].identifier}
    for student in Student.objects.filter(school=south["school"]):
        secrets |= {student.first_name, student.last_name, student.email, str(student.sourced_id)}
    for course in Course.objects.filter(school=south["school"]):
        secrets |= {course.code, course.title, str(course.sourced_id)}
    for teacher in Teacher.objects.filter(school=south["school"]):
        secrets |= {teacher.email, str(teacher.sourced_id)}
    return secrets


def south_ids(world) -> dict[str, set[int]]:
    """South's ids by the key that names them in an answer; and the links across the two schools'."""
    school = world["south"]["school"]
    students = set(Student.objects.filter(school=school).values_list("id", flat=True))
    courses = set(Course.objects.filter(school=school).values_list("id", flat=True))
    teachers = set(Teacher.objects.filter(school=school).values_list("id", flat=True))
    links = Assignment.objects.filter(Q(course__school=school) | Q(teacher__school=school))
    kinds = {"student": students, "course": courses, "teacher": teachers, "school": {school.id}}
    named = {name: ids for kind, ids in kinds.items() for name in (kind, f"{kind}_id", f"{kind}s")}
    return {**named, "assignments": set(links.values_list("id", flat=True))}


def ids_named(payload, collection: str, ids: dict[str, set[int]]) -> set[tuple[str, int]]:
    """Every South id the answer names: under a key naming its kind, or as the id of an item of a collection of
    that kind (``collection``: the path's last word, such as ``students`` for ``/courses/2/students/``)."""
    found = set()
    items = payload if isinstance(payload, list) else [payload]
    for item in items:
        if not isinstance(item, dict):
            continue
        for key, value in item.items():
            if key == "id" and value in ids.get(collection, ()):
                found.add((collection, value))
            elif isinstance(value, int) and value in ids.get(key, ()):
                found.add((key, value))
            elif isinstance(value, dict | list):
                found |= ids_named(value, "", ids)
    return found


def snapshot_of_south(world) -> list:
    school = world["south"]["school"]
    return [
        sorted(Student.objects.filter(school=school).values_list()),
        sorted(Course.objects.filter(school=school).values_list()),
        sorted(Teacher.objects.filter(school=school).values_list()),
        sorted(StudentCourse.objects.filter(course__school=school).values_list()),
        sorted(Assignment.objects.filter(course__school=school).values_list()),
    ]
