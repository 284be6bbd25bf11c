"""The benchmark's yardstick: the association API as a competent team would write it with plain DRF, tuned.

One ``values()`` query per read, a plain ``Response``, the JSON renderer only, ``bulk_create(ignore_conflicts=True)``
for writes; no throttling, no logging, no history, no seat rule. Served by gunicorn's sync worker on the same
database, so ``bench/run.py`` prints our requests a second as a ratio of these, measured in the same run:

    DATABASE_URL=postgres://… gunicorn -w 1 -k sync bench.baseline:application
"""

import os

import django
import environ
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="baseline-benchmark-only-" + "x" * 40,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "rest_framework.authtoken"],
    DATABASES={"default": {**environ.Env.db_url_config(os.environ["DATABASE_URL"]), "CONN_MAX_AGE": 60}},
    USE_TZ=True,
    MIDDLEWARE=[],
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        "DEFAULT_THROTTLE_CLASSES": [],
        "UNAUTHENTICATED_USER": None,
    },
    LOGGING_CONFIG=None,
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import models  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.decorators import api_view  # noqa: E402
from rest_framework.response import Response  # noqa: E402


class Course(models.Model):  # noqa: DJ008 (a read model of the benchmark, never shown)
    code = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    description = models.TextField()

    class Meta:
        app_label, db_table, managed = "baseline", "courses", False


class StudentCourse(models.Model):  # noqa: DJ008
    student_id = models.BigIntegerField()
    course = models.ForeignKey(Course, on_delete=models.DO_NOTHING)
    status = models.CharField(max_length=16, default="enrolled")
    enrolled_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()
    begin_date = models.DateField(null=True)
    end_date = models.DateField(null=True)

    class Meta:
        app_label, db_table, managed = "baseline", "student_courses", False


def courses_of(student_id: int) -> list[dict]:
    return list(
        StudentCourse.objects.filter(student_id=student_id, status="enrolled")
        .order_by("course__code")
        .values(
            *("course_id", "course__code", "course__title", "course__description"),
            *("enrolled_at", "begin_date", "end_date", "status"),
        )
    )


@api_view(["GET", "PATCH"])
def student_courses(request, pk: int) -> Response:
    if request.method == "PATCH":
        now = timezone.now()
        rows = [
            StudentCourse(
                student_id=pk, course_id=course_id, enrolled_at=now, status_changed_at=now, begin_date=now.date()
            )
            for course_id in request.data["course_ids"]
        ]
        StudentCourse.objects.bulk_create(rows, ignore_conflicts=True)
    return Response(courses_of(pk))


urlpatterns = [path("api/v1/students/<int:pk>/courses", student_courses)]
application = get_wsgi_application()
