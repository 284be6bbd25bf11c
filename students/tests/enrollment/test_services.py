"""Each entry point of the enrollment package, on the database: what it writes, what it refuses, what it reports."""

import pytest

from courses.tests.factories import CourseFactory
from students.enrollment import services
from students.enrollment.errors import (
    AssociationNotFound,
    ChangedMeanwhile,
    CourseFull,
    CourseNotFound,
    HasEnrollmentHistory,
    InvalidStatusChange,
    StudentNotFound,
)
from students.enrollment.previews import preview_course_students, preview_courses
from students.enrollment.writing import Actor
from students.models import Channel, EnrollmentEvent, Student, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db

COMMAND = Actor(channel=Channel.COMMAND)


def statuses(**filters) -> dict[tuple[int, int], str]:
    return {(r.student_id, r.course_id): r.status for r in StudentCourse.objects.filter(**filters)}


def waitlisted(course, *tickets_and_students) -> None:
    for ticket, student in tickets_and_students:
        StudentCourseFactory(course=course, student=student, status="waitlisted", waitlist_ticket=ticket)


# change_courses ------------------------------------------------------------------------------------------------


def test_change_courses_enrolls_and_drops_and_reports_course_ids(student):
    kept, dropped, new = CourseFactory.create_batch(3)
    StudentCourseFactory(student=student, course=kept)
    StudentCourseFactory(student=student, course=dropped)
    change = services.change_courses(student_id=student.id, enroll=[new.id, kept.id], drop=[dropped.id], actor=COMMAND)
    assert (change.added, change.removed, change.unchanged) == ([new.id], [dropped.id], [kept.id])
    assert statuses(student=student) == {
        (student.id, kept.id): "enrolled",
        (student.id, dropped.id): "dropped",
        (student.id, new.id): "enrolled",
    }


def test_change_courses_writes_one_event_per_change_with_the_actor(student, course):
    services.change_courses(student_id=student.id, enroll=[course.id], actor=COMMAND)
    event = EnrollmentEvent.objects.get()
    assert (event.previous_status, event.new_status, event.channel) == ("", "enrolled", "command")


def test_change_courses_refuses_a_full_course_and_changes_nothing(student):
    full, free = CourseFactory(capacity=1), CourseFactory()
    StudentCourseFactory(course=full)
    with pytest.raises(CourseFull):
        services.change_courses(student_id=student.id, enroll=[full.id, free.id], actor=COMMAND)
    assert statuses(student=student) == {}
    assert EnrollmentEvent.objects.count() == 0


def test_change_courses_waitlists_behind_those_already_waiting(student):
    course = CourseFactory(capacity=1)
    StudentCourseFactory(course=course)
    waitlisted(course, (3, StudentFactory()))
    services.change_courses(student_id=student.id, enroll=[course.id], actor=COMMAND, waitlist=True)
    assert StudentCourse.objects.get(student=student).waitlist_ticket == 4


def test_change_courses_in_a_dry_run_reports_and_changes_nothing(student, course):
    change = services.change_courses(student_id=student.id, enroll=[course.id], actor=COMMAND, dry_run=True)
    assert change.added == [course.id]
    assert not StudentCourse.objects.exists()


def test_change_courses_names_unknown_courses_to_enroll_in(student):
    with pytest.raises(CourseNotFound) as refused:
        services.change_courses(student_id=student.id, enroll=[999_998, 999_999], actor=COMMAND)
    assert refused.value.extra == {"course_ids": [999_998, 999_999]}


def test_change_courses_for_an_unknown_student_is_refused():
    with pytest.raises(StudentNotFound):
        services.change_courses(student_id=999_999, enroll=[], actor=COMMAND)


# set_courses -----------------------------------------------------------------------------------------------------


def test_set_courses_drops_the_others_keeps_completed_ones_and_promotes_the_waitlist(student):
    kept, completed, left = CourseFactory(), CourseFactory(), CourseFactory(capacity=1)
    StudentCourseFactory(student=student, course=kept)
    StudentCourseFactory(student=student, course=completed, status="completed")
    StudentCourseFactory(student=student, course=left)
    waiting = StudentFactory()
    waitlisted(left, (1, waiting))
    services.set_courses(student_id=student.id, course_ids=[kept.id], actor=COMMAND)
    assert statuses(course__in=[kept, completed, left]) == {
        (student.id, kept.id): "enrolled",
        (student.id, completed.id): "completed",
        (student.id, left.id): "dropped",
        (waiting.id, left.id): "enrolled",
    }
    assert EnrollmentEvent.objects.get(student=waiting).channel == "system"


# change_status and drop --------------------------------------------------------------------------------------------


def test_change_status_completes_an_enrolled_course(student, course):
    StudentCourseFactory(student=student, course=course)
    assert services.change_status(student_id=student.id, course_id=course.id, status="completed", actor=COMMAND)
    assert StudentCourse.objects.get().status == "completed"


def test_change_status_to_the_current_status_reports_no_change(student, course):
    StudentCourseFactory(student=student, course=course)
    assert not services.change_status(student_id=student.id, course_id=course.id, status="enrolled", actor=COMMAND)


def test_change_status_refuses_an_impossible_move(student, course):
    StudentCourseFactory(student=student, course=course, status="dropped")
    with pytest.raises(InvalidStatusChange):
        services.change_status(student_id=student.id, course_id=course.id, status="completed", actor=COMMAND)


def test_drop_refuses_an_association_that_is_not_active(student, course):
    StudentCourseFactory(student=student, course=course, status="completed")
    with pytest.raises(AssociationNotFound):
        services.drop(student_id=student.id, course_id=course.id, actor=COMMAND)
    assert StudentCourse.objects.get().status == "completed"


