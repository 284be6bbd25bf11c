"""The student, bulk and course pages read well in a real browser: titles beside codes, the waitlist marked, help
that says what happens, names and e-mails whole, times in the reader's own time zone."""

from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat
from django.utils.timezone import localtime

from config.tests.browser import screenshot, staff_user
from courses.tests.factories import CourseFactory
from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel, EnrollmentEvent
from students.tests.admin.test_admin_browser import everything, open_the_bulk_page
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_student_page_shows_each_course_with_its_title_and_marks_a_waitlisted_one(page_as):
    student = StudentFactory()
    algebra = CourseFactory(code="MAT101", title="Algebra")
    StudentCourseFactory(student=student, course=algebra)
    drawing = CourseFactory(code="ART100", title="Drawing", capacity=1)
    StudentCourseFactory(course=drawing)  # the one seat taken
    services.change_courses(
        student_id=student.id, enroll=[drawing.id], actor=Actor(channel=Channel.SYSTEM), waitlist=True
    )
    CourseFactory(code="BIO200", title="Cells")
    page = page_as(staff_user(*everything()))
    page.goto(f"{page.base_url}/admin/students/student/{student.id}/change/")
    chosen = page.locator("#id_course_picker_to option").all_inner_texts()
    available = page.locator("#id_course_picker_from option").all_inner_texts()
    screenshot(page, "student-page")
    assert chosen == ["ART100 — Drawing (waitlisted)", "MAT101 — Algebra"]
    assert available == ["BIO200 — Cells"]


def test_the_student_pickers_label_stands_left_of_its_two_panes(page_as):
    student = StudentFactory()
    CourseFactory()
    page = page_as(staff_user(*everything()))
    page.goto(f"{page.base_url}/admin/students/student/{student.id}/change/")
    label = page.locator(".field-course_picker label[for=id_course_picker]").bounding_box()
    panes = page.locator(".field-course_picker .selector").bounding_box()
    assert label["x"] + label["width"] <= panes["x"]


def test_the_bulk_page_says_the_students_other_courses_are_kept(page_as):
    students = [StudentFactory() for _ in range(2)]
    CourseFactory()
    page = page_as(staff_user(*everything()))
    open_the_bulk_page(page, students)
    help_text = page.locator("#id_courses_helptext").inner_text()
    screenshot(page, "bulk-page")
    assert "Their other courses are kept" in help_text
    assert "drops" not in help_text


def test_the_course_page_lists_its_students_in_a_table_with_each_email_on_one_line(page_as):
    course = CourseFactory()
    student = StudentFactory(email="alexandra.konstantinopoulou.2026@district-high.school.example")
    StudentCourseFactory(student=student, course=course)
    page = page_as(staff_user(*everything(), "courses.change_course"))
    page.goto(f"{page.base_url}/admin/courses/course/{course.id}/change/")
    row = page.locator("table.student-ticks tbody tr").first
    email = row.locator("td").nth(2)
    screenshot(page, "course-page")
    assert email.inner_text() == student.email
    assert email.bounding_box()["height"] < 2 * row.locator("td").nth(1).bounding_box()["height"]  # one line
    assert page.locator("table.student-ticks").bounding_box()["width"] > 500


def test_the_admin_shows_times_in_the_readers_time_zone(page_as):
    student = StudentFactory()
    services.change_courses(student_id=student.id, enroll=[CourseFactory().id], actor=Actor(channel=Channel.SYSTEM))
    created_at = EnrollmentEvent.objects.get(student=student).created_at
    in_chicago, in_utc = (
        dateformat.format(localtime(created_at, ZoneInfo(zone)), "P") for zone in ("America/Chicago", "UTC")
    )
    user = staff_user(*everything(), "students.view_enrollmentevent")
    page = page_as(user, time_zone="America/Chicago")
    page.goto(f"{page.base_url}/admin/students/enrollmentevent/?student__id__exact={student.id}")
    when = page.locator(".field-created_at").first.inner_text()
    screenshot(page, "events-in-chicago")
    assert in_chicago in when
    assert in_utc not in when
    assert "America/Chicago" in page.locator("#time-zone-note").inner_text()


def test_the_course_page_shows_who_waits_in_the_order_they_get_a_seat(page_as):
    course = CourseFactory(capacity=1)
    StudentCourseFactory(course=course)  # the one seat taken
    late, early = StudentFactory(last_name="Late"), StudentFactory(last_name="Early")  # late has the lower id
    for student in (early, late):  # first come, first served: early asks first
        services.change_courses(
            student_id=student.id, enroll=[course.id], actor=Actor(channel=Channel.SYSTEM), waitlist=True
        )
    page = page_as(staff_user(*everything(), "courses.change_course"))
    page.goto(f"{page.base_url}/admin/courses/course/{course.id}/change/")
    waiting = page.locator("ol.waitlist li").all_inner_texts()
    screenshot(page, "course-waitlist")
    assert waiting == [f"{s.first_name} {s.last_name} <{s.email}>" for s in (early, late)]
