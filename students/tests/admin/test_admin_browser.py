"""The admin in a real browser: headless Chromium (Debian's) driven by Playwright, against a live server.

Each test saves a screenshot of every page it checks under ``$TEST_ARTIFACTS/screenshots`` (``make test`` prints
where). Without Chromium these tests are skipped, except in CI (``CI=true``), where a missing browser fails.
"""

import pytest
from django.contrib.auth.models import User

from config.tests.browser import PASSWORD, screenshot, staff_user
from conftest import token_for
from courses.tests.factories import CourseFactory
from schools.models import AcademicSession
from schools.tests.factories import TermFactory
from students.models import StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page, field: str, code: str, button: str = "add") -> None:
    """Finds a course with the picker's filter box and moves it across with the arrow button."""
    side = "from" if button == "add" else "to"
    box = page.locator(f"#id_{field}_input" if side == "from" else f"#id_{field}_selected_input")
    box.fill("")
    box.press_sequentially(code)  # the widget filters on key presses, as a person types
    option = page.locator(f"#id_{field}_{side} option", has_text=code).first
    page.select_option(f"#id_{field}_{side}", value=option.get_attribute("value"))
    page.click(f"#id_{field}_{button}")


def open_the_bulk_page(page, students) -> None:
    """Selects the students on the list and opens the "Associate courses…" page for them."""
    page.goto(f"{page.base_url}/admin/students/student/")
    for student in students:
        page.check(f"input[name=_selected_action][value='{student.id}']")
    page.select_option("select[name=action]", "associate_courses")
    page.click("button[name=index]")
    page.wait_for_selector("#student-association-form")


def enrolled_codes(student) -> set[str]:
    return set(StudentCourse.objects.filter(student=student, status="enrolled").values_list("course__code", flat=True))


def everything() -> tuple[str, ...]:
    return (
        "students.view_student",
        "students.change_student",
        "students.view_studentcourse",
        "students.add_studentcourse",
        "students.delete_studentcourse",
        "courses.view_course",
    )


def test_staff_choose_two_courses_with_the_filter_box_and_arrows(page_as):
    student = StudentFactory()
    for code in ("ART100", "BIO200", "CHE300"):
        CourseFactory(code=code)
    page = page_as(staff_user(*everything()))
    page.goto(f"{page.base_url}/admin/students/student/{student.id}/change/")
    pick(page, "course_picker", "ART100")
    pick(page, "course_picker", "CHE300")
    screenshot(page, "1-student-picker-two-chosen")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    screenshot(page, "1-student-saved")
    assert enrolled_codes(student) == {"ART100", "CHE300"}


def test_staff_remove_one_course_with_the_picker(page_as):
    student = StudentFactory()
    for code in ("ART100", "BIO200"):
        StudentCourseFactory(student=student, course=CourseFactory(code=code))
    page = page_as(staff_user(*everything()))
    page.goto(f"{page.base_url}/admin/students/student/{student.id}/change/")
    pick(page, "course_picker", "BIO200", button="remove")
    screenshot(page, "2-student-picker-one-removed")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert enrolled_codes(student) == {"ART100"}
    assert StudentCourse.objects.get(student=student, course__code="BIO200").status == "dropped"


def test_staff_associate_courses_with_three_students_at_once(page_as):
    students = StudentFactory.create_batch(3)
    StudentFactory()  # not selected
    art, _, _ = (CourseFactory(code=code) for code in ("ART100", "BIO200", "CHE300"))
    StudentCourseFactory(student=students[0], course=art)  # already there: counted as existing
    page = page_as(staff_user(*everything()))
    open_the_bulk_page(page, students)
    pick(page, "courses", "ART100")
    pick(page, "courses", "BIO200")
    screenshot(page, "3-bulk-association-page")
    page.click("input[name=confirm]")
    message = page.wait_for_selector(".messagelist .success")
    screenshot(page, "3-bulk-association-done")
    assert "5 associations added, 1 existed already" in message.inner_text()
    for student in students:
        assert enrolled_codes(student) == {"ART100", "BIO200"}


def test_cancelling_the_bulk_association_changes_nothing(page_as):
    student = StudentFactory()
    CourseFactory(code="ART100")
    page = page_as(staff_user(*everything()))
    open_the_bulk_page(page, [student])
    pick(page, "courses", "ART100")
    page.click("a.cancel-link")
    page.wait_for_selector("#changelist")
    assert not StudentCourse.objects.exists()


def test_a_view_only_staff_user_finds_no_way_to_change_associations(page_as):
    student = StudentFactory()
    StudentCourseFactory(student=student, course=CourseFactory(code="ART100"))
    CourseFactory(code="BIO200")
    viewer = staff_user(
        "students.view_student", "students.view_studentcourse", "courses.view_course", username="viewer"
    )
    page = page_as(viewer)
    page.goto(f"{page.base_url}/admin/students/student/{student.id}/change/")
    screenshot(page, "4-view-only-student")
    assert page.locator("#id_course_picker_from").count() == 0
    assert page.locator("input[name=_save]").count() == 0
    assert "ART100" in page.inner_text("fieldset:has-text('Courses')")
    page.goto(f"{page.base_url}/admin/students/student/")
    screenshot(page, "4-view-only-student-list")
    assert page.locator("select[name=action] option[value=associate_courses]").count() == 0
    assert enrolled_codes(student) == {"ART100"}


def api_session(base_url: str):
    """A real HTTP client of the API, with a token of its own."""
    import requests

    user = User.objects.create_superuser("integration", "integration@school.example", PASSWORD)
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token_for(user)}"
    session.base_url = f"{base_url}/api/v1"
    return session


