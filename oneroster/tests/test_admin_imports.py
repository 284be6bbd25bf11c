"""Starting an import from the admin: who may, and what the form refuses before anything is stored."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.tests.browser import staff_user
from oneroster.models import ImportJob

pytestmark = pytest.mark.django_db

ADD = "/admin/oneroster/importjob/add/"


def test_staff_without_the_add_permission_are_refused_the_import_page(client):
    client.force_login(staff_user("oneroster.view_importjob"))

    assert client.get(ADD).status_code == HTTPStatus.FORBIDDEN
    assert client.post(ADD, {"file": SimpleUploadedFile("a.csv", b"x")}).status_code == HTTPStatus.FORBIDDEN
    assert not ImportJob.objects.exists()


def test_an_empty_file_is_refused_on_the_form(admin_client):
    response = admin_client.post(ADD, {"file": SimpleUploadedFile("a.csv", b"")})

    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert "The submitted file is empty." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_upload_limit_is_refused_on_the_form(admin_client, settings):
    settings.API_MAX_UPLOAD_BYTES = 100_000  # the request itself stays under the limit plus the form's bytes

    response = admin_client.post(ADD, {"file": SimpleUploadedFile("a.csv", b"x" * 100_001)})

    assert "The file is larger than 100,000 bytes." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_csv_started_from_the_admin_is_queued_with_its_options(admin_client):
    upload = SimpleUploadedFile("a.csv", b"student_email,course_code\n")

    response = admin_client.post(ADD, {"file": upload, "dry_run": "on", "waitlist": "on"})

    job = ImportJob.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/admin/oneroster/importjob/{job.pk}/change/"
    assert (job.kind, job.dry_run, job.options) == ("csv", True, {"replace": False, "waitlist": True})
