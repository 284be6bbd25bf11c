"""Imports over the API as background jobs: 202 and the job's URL, its status, progress and report, cancelling."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone

from oneroster import jobs
from oneroster.bundle.export import export_bundle
from oneroster.models import ImportJob, ImportStatus
from students.models import StudentCourse

ZIP, CSV = "application/zip", "text/csv"


def send(client, body: bytes, content_type: str, query: str = ""):
    return client.generic("POST", f"/api/v1/imports{query}", body, content_type=content_type)


def run_queued() -> None:
    """What a worker does with the queued jobs (the worker itself is tested in test_import_jobs_with_a_real_worker)."""
    for job_id in ImportJob.objects.filter(status=ImportStatus.QUEUED).values_list("id", flat=True):
        jobs.run_import.call(job_id)


@pytest.fixture
def bundle_bytes(school, tmp_path) -> bytes:
    export_bundle(tmp_path / "b.zip")
    return (tmp_path / "b.zip").read_bytes()


def test_an_import_is_accepted_with_the_url_to_follow_it_and_queued(api_client, bundle_bytes):
    response = send(api_client, bundle_bytes, ZIP)

    assert response.status_code == HTTPStatus.ACCEPTED
    job = response.json()
    assert response["Location"] == job["url"]
    assert (job["kind"], job["status"], job["progress"]["stage"]) == ("oneroster", "queued", "queued")


def test_a_worker_runs_it_and_the_job_reports_what_it_did(api_client, bundle_bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        url = send(api_client, bundle_bytes, ZIP).json()["url"]
    run_queued()

    job = api_client.get(url).json()

    assert job["status"] == "succeeded"
    assert job["report"]["summary"] == "Nothing to change: the bundle says what is here already."
    assert job["progress"] == {"stage": "done", "done": 13, "total": 13}  # 4 users, 3 courses, 3 classes, 3 enrollments


def test_a_dry_run_job_reports_the_diff_and_changes_nothing(api_client, school, tmp_path):
    csv = f"student_email,course_code\n{school.edsger.email},{school.full.code}\n".encode()
    before = set(StudentCourse.objects.values_list("student_id", "course_id", "status"))

    url = send(api_client, csv, CSV, "?dry_run=true&waitlist=true").json()["url"]
    run_queued()

    job = api_client.get(url).json()
    assert job["status"] == "succeeded"
    assert job["report"]["counts"]["waitlisted"] == 1
    assert job["report"]["summary"].startswith("Dry run, nothing changed")
    assert set(StudentCourse.objects.values_list("student_id", "course_id", "status")) == before


def test_a_job_with_bad_rows_fails_naming_every_one_and_changes_nothing(api_client, school):
    csv = b"student_email,course_code\nnobody@school.example,XX1\nalso-nobody@school.example,XX2\n"
    before = StudentCourse.objects.count()

    url = send(api_client, csv, CSV).json()["url"]
    run_queued()

    job = api_client.get(url).json()
    assert job["status"] == "failed"
    assert [p.split(":")[0] for p in job["report"]["problems"]] == ["line 2", "line 3"]
    assert StudentCourse.objects.count() == before


def test_a_body_that_is_no_bundle_is_refused_at_once(api_client):
    response = send(api_client, b"not a zip", ZIP)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "invalid_upload"
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("content_type", [ZIP, CSV])
def test_an_empty_body_is_refused_at_once_as_the_schema_says(api_client, content_type):
    response = send(api_client, b"", content_type)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "invalid_upload"
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("query", ["?dry_run=", "?dry_run=maybe", "?max_drop_share=2"])
def test_an_option_that_is_not_as_documented_is_refused(api_client, bundle_bytes, query):
    assert send(api_client, bundle_bytes, ZIP, query).status_code == HTTPStatus.BAD_REQUEST


def test_a_file_larger_than_the_limit_is_refused(api_client, settings):
    settings.API_MAX_UPLOAD_BYTES = 10

    assert send(api_client, b"x" * 11, CSV).status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def test_other_content_types_are_unsupported(api_client):
    assert send(api_client, b"{}", "application/json").status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE


def test_a_queued_job_can_be_cancelled_and_is_then_never_run(api_client, bundle_bytes):
    url = send(api_client, bundle_bytes, ZIP).json()["url"]

    cancelled = api_client.post(f"{url}/cancel")
    run_queued()

    assert cancelled.json()["status"] == "cancelled"
    assert api_client.get(url).json()["status"] == "cancelled"


def test_a_finished_job_cannot_be_cancelled(api_client, bundle_bytes):
    url = send(api_client, bundle_bytes, ZIP).json()["url"]
    run_queued()

    response = api_client.post(f"{url}/cancel")

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "import_not_cancellable"


def test_starting_an_import_needs_its_own_permission(client_with_permissions, bundle_bytes):
    reader = client_with_permissions("oneroster.view_importjob")
    importer = client_with_permissions("oneroster.add_importjob")

    assert send(reader, bundle_bytes, ZIP).status_code == HTTPStatus.FORBIDDEN
    assert send(importer, bundle_bytes, ZIP).status_code == HTTPStatus.ACCEPTED


def test_a_running_job_whose_worker_died_is_queued_again_when_read(api_client, bundle_bytes):
    url = send(api_client, bundle_bytes, ZIP).json()["url"]
    long_ago = timezone.now() - dt.timedelta(hours=2)
    ImportJob.objects.update(status=ImportStatus.RUNNING, started_at=long_ago, attempts=1)  # and no worker holds it

    assert api_client.get(url).json()["status"] == "queued"
    run_queued()
    assert api_client.get(url).json()["status"] == "succeeded"


def test_a_job_whose_workers_died_three_times_fails_saying_so(api_client, bundle_bytes):
    url = send(api_client, bundle_bytes, ZIP).json()["url"]
    long_ago = timezone.now() - dt.timedelta(hours=2)
    ImportJob.objects.update(status=ImportStatus.RUNNING, started_at=long_ago, attempts=jobs.ATTEMPTS)

    job = api_client.get(url).json()

    assert job["status"] == "failed"
    assert job["report"]["problems"] == ["Its worker stopped 3 times during this import."]


def test_the_admin_shows_each_jobs_progress_and_outcome(admin_client, api_client, bundle_bytes):
    send(api_client, bundle_bytes, ZIP)
    run_queued()
    job = ImportJob.objects.get()

    listing = admin_client.get("/admin/oneroster/importjob/")
    page = admin_client.get(f"/admin/oneroster/importjob/{job.pk}/change/")

    assert "done: 13 of 13 rows" in listing.content.decode()
    assert "Nothing to change: the bundle says what is here already." in page.content.decode()