def history(student) -> list[tuple[str, str, str]]:
    return [
        (event.course.code, event.new_status, event.channel)
        for event in student.enrollment_events.select_related("course").order_by("id")
    ]


def test_the_student_page_keeps_a_course_the_api_added_while_it_was_open(page_as):
    student = StudentFactory()
    StudentCourseFactory(student=student, course=CourseFactory(code="A100"))
    CourseFactory(code="B200")
    z = CourseFactory(code="Z900")
    page = page_as(staff_user(*everything()))
    page.goto(f"{page.base_url}/admin/students/student/{student.id}/change/")
    pick(page, "course_picker", "B200")
    api = api_session(page.base_url)  # meanwhile, another system enrolls the student in Z900
    assert api.post(f"{api.base_url}/students/{student.id}/courses", json={"course_id": z.id}).status_code == 201
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    screenshot(page, "5-student-saved-keeping-the-api-change")
    assert enrolled_codes(student) == {"A100", "B200", "Z900"}
    assert ("Z900", "dropped", "admin") not in history(student)


def test_the_student_page_asks_again_when_a_course_it_drops_was_changed_meanwhile(page_as):
    student = StudentFactory()
    course = StudentCourseFactory(student=student, course=CourseFactory(code="RE101")).course
    page = page_as(staff_user(*everything()))
    page.goto(f"{page.base_url}/admin/students/student/{student.id}/change/")
    pick(page, "course_picker", "RE101", button="remove")
    api = api_session(page.base_url)  # meanwhile: dropped, then enrolled again
    api.delete(f"{api.base_url}/students/{student.id}/courses/{course.id}")
    api.post(f"{api.base_url}/students/{student.id}/courses", json={"course_id": course.id})
    page.click("input[name=_save]")
    error = page.wait_for_selector(".errorlist")
    screenshot(page, "6-student-page-asks-again")
    assert "Changed by someone else" in error.inner_text()
    assert enrolled_codes(student) == {"RE101"}
    page.click("input[name=_save]")  # staff looked, and still want it dropped
    page.wait_for_selector(".messagelist .success")
    assert enrolled_codes(student) == set()


def test_the_course_page_keeps_a_student_the_api_enrolled_while_it_was_open(page_as):
    course = CourseFactory(code="MA101")
    kept = StudentCourseFactory(course=course).student
    newcomer = StudentFactory(first_name="Nadia", last_name="Newcomer")
    meanwhile = StudentFactory()
    page = page_as(staff_user(*everything(), "courses.change_course"))
    page.goto(f"{page.base_url}/admin/courses/course/{course.id}/change/")
    page.click(".field-students_to_add .select2-selection")  # the autocomplete: type, then pick
    page.keyboard.type("Newcomer")
    page.click(".select2-results__option:has-text('Newcomer')")
    screenshot(page, "7-course-page-student-picked")
    api = api_session(page.base_url)
    assert api.post(f"{api.base_url}/students/{meanwhile.id}/courses", json={"course_id": course.id}).ok
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    screenshot(page, "7-course-saved-keeping-the-api-change")
    enrolled = set(StudentCourse.objects.filter(course=course, status="enrolled").values_list("student_id", flat=True))
    assert enrolled == {kept.id, newcomer.id, meanwhile.id}


def test_the_course_page_drops_the_ticked_students_page_by_page(page_as):
    course = CourseFactory(code="BIG100")
    students = StudentFactory.create_batch(60)
    for student in students:
        StudentCourseFactory(course=course, student=student)
    page = page_as(staff_user(*everything(), "courses.change_course"))
    page.goto(f"{page.base_url}/admin/courses/course/{course.id}/change/?students_page=2")
    boxes = page.locator("input[name=students_to_drop]")
    assert boxes.count() == 10  # 60 students, 50 a page
    boxes.first.check()
    screenshot(page, "8-course-page-2-one-ticked")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert StudentCourse.objects.filter(course=course, status="dropped").count() == 1


def groups_of(page, side: str) -> dict[str, list[str]]:
    """Each group of the picker's pane (``from`` or ``to``) and the codes in it, as the browser shows them."""
    return page.eval_on_selector(
        f"#id_course_picker_{side}",
        """box => Object.fromEntries([...box.querySelectorAll('optgroup')].map(
            group => [group.label, [...group.querySelectorAll('option')].map(option => option.text.split(' ')[0])]))""",
    )


def test_the_student_picker_groups_courses_by_term_in_both_panes_and_finds_a_term_by_name(page_as):
    spring = TermFactory(title="Spring 2027", coming=True)
    student = StudentFactory()
    CourseFactory(code="ART100")  # the first term, going on
    CourseFactory(code="BIO200", term=spring)
    StudentCourseFactory(student=student, course=CourseFactory(code="CHE300", term=spring))
    first_term = AcademicSession.objects.first_term().title
    page = page_as(staff_user(*everything()))
    page.goto(f"{page.base_url}/admin/students/student/{student.id}/change/")

    assert groups_of(page, "from") == {first_term: ["ART100"], "Spring 2027": ["BIO200"]}
    assert groups_of(page, "to") == {"Spring 2027": ["CHE300"]}
    pick(page, "course_picker", "ART100")
    assert groups_of(page, "to") == {first_term: ["ART100"], "Spring 2027": ["CHE300"]}
    page.locator("#id_course_picker_input").fill("")
    page.locator("#id_course_picker_input").press_sequentially("spring")
    assert groups_of(page, "from") == {"Spring 2027": ["BIO200"]}
    screenshot(page, "7-student-picker-grouped-by-term")
