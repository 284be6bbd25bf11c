"""The demo's district: schools under a district, a school year of two terms (two grading periods each), each demo
student's school (round the schools), where each demo course is offered, the catalog courses they are sections of,
and the teachers, one primary on every course (a secondary teacher on every fifth). Reproducible and idempotent:
sourcedIds derive from fixed names, emails and codes are unique, so a second run finds what the first made."""

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from schools.models import AcademicSession, Org, OrgType, SessionType
from teachers.models import AssignmentRole

NAMESPACE = uuid.UUID("6d1f7a52-3c8e-4b0a-9f2d-5e6c7b8a9d01")
STAFF_DOMAIN = "@staff.demo.school.example"
SECONDARY_EVERY = 5  # every fifth course has a secondary teacher too


def sourced_id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(map(str, parts)))


@dataclass(frozen=True)
class District:
    schools: list[int]  # ids, the first school first
    terms: list[int]  # the school year's terms, in order

    def home(self, index: int) -> int:
        """The school of the demo's ``index``-th student (or teacher): round the schools."""
        return self.schools[index % len(self.schools)]

    def place(self, index: int) -> tuple[int, int]:
        """The school and the term of the demo's ``index``-th course: round the schools, then round the terms."""
        count = len(self.schools)
        return self.schools[index % count], self.terms[(index // count) % len(self.terms)]


def make_district(*, schools: int) -> District:
    """The first school (the settings') and ``schools - 1`` more under a district, and a school year spanning the
    first term's dates with a fall and a spring term, each halved into grading periods."""
    first = Org.objects.first_school()
    district, _ = Org.objects.get_or_create(
        sourced_id=sourced_id("district"), defaults={"name": "Demo District", "type": OrgType.DISTRICT}
    )
    if first.parent_id is None:
        first.parent = district
        first.save(update_fields=["parent", "updated_at"])
    ids = [first.pk]
    for number in range(2, schools + 1):
        school, _ = Org.objects.get_or_create(
            sourced_id=sourced_id("school", number),
            defaults={"name": f"Demo School {number}", "identifier": f"DEMO-{number}", "parent": district},
        )
        ids.append(school.pk)
    template = AcademicSession.objects.first_term()
    year = _session("year", f"{template.school_year} school year", SessionType.SCHOOL_YEAR, template, None)
    terms = []
    for name, (start, end) in zip(("Fall", "Spring"), _halves(template.start_date, template.end_date), strict=True):
        term = _session(name, f"{name} {template.school_year}", SessionType.TERM, template, year, start, end)
        for number, (begin, until) in enumerate(_halves(start, end), start=1):
            _session(
                f"{name}/{number}", f"{name} period {number}", SessionType.GRADING_PERIOD, template, term, begin, until
            )
        terms.append(term.pk)
    return District(schools=ids, terms=terms)


def _halves(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    middle = start + (end - start) / 2
    return [(start, middle), (middle, end)]


def _session(key, title, kind, template, parent, start=None, end=None) -> AcademicSession:
    found, _ = AcademicSession.objects.get_or_create(
        sourced_id=sourced_id("session", key),
        defaults={
            "title": title,
            "type": kind,
            "start_date": start or template.start_date,
            "end_date": end or template.end_date,
            "school_year": template.school_year,
            "parent": parent,
        },
    )
    return found


def catalog_rows(courses: Sequence[dict], district: District, subjects: dict[str, str], now) -> list[tuple]:
    """One catalog course per subject per school (code the subject's prefix): each school's courses of a subject are
    its sections."""
    wanted = {}
    for index, course in enumerate(courses):
        school, _ = district.place(index)
        prefix = course["code"].rstrip("0123456789")
        wanted[school, prefix] = (prefix, subjects[prefix], school, now, now, sourced_id("catalog", school, prefix))
    return list(wanted.values())


def catalog_of(course: dict, school: int, catalog: dict[tuple[int, str], int]) -> int:
    return catalog[school, course["code"].rstrip("0123456789")]


def teacher_rows(count: int, district: District, names: tuple[Sequence[str], Sequence[str]], seed: int, now):
    """``count`` teachers, round the schools, with distinct emails and staff numbers."""
    rng = random.Random(f"teachers/{seed}")
    rows = []
    for index in range(count):
        first, last = rng.choice(names[0]), rng.choice(names[1])
        email = f"{first}.{last}.{index + 1}{STAFF_DOMAIN}".lower()
        school = district.home(index)
        rows.append((first, last, email, f"T{index + 1:05d}", school, now, now, sourced_id("teacher", index + 1)))
    return rows


def assignment_rows(course_ids: Sequence[int], teacher_ids: Sequence[int], district: District, now) -> list[tuple]:
    """A primary teacher of the course's school on every course (round that school's teachers), and a secondary one
    on every fifth; with no teacher at a school, one of another's."""
    if not teacher_ids:
        return []
    count = len(district.schools)
    rows = []
    for index, course in enumerate(course_ids):
        own = teacher_ids[index % count :: count] or teacher_ids
        chosen = [(own[(index // count) % len(own)], AssignmentRole.PRIMARY)]
        if index % SECONDARY_EVERY == 0 and len(own) > 1:
            chosen.append((own[(index // count + 1) % len(own)], AssignmentRole.SECONDARY))
        for teacher, role in chosen:
            rows.append((teacher, course, role.value, now, now, sourced_id("assignment", teacher, course)))
    return rows
