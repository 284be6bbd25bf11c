"""The admin's server side: forms, actions and permissions (the browser tests drive the same pages)."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User

from conftest import with_permissions
from courses.tests.factories import CourseFactory
from students.forms import StudentAdminForm
from students.models import EnrollmentEvent, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client):
    def login(*perms: str, superuser: bool = False):
        user = User.objects.create_user(f"staff{User.objects.count()}", password="pw-pw-pw-pw", is_staff=True)
        user.is_superuser = superuser
        user.save()
        client.force_login(with_permissions(user, perms))
        return client

    return login


def shown(form_class, instance) -> str:
    """What the page carries about what it showed, as a page opened now would."""
    return form_class(instance=instance).fields["picker_shown"].initial if instance.pk else "{}"


def course_form(course, add=(), drop=(), **extra) -> dict:
    """The course change form's data, as the page opened now: the students picked to enroll and ticked to drop."""
    from django.utils import timezone

    return {
        "code": course.code,
        "title": course.title,
        "description": "",
        "capacity": course.capacity or "",
        "students_to_add": list(add),
        "students_to_drop": list(drop),
        "shown_at": timezone.now().isoformat(),
        **extra,
    }


def student_form(student, course_ids, **extra) -> dict:
    """The student change form's data, as the page opened now, with the picker set to these courses."""
    return {
        "first_name": student.first_name,
        "last_name": student.last_name,
        "email": student.email,
        "course_picker": course_ids,
        "picker_shown": shown(StudentAdminForm, student),
        "student_courses-TOTAL_FORMS": 0,
        "student_courses-INITIAL_FORMS": 0,
        **extra,
    }


def test_saving_the_student_form_sets_courses_through_the_service(admin_client_for, student):
    course = CourseFactory()
    client = admin_client_for(superuser=True)
    response = client.post(f"/admin/students/student/{student.id}/change/", student_form(student, [course.id]))
    assert response.status_code == HTTPStatus.FOUND
    event = EnrollmentEvent.objects.get()
    assert (event.course_id, event.channel, event.new_status) == (course.id, "admin", "enrolled")


def test_choosing_a_full_course_is_a_form_error_that_saves_nothing(admin_client_for, student):
    full = CourseFactory(capacity=1)
    StudentCourseFactory(course=full)
    client = admin_client_for(superuser=True)
    response = client.post(
        f"/admin/students/student/{student.id}/change/", student_form(student, [full.id], first_name="Changed")
    )
    assert response.status_code == HTTPStatus.OK
    assert "No free seat in" in response.content.decode()
    student.refresh_from_db()
    assert student.first_name != "Changed"


def test_ticking_the_waitlist_puts_the_student_on_it(admin_client_for, student):
    full = CourseFactory(capacity=1)
    StudentCourseFactory(course=full)
    client = admin_client_for(superuser=True)
    client.post(
        f"/admin/students/student/{student.id}/change/", student_form(student, [full.id], waitlist_when_full="on")
    )
    assert StudentCourse.objects.get(student=student, course=full).status == "waitlisted"


def test_adding_a_student_with_courses_enrolls_them(admin_client_for):
    course = CourseFactory()
    client = admin_client_for(superuser=True)
    data = student_form(StudentFactory.build(email="New@School.Example"), [course.id])
    assert client.post("/admin/students/student/add/", data).status_code == HTTPStatus.FOUND
    assert StudentCourse.objects.get(student__email="new@school.example").course == course


def test_the_bulk_action_is_hidden_without_the_add_permission(admin_client_for, student):
    client = admin_client_for("students.view_student", "students.change_student")
    response = client.get("/admin/students/student/")
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert student.email in page
    assert 'value="associate_courses"' not in page


