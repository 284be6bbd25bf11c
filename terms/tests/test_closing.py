"""Closing a term completes its enrollments, closes its waitlists and rolls its courses over, all or nothing."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from changes.models import Change
from courses.models import Course
from courses.tests.factories import CourseFactory
from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel, EnrollmentEvent, StudentCourse
from students.tests.factories import StudentFactory
from terms.closing import TermClosingRefused, close_term, rolled_code, term_tag
from terms.tests.conftest import make_term

pytestmark = pytest.mark.django_db

COMMAND = Actor(channel=Channel.COMMAND)


def statuses(course) -> list[str]:
    return sorted(StudentCourse.objects.filter(course=course).values_list("status", flat=True))


def test_closing_completes_the_enrolled_and_drops_the_waitlisted_with_the_reason(algebra, fall, spring):
    close_term(term_id=fall.id, into_id=spring.id, actor=COMMAND, dry_run=False)

    assert statuses(algebra) == ["completed", "completed", "dropped", "dropped"]
    closing_events = EnrollmentEvent.objects.filter(course=algebra, reason="Fall 2026 closed")
    assert sorted(closing_events.values_list("previous_status", "new_status")) == [
        ("enrolled", "completed"),
        ("enrolled", "completed"),
        ("waitlisted", "dropped"),
    ]


def test_closing_promotes_nobody_into_the_seats_it_frees(algebra, fall, spring):
    promotions = EnrollmentEvent.objects.filter(course=algebra, channel=Channel.SYSTEM, new_status="enrolled")
    before = promotions.count()
    close_term(term_id=fall.id, into_id=spring.id, actor=COMMAND, dry_run=False)
    assert promotions.count() == before
    assert not StudentCourse.objects.filter(course=algebra, status__in=["enrolled", "waitlisted"]).exists()


def test_each_course_is_rolled_over_with_its_teachers_and_no_students(algebra, fall, spring):
    close_term(term_id=fall.id, into_id=spring.id, actor=COMMAND, dry_run=False)

    copy = Course.objects.get(rolled_over_from=algebra)
    assert (copy.code, copy.term, copy.school, copy.catalog_course) == (
        "ALG1-A-SPRING2027",
        spring,
        algebra.school,
        algebra.catalog_course,
    )
    assert (copy.title, copy.capacity) == (algebra.title, algebra.capacity)
    assert copy.sourced_id != algebra.sourced_id
    assert sorted(copy.assignments.values_list("teacher__email", "role")) == [
        ("mr.ox@school.example", "aide"),
        ("ms.ng@school.example", "primary"),
    ]
    assert not copy.student_courses.exists()


def test_the_feed_carries_the_copies_and_their_teachers(algebra, fall, spring):
    close_term(term_id=fall.id, into_id=spring.id, actor=COMMAND, dry_run=False)
    copy = Course.objects.get(rolled_over_from=algebra)
    assert Change.objects.filter(type="course.created", object_id=str(copy.id)).count() == 1
    assert Change.objects.filter(type="assignment.created", data__course=copy.id).count() == 2
    completed = Change.objects.filter(type="enrollment.completed", data__course_id=algebra.id)
    assert {entry.data["reason"] for entry in completed} == {"Fall 2026 closed"}


def test_a_dry_run_reports_it_all_and_changes_nothing(algebra, fall, spring):
    before = (statuses(algebra), Course.objects.count(), Change.objects.count(), EnrollmentEvent.objects.count())

    closing = close_term(term_id=fall.id, into_id=spring.id, actor=COMMAND, dry_run=True)

    assert (closing.completed, closing.waitlists_closed, closing.assignments_copied) == (2, 1, 2)
    assert closing.copies == [("ALG1-A-FALL2026", "ALG1-A-SPRING2027")]
    assert (statuses(algebra), Course.objects.count(), Change.objects.count(), EnrollmentEvent.objects.count()) == (
        before
    )


def test_a_copys_code_already_taken_refuses_the_whole_close(algebra, fall, spring):
    CourseFactory(code="ALG1-A-SPRING2027")
    before = statuses(algebra)

    with pytest.raises(TermClosingRefused, match="ALG1-A-SPRING2027: another course has this code"):
        close_term(term_id=fall.id, into_id=spring.id, actor=COMMAND, dry_run=False)

    assert statuses(algebra) == before
    assert not Course.objects.filter(rolled_over_from=algebra).exists()


def test_a_next_term_that_does_not_come_after_is_refused(algebra, fall):
    summer = make_term("Summer 2026", "2026-06-01", "2026-08-01")
    with pytest.raises(TermClosingRefused, match="not after Fall 2026"):
        close_term(term_id=fall.id, into_id=summer.id, actor=COMMAND, dry_run=False)


def test_closing_again_copies_nothing_twice_and_completes_what_was_enrolled_since(algebra, fall, spring):
    close_term(term_id=fall.id, into_id=spring.id, actor=COMMAND, dry_run=False)
    late = StudentFactory()
    services.change_courses(student_id=late.id, enroll=[algebra.id], actor=COMMAND)

    again = close_term(term_id=fall.id, into_id=spring.id, actor=COMMAND, dry_run=False)

    assert (again.completed, again.copies, again.already_rolled_over) == (1, [], ["ALG1-A-FALL2026"])
    assert Course.objects.filter(rolled_over_from=algebra).count() == 1


def test_a_completed_enrollment_ends_with_its_term_when_closed_after_it(algebra, fall, spring, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: dt.date(2027, 2, 1))
    close_term(term_id=fall.id, into_id=spring.id, actor=COMMAND, dry_run=False)
    ends = set(StudentCourse.objects.filter(course=algebra, status="completed").values_list("end_date", flat=True))
    assert ends == {dt.date(2027, 1, 15)}  # the term's (exclusive) end


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ALG1-A-FALL2026", "ALG1-A-SPRING2027"), ("ALG1-A", "ALG1-A-SPRING2027"), ("FALL2026", "FALL2026-SPRING2027")],
)
def test_a_copys_code_changes_the_terms_tag(code, expected):
    assert rolled_code(code, old_tag="FALL2026", new_tag="SPRING2027") == expected


def test_a_terms_tag_is_its_titles_letters_and_digits(spring):
    assert term_tag(spring) == "SPRING2027"


# The command ----------------------------------------------------------------------------------------------------


def test_the_command_without_apply_is_a_dry_run(algebra, fall, spring, capsys):
    call_command("close_term", str(fall.id), "--into", str(spring.sourced_id))
    out = capsys.readouterr().out
    assert "ALG1-A-FALL2026 → ALG1-A-SPRING2027" in out
    assert "Dry run (nothing changed; --apply to do it): Fall 2026 → Spring 2027: 2 enrollments would be" in out
    assert statuses(algebra) == ["dropped", "enrolled", "enrolled", "waitlisted"]


def test_the_command_with_apply_closes_the_term(algebra, fall, spring, capsys):
    call_command("close_term", str(fall.sourced_id), "--into", str(spring.id), "--apply")
    assert "2 enrollments were completed" in capsys.readouterr().out
    assert statuses(algebra) == ["completed", "completed", "dropped", "dropped"]
    assert EnrollmentEvent.objects.filter(reason="Fall 2026 closed", channel="command").count() == 3


def test_the_command_names_an_unknown_session(fall):
    with pytest.raises(CommandError, match="No academic session has the id or sourcedId 'spring'"):
        call_command("close_term", str(fall.id), "--into", "spring")


def test_the_command_says_why_it_changed_nothing(algebra, fall, spring):
    CourseFactory(code="ALG1-A-SPRING2027")
    with pytest.raises(CommandError, match="Nothing changed: ALG1-A-SPRING2027: another course has this code"):
        call_command("close_term", str(fall.id), "--into", str(spring.id), "--apply")
