"""The student page's picker groups courses by term and offers only terms not over (and what the student takes)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from courses.tests.factories import CourseFactory
from schools.tests.factories import TermFactory
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db


def picker_groups(admin_client, student) -> dict[str, list[str]]:
    html = admin_client.get(f"/admin/students/student/{student.id}/change/").content.decode()
    picker = re.search(r'<select name="course_picker".*?</select>', html, re.DOTALL).group(0)
    return {
        label: re.findall(r"<option value=\d+(?: selected)?>(\S+)", options)
        for label, options in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', picker, re.DOTALL)
    }


@pytest.fixture
def past():
    today = timezone.localdate()
    return TermFactory(title="Spring 2026", start_date=today - dt.timedelta(days=300), end_date=today)


def test_courses_are_grouped_by_term_in_the_terms_order(admin_client):
    coming = TermFactory(title="Spring 2027", coming=True)
    CourseFactory(code="BIO200", term=coming)
    going = CourseFactory(code="ART100")

    assert picker_groups(admin_client, StudentFactory()) == {going.term.title: ["ART100"], "Spring 2027": ["BIO200"]}


def test_a_course_of_a_term_that_is_over_is_not_offered(admin_client, past):
    CourseFactory(code="OLD100", term=past)
    assert "Spring 2026" not in picker_groups(admin_client, StudentFactory())


def test_a_course_the_student_takes_is_shown_whatever_its_term(admin_client, past):
    student = StudentFactory()
    StudentCourseFactory(student=student, course=CourseFactory(code="OLD100", term=past))
    assert picker_groups(admin_client, student)["Spring 2026"] == ["OLD100"]