def test_drop_frees_the_seat_for_the_longest_waiting(student):
    course = CourseFactory(capacity=1)
    StudentCourseFactory(student=student, course=course)
    first, second = StudentFactory(), StudentFactory()
    waitlisted(course, (2, second), (1, first))
    services.drop(student_id=student.id, course_id=course.id, actor=COMMAND)
    assert statuses(course=course) == {
        (student.id, course.id): "dropped",
        (first.id, course.id): "enrolled",
        (second.id, course.id): "waitlisted",
    }


# enroll_many, change_course_students, update_course --------------------------------------------------------------


def test_enroll_many_counts_what_it_did_for_every_student():
    course = CourseFactory(capacity=2)
    ada, ben, cleo = StudentFactory.create_batch(3)
    StudentCourseFactory(student=ada, course=course)
    summary = services.enroll_many(
        changes={s.id: ([course.id], ()) for s in (ada, ben, cleo)}, actor=COMMAND, waitlist=True
    )
    assert (summary.added, summary.waitlisted, summary.unchanged) == (1, 1, 1)
    assert statuses(course=course)[cleo.id, course.id] == "waitlisted"


def test_enroll_many_with_replace_makes_each_students_courses_exactly_the_listed_set(student):
    old, new = CourseFactory.create_batch(2)
    StudentCourseFactory(student=student, course=old)
    summary = services.enroll_many(changes={student.id: ([new.id], ())}, actor=COMMAND, replace=True)
    assert (summary.added, summary.dropped) == (1, 1)


def test_change_course_students_refuses_more_students_than_seats():
    course = CourseFactory(capacity=1)
    with pytest.raises(CourseFull):
        services.change_course_students(
            course_id=course.id, enroll=[s.id for s in StudentFactory.create_batch(2)], actor=COMMAND
        )
    assert not StudentCourse.objects.exists()


def test_change_course_students_lets_a_newcomer_take_the_seat_another_leaves(student):
    course, newcomer = CourseFactory(capacity=1), StudentFactory()
    StudentCourseFactory(student=student, course=course)
    services.change_course_students(course_id=course.id, enroll=[newcomer.id], drop=[student.id], actor=COMMAND)
    assert statuses(course=course) == {(student.id, course.id): "dropped", (newcomer.id, course.id): "enrolled"}


def test_update_course_raising_the_capacity_promotes_in_ticket_order():
    course = CourseFactory(capacity=1)
    StudentCourseFactory(course=course)
    first, second, third = StudentFactory.create_batch(3)
    waitlisted(course, (5, third), (1, first), (3, second))
    services.update_course(course_id=course.id, changes={"capacity": 3})
    assert [sc.student_id for sc in StudentCourse.objects.filter(course=course, status="waitlisted")] == [third.id]


def test_update_course_to_unlimited_promotes_everyone():
    course = CourseFactory(capacity=1)
    StudentCourseFactory(course=course)
    waitlisted(course, (1, StudentFactory()), (2, StudentFactory()))
    services.update_course(course_id=course.id, changes={"capacity": None})
    assert not StudentCourse.objects.filter(status="waitlisted").exists()


# Deleting ----------------------------------------------------------------------------------------------------------


def test_a_student_without_history_is_deleted(student):
    services.delete_student(student_id=student.id)
    assert not Student.objects.exists()


def test_a_student_or_course_with_history_cannot_be_deleted(student, course):
    services.change_courses(student_id=student.id, enroll=[course.id], actor=COMMAND)
    with pytest.raises(HasEnrollmentHistory):
        services.delete_student(student_id=student.id)
    with pytest.raises(HasEnrollmentHistory):
        services.delete_course(course_id=course.id)


# Previews (the admin forms' check) --------------------------------------------------------------------------------


def test_a_preview_names_the_full_courses_and_changes_nothing(student):
    full = CourseFactory(capacity=1)
    StudentCourseFactory(course=full)
    assert preview_courses(student_id=student.id, enroll=[full.id], drop=[], waitlist=False).full == [full.id]
    assert preview_courses(student_id=None, enroll=[full.id], drop=[], waitlist=False).full == [full.id]
    assert StudentCourse.objects.count() == 1


def test_a_course_preview_plans_with_the_capacity_in_the_form():
    course, students = CourseFactory(capacity=5), StudentFactory.create_batch(3)
    change = preview_course_students(
        course_id=course.id, capacity=2, enroll=[s.id for s in students], drop=[], waitlist=False
    )
    assert (len(change.added), len(change.full)) == (2, 1)
    new_course = preview_course_students(
        course_id=None, capacity=1, enroll=[s.id for s in students], drop=[], waitlist=False
    )
    assert (len(new_course.added), len(new_course.full)) == (1, 2)


def test_a_change_to_an_association_changed_since_it_was_read_is_refused(student, course):
    row = StudentCourseFactory(student=student, course=course)
    read = row.status_changed_at
    services.change_status(student_id=student.id, course_id=course.id, status="completed", actor=COMMAND)
    with pytest.raises(ChangedMeanwhile) as refused:
        services.change_courses(student_id=student.id, drop=[course.id], actor=COMMAND, expected={course.id: read})
    assert refused.value.extra == {"changed": [[student.id, course.id]]}
    assert StudentCourse.objects.get().status == "completed"


def test_an_association_expected_not_to_exist_that_exists_now_is_refused(student, course):
    StudentCourseFactory(student=student, course=course, status="dropped")
    with pytest.raises(ChangedMeanwhile):
        services.change_course_students(
            course_id=course.id, enroll=[student.id], actor=COMMAND, expected={student.id: None}
        )
