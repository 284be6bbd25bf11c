"""Uploads and reports that cannot hurt (issue #23): a form's file or the raw body, never held whole; the file kept
in pieces until the import ends; a report of bounded size, its changes paged, the list summaries only; cancelling
answers at once."""

import io
import threading
import time
import tracemalloc
import uuid
import zipfile
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from config.parsers import ZipUploadParser
from oneroster import job_files
from oneroster.bundle.export import export_bundle
from oneroster.models import ImportChangePage, ImportFileChunk, ImportJob, ImportStatus
from oneroster.tests.test_import_jobs import ZIP, run_queued, send
from students.models import Student

pytestmark = pytest.mark.django_db


def users_bundle(count: int, *, bad: bool = False, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    header = "sourcedId,status,dateLastModified,givenName,familyName,email\n"
    rows = (
        f"{'bad-' + str(n) if bad else uuid.UUID(int=n + 1)},,,Ada,Lovelace{n},ada{n}@school.example\n"
        for n in range(count)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        archive.writestr("manifest.csv", "propertyName,value\noneroster.version,1.2\nfile.users,delta\n")
        archive.writestr("users.csv", header + "".join(rows))
    return out.getvalue()


def test_a_bundle_sent_as_a_forms_file_field_is_imported(api_client, school, tmp_path):
    export_bundle(tmp_path / "b.zip")
    upload = SimpleUploadedFile("district.zip", (tmp_path / "b.zip").read_bytes(), "application/octet-stream")

    response = api_client.post("/api/v1/imports", {"file": upload}, format="multipart")
    run_queued()

    assert response.status_code == HTTPStatus.ACCEPTED
    assert response.json()["kind"] == "oneroster"
    assert api_client.get(response.json()["url"]).json()["status"] == "succeeded"


def test_a_csv_sent_as_a_forms_file_field_is_an_enrollments_import(api_client, school):
    upload = SimpleUploadedFile("e.csv", f"student_email,course_code\n{school.ada.email},{school.open.code}\n".encode())
    response = api_client.post("/api/v1/imports", {"file": upload}, format="multipart")
    assert response.json()["kind"] == "csv"


def test_a_form_without_a_file_field_is_refused(api_client, db):
    response = api_client.post("/api/v1/imports", {"attachment": SimpleUploadedFile("x.zip", b"x")}, format="multipart")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "invalid_upload"


def test_a_declared_length_over_the_limit_is_refused_before_reading(api_client, settings):
    settings.API_MAX_UPLOAD_BYTES = 1000
    response = api_client.generic("POST", "/api/v1/imports", b"PK" + b"x" * 2000, content_type=ZIP)
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def test_an_upload_is_spooled_to_disk_not_held_whole():
    body = io.BytesIO(b"x" * 20_000_000)
    tracemalloc.start()
    upload = ZipUploadParser().parse(body)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 3_000_000
    upload.seek(0, 2)
    assert upload.tell() == 20_000_000


def test_the_file_is_kept_in_pieces_until_the_import_ends(api_client, db):
    data = users_bundle(60_000, bad=True, compression=zipfile.ZIP_STORED)  # 3.6 MB: four pieces
    response = send(api_client, data, ZIP)
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert ImportFileChunk.objects.filter(job=job).count() == 4
    with job_files.opened(job) as file:
        assert file.read() == data
    run_queued()
    assert not ImportFileChunk.objects.filter(job=job).exists()


def test_the_list_shows_summaries_and_a_jobs_changes_are_paged(api_client, db):
    url = send(api_client, users_bundle(1200), ZIP).json()["url"]
    run_queued()

    listed = api_client.get("/api/v1/imports").json()["results"][0]
    job = api_client.get(url).json()
    first, second = api_client.get(f"{url}/changes").json(), api_client.get(f"{url}/changes?page=2").json()

    assert "report" not in listed
    assert listed["summary"] == "Imported: students created 1200."
    assert job["report"]["change_count"] == 1200
    assert job["report"]["changes_url"] == f"{url}/changes"
    assert (first["count"], first["pages"], len(first["changes"]), len(second["changes"])) == (1200, 2, 1000, 200)
    assert first["changes"][0].startswith("+ student 00000000-0000-0000-0000-000000000001")
    assert second["next"] is None
    assert api_client.get(f"{url}/changes?page=3").status_code == HTTPStatus.NOT_FOUND
    assert ImportChangePage.objects.count() == 2


def test_a_job_of_a_hundred_thousand_bad_rows_keeps_the_first_thousand_and_counts_them_all(api_client, db):
    url = send(api_client, users_bundle(100_000, bad=True), ZIP).json()["url"]
    run_queued()

    job = api_client.get(url).json()

    assert job["status"] == "failed"
    assert job["report"]["problem_count"] == 100_000
    assert len(job["report"]["problems"]) == 1001
    assert not Student.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a running import holds its job's row on PostgreSQL")
def test_cancelling_a_running_job_answers_at_once(api_client):
    job_id = send(api_client, users_bundle(3), ZIP).json()["id"]
    ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.RUNNING)
    holding, release = threading.Event(), threading.Event()

    def running_import():
        with transaction.atomic():
            list(ImportJob.objects.select_for_update().filter(pk=job_id))
            holding.set()
            release.wait(10)
        connection.close()

    worker = threading.Thread(target=running_import)
    worker.start()
    holding.wait(5)
    started = time.monotonic()
    response = api_client.post(f"/api/v1/imports/{job_id}/cancel")
    waited = time.monotonic() - started
    release.set()
    worker.join()

    assert response.status_code == HTTPStatus.CONFLICT
    assert "running" in response.json()["detail"]
    assert waited < 2
