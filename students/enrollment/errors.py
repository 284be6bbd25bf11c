"""Why the enrollment services refuse a request. Nothing has been changed when one is raised."""

from http import HTTPStatus

from config.exceptions import DomainError
from students.enrollment.wording import counted


class EnrollmentError(DomainError):
    code = "enrollment_error"


class StudentNotFound(EnrollmentError):
    code = "not_found"
    status = HTTPStatus.NOT_FOUND


class AssociationNotFound(EnrollmentError):
    code = "not_found"
    status = HTTPStatus.NOT_FOUND


class CourseNotFound(EnrollmentError):
    """Some of the named courses do not exist; ``extra["course_ids"]`` lists the missing ids, ascending. The request
    is well formed, its content names what is not there: 422."""

    code = "course_not_found"
    status = HTTPStatus.UNPROCESSABLE_ENTITY

    def __init__(self, missing_ids: list[int]) -> None:
        ids = sorted(missing_ids)
        super().__init__(f"No course has the id {', '.join(map(str, ids))}.", course_ids=ids)


class CourseFull(EnrollmentError):
    """Some of the named courses have no free seat; ``extra["course_ids"]`` lists them, ascending."""

    code = "course_full"
    status = HTTPStatus.CONFLICT

    def __init__(self, full_ids: list[int]) -> None:
        ids = sorted(full_ids)
        super().__init__(
            f"No free seat in course {', '.join(map(str, ids))}; nothing was changed. "
            'Ask for the waitlist with "waitlist": true.',
            course_ids=ids,
        )


class InvalidStatusChange(EnrollmentError):
    """The association cannot move from its current status to the one asked for."""

    code = "invalid_status_change"
    status = HTTPStatus.CONFLICT


class ChangedMeanwhile(EnrollmentError):
    """Associations the request changes were changed by someone else since the requester read them; nothing was
    changed. ``extra["changed"]`` lists them as ``[student id, course id]`` pairs."""

    code = "changed_meanwhile"
    status = HTTPStatus.CONFLICT

    def __init__(self, pairs: list[tuple[int, int]]) -> None:
        described = ", ".join(f"student {s} in course {c}" for s, c in pairs)
        super().__init__(
            f"Changed by someone else since you read it: {described}. Nothing was changed; read again and retry.",
            changed=[list(pair) for pair in pairs],
        )


class HasEnrollmentHistory(EnrollmentError):
    """A student or course with enrollment history cannot be deleted: its past would be lost."""

    code = "has_enrollment_history"
    status = HTTPStatus.CONFLICT

    def __init__(self) -> None:
        super().__init__("It has enrollment history and cannot be deleted; drop its enrollments instead.")


class InvalidRows(EnrollmentError):
    """An import names unknown students or courses, or contradicts itself; ``extra["rows"]`` says which rows and why
    (one message each, with its line). Nothing was applied."""

    code = "invalid_rows"
    status = HTTPStatus.UNPROCESSABLE_ENTITY

    def __init__(self, problems: list[str], *, total: int | None = None) -> None:
        self.total = len(problems) if total is None else total
        super().__init__(f"{counted(self.total, 'problem')} in the file; nothing was applied.", rows=problems)
