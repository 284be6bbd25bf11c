"""Enrollment events are append-only."""

import pytest

from students.models import EnrollmentEvent
from students.tests.factories import StudentCourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    association = StudentCourseFactory()
    return EnrollmentEvent.objects.create(
        student=association.student, course=association.course, new_status="enrolled", channel="api"
    )


def test_an_event_cannot_be_changed(event):
    event.new_status = "dropped"
    with pytest.raises(TypeError, match="append-only"):
        event.save()


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(TypeError, match="append-only"):
        event.delete()


def test_events_cannot_be_updated_or_deleted_in_bulk(event):
    with pytest.raises(TypeError):
        EnrollmentEvent.objects.update(channel="admin")
    with pytest.raises(TypeError):
        EnrollmentEvent.objects.all().delete()
    assert EnrollmentEvent.objects.get().channel == "api"


def test_an_event_reads_as_a_sentence(event):
    assert f"student {event.student_id} course {event.course_id}: enrolled" in str(event)
