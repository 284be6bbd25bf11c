"""An import job run by a real worker process survives that worker being killed mid-import (PostgreSQL)."""

import time

import psycopg
import pytest
from django.db import connection

from oneroster.models import ImportJob, ImportStatus
from oneroster.tests.test_bundles import bundle
from students.models import StudentCourse
from webhooks.tests.conftest import Workers, database_url_of_the_tests

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks tell a dead worker's job on PostgreSQL"),
]


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.05)


@pytest.fixture
def workers():
    started = Workers()
    yield started
    for process in started.processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_a_job_whose_worker_is_killed_mid_import_is_run_again_and_applied_once(
    api_client, school, tmp_path, workers, settings
):
    rows = {
        "enrollments": [
            {
                "sourcedId": "9d3c5b7a-9e8f-4a6b-8c2d-1e0f3a5b7c9d",
                "status": "active",
                "role": "student",
                "classSourcedId": str(school.empty.sourced_id),
                "userSourcedId": str(school.edsger.sourced_id),
            },
        ]
    }
    settings.ONEROSTER_IMPORT_START_GRACE_SECONDS = 0.5  # this process's recover_abandoned, called by the API
    with psycopg.connect(database_url_of_the_tests(), autocommit=False) as blocker:
        blocker.execute("SELECT id FROM courses WHERE id = %s FOR UPDATE", [school.empty.id])  # the import waits
        url = api_client.generic(
            "POST", "/api/v1/imports", bundle(tmp_path, rows, mode="delta").read_bytes(), content_type="application/zip"
        ).json()["url"]
        first = workers.start()
        job = ImportJob.objects.get()
        wait_for(lambda: ImportJob.objects.get().status == ImportStatus.RUNNING, 30, "the worker takes the job")
        time.sleep(settings.ONEROSTER_IMPORT_START_GRACE_SECONDS + 0.3)  # past the moment a started job is left alone
        assert api_client.get(url).json()["status"] == "running"  # its worker holds it: not abandoned
        workers.kill(first)
        blocker.rollback()

    # Seen abandoned, queued again, once PostgreSQL has ended the killed worker's session (it notices the lost client
    # when the lock it waited for is free and it answers: a moment, longer on a busy machine).
    wait_for(lambda: api_client.get(url).json()["status"] == "queued", 15, "the job is queued again")
    workers.start()
    wait_for(lambda: api_client.get(url).json()["status"] == "succeeded", 60, "a second worker runs it")

    job.refresh_from_db()
    assert job.attempts == 2
    assert StudentCourse.objects.get(student=school.edsger, course=school.empty).status == "enrolled"
