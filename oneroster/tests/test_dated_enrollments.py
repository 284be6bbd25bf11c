"""An enrollment's dates are the same in the API, the change feed and OneRoster's records (which bundles write)."""

import datetime as dt

import pytest
from django.utils import timezone

from changes.models import Change
from courses.tests.factories import CourseFactory
from schools.tests.factories import TermFactory
from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

COMMAND = Actor(channel=Channel.COMMAND)
DAY = dt.timedelta(days=1)


def test_oneroster_and_the_feed_show_the_dates_the_api_shows(api_client, roster_client):
    today = timezone.localdate()
    student = StudentFactory()
    going, coming = CourseFactory(), CourseFactory(term=TermFactory(coming=True))
    services.change_courses(student_id=student.id, enroll=[going.id, coming.id], actor=COMMAND)
    services.drop(student_id=student.id, course_id=going.id, actor=COMMAND)

    api = {
        item["id"]: (item["begin_date"], item["end_date"])
        for item in api_client.get(f"/api/v1/students/{student.id}/courses?status=all").json()
    }
    feed = {}
    for entry in Change.objects.filter(object_type="enrollment").order_by("position", "id"):
        feed[entry.data["course_id"]] = (entry.data["begin_date"], entry.data["end_date"])
    sourced = {str(c.sourced_id): c.id for c in (going, coming)}
    records = roster_client.get("/ims/oneroster/rostering/v1p2/enrollments").json()["enrollments"]
    oneroster = {sourced[r["class"]["sourcedId"]]: (r.get("beginDate"), r.get("endDate")) for r in records}

    assert api == feed == oneroster
    assert api[going.id] == (today.isoformat(), (today + DAY).isoformat())
    assert api[coming.id] == (coming.term.start_date.isoformat(), None)
