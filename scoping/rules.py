"""Every model a channel serves, and what a school scope sees of it (``visibility``). One list, read at start-up."""

from oauth2_provider.models import get_access_token_model, get_application_model

from accounts.models import ApiToken
from changes.models import Change
from courses.models import CatalogCourse, Course
from oneroster.models import ClientScopes, ImportChangePage, ImportFileChunk, ImportJob
from schools.models import AcademicSession, Org
from scoping.models import Membership
from scoping.visibility import by_org, by_school, district_only, register
from students.models import EnrollmentEvent, Student, StudentCourse
from teachers.models import Assignment, Teacher
from webhooks.models import DeliveryAttempt, Subscription


def register_all() -> None:
    register(Org, by_org())
    register(AcademicSession, None)  # the district's calendar: every school's
    register(CatalogCourse, by_org("org"))
    register(Course, by_school("school"))
    register(Student, by_school("school"))
    register(StudentCourse, by_school("student__school", "course__school"))
    register(EnrollmentEvent, by_school("student__school", "course__school"))
    register(Teacher, by_school("school"))
    register(Assignment, by_school("teacher__school", "course__school"))
    register(Membership, by_school("org"))
    register(ApiToken, None)  # each owner sees only their own: the tokens' views filter by owner
    # The feed, webhooks and imports span the district; until they carry schools, only its scope sees them.
    register(Change, district_only)
    register(Subscription, district_only)
    register(DeliveryAttempt, district_only)
    register(ImportJob, district_only)
    register(ImportFileChunk, district_only)
    register(ImportChangePage, district_only)
    for client_model in (ClientScopes, get_application_model(), get_access_token_model()):
        register(client_model, district_only)  # OneRoster's clients and their tokens: the district registers them
