"""The one API router: every resource under /api/v1/, each with and without its trailing slash."""

from django.urls import re_path
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import APIRootView, DefaultRouter

from accounts.views import ApiTokenViewSet
from changes.views import ChangeFeedView
from config.error_pages import api_not_found
from config.throttling import ThrottleFirst
from courses.views import CourseViewSet
from oneroster.api import ImportJobViewSet
from schools.views import AcademicSessionViewSet, OrgViewSet
from students.views import StudentViewSet
from teachers.views import AssignmentViewSet, TeacherViewSet
from webhooks.views import SubscriptionViewSet


class EnrollmentsAPIRootView(ThrottleFirst, APIRootView):
    """Lists the API's resources. Enrollments' data lives under /api/v1/students/ and /api/v1/courses/."""

    permission_classes = [IsAuthenticated]


class Router(DefaultRouter):
    """Every URL answers with and without its trailing slash, without a redirect."""

    APIRootView = EnrollmentsAPIRootView

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"


router = Router()
router.register("students", StudentViewSet, basename="student")
router.register("courses", CourseViewSet, basename="course")
router.register("schools", OrgViewSet, basename="org")
router.register("sessions", AcademicSessionViewSet, basename="session")
router.register("teachers", TeacherViewSet, basename="teacher")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("webhooks", SubscriptionViewSet, basename="webhook")
router.register("imports", ImportJobViewSet, basename="import")
router.register("tokens", ApiTokenViewSet, basename="token")

app_name = "api"
urlpatterns = [
    *router.urls,
    re_path(r"^changes/?$", ChangeFeedView.as_view(), name="change-feed"),
    # last: an unknown /api/v1/ path is a problem-details 404, debug or not (any character, a newline too)
    re_path(r"^[\s\S]*$", api_not_found),
]
