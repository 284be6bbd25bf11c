"""The feed entries a write makes in SQL are the entries the loaders make in Python (``enrollment_entry``)."""

import pytest
from django.utils import timezone

from changes.models import Change
from courses.tests.factories import CourseFactory
from students.enrollment import services
from students.enrollment.dates import begins_on, ends_on
from students.enrollment.writing import Actor, enrollment_entry
from students.models import Channel
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_each_status_change_is_the_entry_a_loader_would_write_for_it():
    student, course = StudentFactory(), CourseFactory()
    actor = Actor(channel=Channel.COMMAND)
    services.change_courses(student_id=student.id, enroll=[course.id], actor=actor)
    services.drop(student_id=student.id, course_id=course.id, actor=actor)
    written = Change.objects.filter(object_type="enrollment").order_by("position", "id")
    today = timezone.localdate()
    begin = begins_on(today=today, term_start=course.term.start_date)
    end = ends_on(today=today, begin=begin, end=None, term_end=course.term.end_date)
    expected = [
        enrollment_entry(student.id, course.id, "enrolled", None, begin=begin),
        enrollment_entry(student.id, course.id, "dropped", "enrolled", begin=begin, end=end),
    ]
    assert [(c.type, c.object_id, c.data, c.channel) for c in written] == [
        (e.type, e.object_id, e.data, "command") for e in expected
    ]
