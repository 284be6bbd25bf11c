"""The end of a term: close it and roll its courses over into the next one, all in one transaction.

Closing a term (``close_term``):
1. every enrolled association in its courses is completed, and every waitlisted one dropped (its waitlist closed),
   one event each with the reason "<term> closed", nobody promoted (``services.close_courses``);
2. every course of the term not yet rolled over into the next term is copied into it: a new section of the same
   catalog course at the same school, with the same title, description and capacity, a new sourcedId, the same
   teachers in the same roles, and no students. The copy's code is the course's with the term's tag changed
   (``rolled_code``); it remembers the course it continues (``rolled_over_from``).

A dry run reports all of it and changes nothing. Anything refused (a copy's code taken or too long, a next term that
does not come after) refuses the whole close: nothing is changed. Closing a term again completes what was enrolled
since and copies only the courses not copied yet.
"""

import dataclasses
import re
from dataclasses import dataclass, field

from django.db import transaction

from changes.feed import record_saves
from config.actors import acting
from config.iterables import batched
from courses.models import Course
from schools.models import AcademicSession
from students.enrollment import services
from students.enrollment.planning import COMPLETED, DROPPED
from students.enrollment.writing import Actor
from teachers.models import Assignment

CODE_LENGTH = Course._meta.get_field("code").max_length
COURSES_AT_ONCE = 200  # courses closed at a time, in the one transaction: a district's term is 2,500 and 500,000 seats


class TermClosingRefused(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Closing:
    """What closing ``term`` into ``into`` does (or did): counts, and each course's copy as ``(code, copy's code)``."""

    term: AcademicSession
    into: AcademicSession
    completed: int = 0
    waitlists_closed: int = 0
    copies: list[tuple[str, str]] = field(default_factory=list)
    assignments_copied: int = 0
    already_rolled_over: list[str] = field(default_factory=list)
    dry_run: bool = True

    def summary(self) -> str:
        done = "would be" if self.dry_run else "were"
        return (
            f"{self.term.title} → {self.into.title}: {self.completed} enrollments {done} completed, "
            f"{self.waitlists_closed} waitlisted {done} dropped (the waitlists closed), {len(self.copies)} courses "
            f"{done} rolled over with {self.assignments_copied} teacher assignments"
            + (f"; {len(self.already_rolled_over)} rolled over already" if self.already_rolled_over else "")
            + "."
        )


def term_tag(term: AcademicSession) -> str:
    """The short tag of a term in its courses' codes: its title's letters and digits, upper-case (Fall 2026 →
    FALL2026)."""
    return re.sub(r"[^A-Z0-9]", "", term.title.upper())[:16]


def rolled_code(code: str, *, old_tag: str, new_tag: str) -> str:
    """A course's code in the next term: the old term's tag at its end replaced by the new one's, or the new one's
    added (ALG1-A-FALL2026 → ALG1-A-SPRING2027; ALG1-A → ALG1-A-SPRING2027)."""
    if old_tag and code.endswith(f"-{old_tag}"):
        code = code[: -len(old_tag) - 1]
    return f"{code}-{new_tag}"


@transaction.atomic
def close_term(*, term_id: int, into_id: int, actor: Actor, dry_run: bool = True) -> Closing:
    """Closes the term and rolls its courses over into ``into``; raises ``TermClosingRefused`` (nothing changed)."""
    sessions = AcademicSession.objects.select_for_update().in_bulk([term_id, into_id])
    term, into = sessions[term_id], sessions[into_id]
    problems = _refusals(term, into)
    courses = list(Course.objects.filter(term=term).order_by("id"))
    done = set(
        Course.objects.filter(term=into, rolled_over_from__in=courses).values_list("rolled_over_from_id", flat=True)
    )
    old_tag, new_tag = term_tag(term), term_tag(into)
    to_copy = [(course, rolled_code(course.code, old_tag=old_tag, new_tag=new_tag)) for course in courses]
    to_copy = [(course, code) for course, code in to_copy if course.id not in done]
    problems += _code_refusals([code for _, code in to_copy])
    if problems:
        raise TermClosingRefused(problems)

    reasoned = dataclasses.replace(actor, reason=f"{term.title} closed")
    completed = waitlists_closed = 0
    for batch in batched([c.id for c in courses], COURSES_AT_ONCE):  # memory bounded by a batch's associations
        plan = services.close_courses(course_ids=batch, actor=reasoned, dry_run=dry_run)
        completed += len(plan.moved_to(COMPLETED))
        waitlists_closed += len(plan.moved_to(DROPPED))
    assignments = list(Assignment.objects.filter(course__in=[course for course, _ in to_copy]).order_by("id"))
    closing = Closing(
        term=term,
        into=into,
        completed=completed,
        waitlists_closed=waitlists_closed,
        copies=[(course.code, code) for course, code in to_copy],
        assignments_copied=len(assignments),
        already_rolled_over=[course.code for course in courses if course.id in done],
        dry_run=dry_run,
    )
    if not dry_run:
        with acting(actor.channel, lambda: actor.user):  # the copies' feed entries name who closed the term
            _copy(to_copy, into, assignments)
    return closing


def _refusals(term: AcademicSession, into: AcademicSession) -> list[str]:
    if into.pk == term.pk:
        return ["A term is rolled over into another term."]
    if into.start_date <= term.start_date:
        return [f"{into.title} starts on {into.start_date}, not after {term.title} ({term.start_date})."]
    return []


def _code_refusals(codes: list[str]) -> list[str]:
    problems = [f"{code}: longer than {CODE_LENGTH} characters" for code in codes if len(code) > CODE_LENGTH]
    seen: set[str] = set()
    problems += [f"{code}: two courses would have this code" for code in codes if code in seen or seen.add(code)]
    taken = sorted(Course.objects.filter(code__in=codes).values_list("code", flat=True))
    problems += [f"{code}: another course has this code" for code in taken]
    return problems


def _copy(to_copy: list[tuple[Course, str]], into: AcademicSession, assignments: list[Assignment]) -> None:
    """The copies and their teachers, with one feed entry each (bulk writes send no signals)."""
    copies = Course.objects.bulk_create(
        [
            Course(
                code=code,
                title=course.title,
                description=course.description,
                capacity=course.capacity,
                catalog_course_id=course.catalog_course_id,
                school_id=course.school_id,
                term=into,
                rolled_over_from=course,
            )
            for course, code in to_copy
        ]
    )
    copy_of = {course.id: copy.id for (course, _), copy in zip(to_copy, copies, strict=True)}
    record_saves(copies, created=True)
    taught = Assignment.objects.bulk_create(
        [Assignment(teacher_id=a.teacher_id, course_id=copy_of[a.course_id], role=a.role) for a in assignments]
    )
    record_saves(taught, created=True)