def test_the_bulk_action_reports_full_courses_and_changes_nothing(admin_client_for):
    full = CourseFactory(capacity=1, code="FULL1")
    students = StudentFactory.create_batch(2)
    client = admin_client_for(superuser=True)
    response = client.post(
        "/admin/students/student/",
        {
            "action": "associate_courses",
            "_selected_action": [s.id for s in students],
            "apply": "1",
            "courses": [full.id],
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "No free seat in FULL1" in response.content.decode()
    assert not StudentCourse.objects.exists()


def test_the_bulk_action_can_waitlist_the_students_left_without_a_seat(admin_client_for):
    course = CourseFactory(capacity=1)
    students = StudentFactory.create_batch(3)
    client = admin_client_for(superuser=True)
    response = client.post(
        "/admin/students/student/",
        {
            "action": "associate_courses",
            "_selected_action": [s.id for s in students],
            "apply": "1",
            "courses": [course.id],
            "waitlist_when_full": "on",
        },
        follow=True,
    )
    assert "1 associations added, 2 waitlisted, 0 existed already" in response.content.decode()


def test_the_bulk_action_without_a_course_asks_for_one_and_changes_nothing(admin_client_for):
    students = StudentFactory.create_batch(2)
    client = admin_client_for(superuser=True)
    response = client.post(
        "/admin/students/student/",
        {"action": "associate_courses", "_selected_action": [s.id for s in students], "apply": "1"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "This field is required" in response.content.decode()
    assert not StudentCourse.objects.exists()


def test_the_student_list_filters_by_course(admin_client_for):
    taking = StudentCourseFactory().student
    other = StudentFactory()
    client = admin_client_for(superuser=True)
    page = client.get(f"/admin/students/student/?course={taking.student_courses.get().course_id}").content.decode()
    assert taking.email in page
    assert other.email not in page


def test_the_course_list_counts_students_without_a_query_per_row(admin_client_for, django_assert_max_num_queries):
    for course in CourseFactory.create_batch(10):
        StudentCourseFactory.create_batch(2, course=course)
    client = admin_client_for(superuser=True)
    with django_assert_max_num_queries(8):
        page = client.get("/admin/courses/course/").content.decode()
    assert page.count('<td class="field-student_count">2</td>') == 10


def test_the_course_page_links_to_its_students_and_counts_them(admin_client_for, course):
    StudentCourseFactory.create_batch(3, course=course)
    page = admin_client_for(superuser=True).get(f"/admin/courses/course/{course.id}/change/").content.decode()
    assert f"/admin/students/student/?course={course.id}" in page
    assert re.search(r'field-student_count.*?<div class="readonly">3</div>', page, re.DOTALL)


def test_raising_a_capacity_in_the_admin_promotes_the_waitlist(admin_client_for):
    course = CourseFactory(capacity=1)
    StudentCourseFactory(course=course)
    waiting = StudentCourseFactory(course=course, status="waitlisted", waitlist_ticket=1)
    client = admin_client_for(superuser=True)
    data = course_form(course, capacity=2)
    assert client.post(f"/admin/courses/course/{course.id}/change/", data).status_code == HTTPStatus.FOUND
    waiting.refresh_from_db()
    assert waiting.status == "enrolled"


def test_the_course_student_picker_sets_the_enrolled_students(admin_client_for, course):
    leaving = StudentCourseFactory(course=course).student
    joining = StudentFactory()
    client = admin_client_for(superuser=True)
    data = course_form(course, add=[joining.id], drop=[leaving.id])
    assert client.post(f"/admin/courses/course/{course.id}/change/", data).status_code == HTTPStatus.FOUND
    statuses = dict(StudentCourse.objects.filter(course=course).values_list("student_id", "status"))
    assert statuses == {leaving.id: "dropped", joining.id: "enrolled"}


def test_a_course_picker_over_capacity_saves_nothing_and_says_why(admin_client_for):
    course = CourseFactory(capacity=1, title="Old")
    client = admin_client_for(superuser=True)
    data = course_form(course, add=[s.id for s in StudentFactory.create_batch(2)], title="New")
    response = client.post(f"/admin/courses/course/{course.id}/change/", data)
    assert "seat(s) free for 2 new student(s)" in response.content.decode()
    course.refresh_from_db()
    assert course.title == "Old"
    assert not StudentCourse.objects.exists()


def test_the_enrollment_log_is_read_only_and_filterable_by_student(admin_client_for):
    association = StudentCourseFactory()
    EnrollmentEvent.objects.create(
        student=association.student, course=association.course, new_status="enrolled", channel="api"
    )
    other = StudentCourseFactory()
    EnrollmentEvent.objects.create(student=other.student, course=other.course, new_status="enrolled", channel="api")
    client = admin_client_for(superuser=True)
    page = client.get(f"/admin/students/enrollmentevent/?student__id__exact={association.student_id}")
    assert page.status_code == HTTPStatus.OK
    assert association.student.email in page.content.decode()
    assert other.student.email not in page.content.decode()
    assert client.get("/admin/students/enrollmentevent/add/").status_code == HTTPStatus.FORBIDDEN


def test_a_seat_taken_while_the_form_was_open_saves_nothing_and_says_so(admin_client_for, student, monkeypatch):
    from students import forms
    from students.enrollment.services import Change

    # the form's own check saw a free seat; the seat went before the save
    course = CourseFactory(capacity=1, code="LATE1")
    StudentCourseFactory(course=course)
    monkeypatch.setattr(forms, "preview_courses", lambda **request: Change())  # the form saw a free seat
    client = admin_client_for(superuser=True)
    response = client.post(
        f"/admin/students/student/{student.id}/change/",
        student_form(student, [course.id], first_name="Changed"),
        follow=True,
    )
    assert "Nothing was saved: No free seat in course" in response.content.decode()
    student.refresh_from_db()
    assert student.first_name != "Changed"


# What others changed while the page was open ---------------------------------------------------------------------


def test_saving_the_student_page_keeps_what_another_channel_changed_meanwhile(admin_client_for, api_client, student):
    a, b, z = CourseFactory.create_batch(3)
    StudentCourseFactory(student=student, course=a)
    page = student_form(student, [a.id, b.id])  # staff open the page and move B in
    api_client.post(f"/api/v1/students/{student.id}/courses", {"course_id": z.id}, format="json")  # meanwhile
    response = admin_client_for(superuser=True).post(f"/admin/students/student/{student.id}/change/", page)
    assert response.status_code == HTTPStatus.FOUND
    assert {sc.course_id: sc.status for sc in StudentCourse.objects.filter(student=student)} == {
        a.id: "enrolled",
        b.id: "enrolled",
        z.id: "enrolled",
    }
    assert not EnrollmentEvent.objects.filter(new_status="dropped").exists()


def test_a_drop_of_a_course_someone_changed_meanwhile_is_not_applied_and_the_page_asks_again(
    admin_client_for, api_client, student
):
    course = CourseFactory(code="RE101")
    StudentCourseFactory(student=student, course=course)
    page = student_form(student, [])  # staff open the page and move RE101 out
    url = f"/api/v1/students/{student.id}/courses"
    api_client.delete(f"{url}/{course.id}")
    api_client.post(url, {"course_id": course.id}, format="json")  # meanwhile: dropped and enrolled again
    client = admin_client_for(superuser=True)
    response = client.post(f"/admin/students/student/{student.id}/change/", page)
    assert response.status_code == HTTPStatus.OK
    assert "RE101 was changed and is enrolled again since" in response.content.decode()
    assert StudentCourse.objects.get().status == "enrolled"
    again = dict(page, picker_shown=response.context["adminform"].form["picker_shown"].value())
    assert client.post(f"/admin/students/student/{student.id}/change/", again).status_code == HTTPStatus.FOUND
    assert StudentCourse.objects.get().status == "dropped"


def test_saving_the_course_page_keeps_what_another_channel_changed_meanwhile(admin_client_for, api_client, course):
    kept, moved_in, enrolled_meanwhile = StudentFactory.create_batch(3)
    StudentCourseFactory(student=kept, course=course)
    page = course_form(course, add=[moved_in.id])
    api_client.post(f"/api/v1/students/{enrolled_meanwhile.id}/courses", {"course_id": course.id}, format="json")
    response = admin_client_for(superuser=True).post(f"/admin/courses/course/{course.id}/change/", page)
    assert response.status_code == HTTPStatus.FOUND
    assert set(StudentCourse.objects.filter(course=course, status="enrolled").values_list("student_id", flat=True)) == {
        kept.id,
        moved_in.id,
        enrolled_meanwhile.id,
    }


def test_the_course_page_does_not_enroll_a_student_someone_dropped_meanwhile(admin_client_for, api_client, course):
    student = StudentFactory(first_name="Ada", last_name="Quist")
    StudentCourseFactory(student=student, course=course, status="dropped")
    page = course_form(course, add=[student.id])  # staff pick Ada
    api_client.post(f"/api/v1/students/{student.id}/courses", {"course_id": course.id}, format="json")
    api_client.delete(f"/api/v1/students/{student.id}/courses/{course.id}")  # meanwhile: enrolled, dropped again
    response = admin_client_for(superuser=True).post(f"/admin/courses/course/{course.id}/change/", page)
    assert response.status_code == HTTPStatus.OK
    assert "Ada Quist" in response.content.decode()
    assert StudentCourse.objects.get().status == "dropped"


def test_the_bulk_page_does_not_enroll_a_student_whose_course_changed_after_it_was_opened(admin_client_for, api_client):
    from django.utils import timezone

    ada, ben = StudentFactory.create_batch(2)
    course = CourseFactory(code="BU101")
    StudentCourseFactory(student=ada, course=course, status="dropped")
    opened = timezone.now()
    api_client.post(f"/api/v1/students/{ada.id}/courses", {"course_id": course.id}, format="json")
    api_client.delete(f"/api/v1/students/{ada.id}/courses/{course.id}")  # meanwhile: enrolled and dropped again
    form = {
        "action": "associate_courses",
        "_selected_action": [ada.id, ben.id],
        "apply": "1",
        "courses": [course.id],
        "shown_at": opened.isoformat(),
    }
    response = admin_client_for(superuser=True).post("/admin/students/student/", form)
    assert response.status_code == HTTPStatus.OK
    assert "Changed by someone else since this page was opened" in response.content.decode()
    assert not StudentCourse.objects.filter(status="enrolled").exists()
