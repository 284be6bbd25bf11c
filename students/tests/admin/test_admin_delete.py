"""Deleting a student or a course in the admin: one without history goes; one with history is kept, and the page
says why (not that a permission to delete history is missing)."""

from http import HTTPStatus

from django.utils.html import escape

from courses.tests.factories import CourseFactory
from students.models import Student
from students.tests.factories import StudentCourseFactory, StudentFactory

KEPT = "It has enrollment history and cannot be deleted; drop its enrollments instead."


def test_the_delete_page_of_a_student_with_history_says_it_is_kept(admin_client):
    student = StudentCourseFactory().student

    response = admin_client.get(f"/admin/students/student/{student.pk}/delete/")

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert escape(f"{student}: {KEPT}") in page
    assert "permission" not in page
    assert "enrollment event" not in page


def test_a_student_with_history_is_not_deleted_when_the_page_is_posted(admin_client):
    student = StudentCourseFactory().student

    admin_client.post(f"/admin/students/student/{student.pk}/delete/", {"post": "yes"})

    assert Student.objects.filter(pk=student.pk).exists()


def test_a_student_without_history_is_deleted(admin_client):
    student = StudentFactory()

    response = admin_client.post(f"/admin/students/student/{student.pk}/delete/", {"post": "yes"})

    assert response.status_code == HTTPStatus.FOUND
    assert not Student.objects.filter(pk=student.pk).exists()


def test_deleting_a_selection_names_each_kept_course(admin_client):
    kept, free = StudentCourseFactory().course, CourseFactory()

    response = admin_client.post(
        "/admin/courses/course/", {"action": "delete_selected", "_selected_action": [kept.pk, free.pk]}
    )

    page = response.content.decode()
    assert escape(f"{kept}: {KEPT}") in page
    assert page.count(KEPT) == 1  # the course without history is not among the kept
