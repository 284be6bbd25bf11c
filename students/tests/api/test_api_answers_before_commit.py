"""A write's answer is read inside its transaction: if building it fails, the change is rolled back, so a client
told that a write failed can trust that nothing changed."""

import pytest

from students.enrollment import selectors
from students.models import EnrollmentEvent, StudentCourse


class AnswerFailed(Exception):
    pass


@pytest.fixture
def failing_answers(monkeypatch):
    def fail(**kwargs):
        raise AnswerFailed

    monkeypatch.setattr(selectors, "student_courses", fail)
    monkeypatch.setattr(selectors, "student_course", fail)


def nothing_changed() -> bool:
    return not StudentCourse.objects.exists() and not EnrollmentEvent.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_course_list_write_whose_answer_fails_changes_nothing(api_client, student, course, failing_answers, method):
    with pytest.raises(AnswerFailed):
        getattr(api_client, method)(
            f"/api/v1/students/{student.id}/courses", {"course_ids": [course.id]}, format="json"
        )
    assert nothing_changed()


def test_an_enrollment_whose_answer_fails_changes_nothing(api_client, student, course, failing_answers):
    with pytest.raises(AnswerFailed):
        api_client.post(f"/api/v1/students/{student.id}/courses", {"course_id": course.id}, format="json")
    assert nothing_changed()


def test_a_status_change_whose_answer_fails_changes_nothing(api_client, student, course, failing_answers):
    StudentCourse.objects.create(student=student, course=course)
    with pytest.raises(AnswerFailed):
        api_client.patch(f"/api/v1/students/{student.id}/courses/{course.id}", {"status": "completed"}, format="json")
    assert StudentCourse.objects.get().status == "enrolled"
    assert not EnrollmentEvent.objects.exists()
