"""Errors the enrollment services raise when they refuse a request. Nothing has been changed when one is raised.

Every channel turns them into its own words: the API into problem details (``config/errors.py``), the admin
into form errors and messages, the commands into ``CommandError``.
"""


class EnrollmentError(Exception):
    """Base class: ``code`` is the stable machine-readable name, ``extra`` the details a client may need."""

    code = "enrollment_error"

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class StudentNotFound(EnrollmentError):
    code = "not_found"


class AssociationNotFound(EnrollmentError):
    code = "not_found"


class CourseNotFound(EnrollmentError):
    """Some of the named courses do not exist; ``extra["course_ids"]`` lists the missing ids, ascending."""

    code = "course_not_found"

    def __init__(self, missing_ids: list[int]) -> None:
        ids = sorted(missing_ids)
        super().__init__(f"No course has the id {', '.join(map(str, ids))}.", course_ids=ids)


class CourseFull(EnrollmentError):
    """Some of the named courses have no free seat; ``extra["course_ids"]`` lists them, ascending."""

    code = "course_full"

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
