"""Staff register a OneRoster client and start imports in the admin, in a real browser."""

import re
import zipfile
from http import HTTPStatus

import pytest
import requests
from django.contrib.auth.models import User
from oauth2_provider.models import get_application_model

from config.tests.browser import PASSWORD, screenshot
from courses.tests.factories import CourseFactory
from oneroster import jobs
from oneroster.auth import CORE, ROSTER
from oneroster.models import ImportJob
from oneroster.tests.conftest import BASE
from students.models import StudentCourse
from students.tests.factories import StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_register_a_client_see_its_secret_once_and_the_client_reads_the_roster(page_as, live_server):
    page = page_as(User.objects.create_superuser("chief", "chief@school.example", PASSWORD))
    page.goto(f"{page.base_url}/admin/oneroster/client/add/")
    page.fill("#id_name", "District LMS")
    page.check(f"input[name=scopes][value='{ROSTER}']")  # beside roster-core, checked for a new client
    page.click("input[name=_save]")
    message = page.locator(".messagelist").inner_text()
    screenshot(page, "oneroster-client-added")
    client_id, secret = re.search(r"Client id: (\S+) — client secret: (\S+) —", message).groups()
    client = get_application_model().objects.get()
    assert (client.name, client.client_id) == ("District LMS", client_id)
    assert client.client_secret != secret  # kept hashed
    assert sorted(client.oneroster_scopes.scopes) == sorted([CORE, ROSTER])

    token = requests.post(
        f"{live_server.url}/oauth/token",
        data={"grant_type": "client_credentials", "scope": ROSTER},
        auth=(client_id, secret),
        timeout=10,
    ).json()["access_token"]
    school = requests.get(f"{live_server.url}{BASE}/schools", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    classes = requests.get(
        f"{school.url}/{school.json()['orgs'][0]['sourcedId']}/classes",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert classes.status_code == HTTPStatus.OK  # a nested collection: the roster scope

    page.goto(f"{page.base_url}/admin/oneroster/client/{client.pk}/change/")
    assert secret not in page.content()
    assert page.locator("a.viewsitelink").count() == 0  # no link to pages this service does not serve
    screenshot(page, "oneroster-client")


def test_oneroster_clients_and_their_tokens_are_listed_under_oneroster_on_the_admin_index(page_as):
    page = page_as(User.objects.create_superuser("chief", "chief@school.example", PASSWORD))
    page.goto(f"{page.base_url}/admin/")
    oneroster = page.locator("#content-main .app-oneroster")
    assert oneroster.locator("a", has_text="OneRoster clients").count() == 1
    assert oneroster.locator("a", has_text="Issued tokens").count() == 1
    assert "Django OAuth Toolkit" not in page.locator("#content-main").inner_text()
    screenshot(page, "admin-index")


def test_staff_start_an_import_from_the_admin_and_follow_it_there(page_as, tmp_path):

    student, course = StudentFactory(), CourseFactory(code="ART100")
    upload = tmp_path / "enrollments.csv"
    upload.write_text(f"student_email,course_code\n{student.email},ART100\n")
    page = page_as(User.objects.create_superuser("chief", "chief@school.example", PASSWORD))
    page.goto(f"{page.base_url}/admin/oneroster/importjob/")
    page.click(".object-tools a.addlink")
    page.set_input_files("#id_file", str(upload))
    page.click("input[name=_start]")
    page.wait_for_selector(".messagelist .success")
    screenshot(page, "import-started")
    job = ImportJob.objects.get()
    assert (job.kind, job.status, job.created_by.username) == ("csv", "queued", "chief")

    jobs.run_import.call(job.pk)  # what the task worker does
    page.reload()
    assert page.locator(".field-status .readonly").inner_text() == "Succeeded"
    assert StudentCourse.objects.filter(student=student, course=course, status="enrolled").exists()
    screenshot(page, "import-done")


def test_a_zip_without_a_manifest_is_refused_on_the_admins_import_page(page_as, tmp_path):

    upload = tmp_path / "not-a-bundle.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("users.csv", "sourcedId\n")
    page = page_as(User.objects.create_superuser("chief", "chief@school.example", PASSWORD))
    page.goto(f"{page.base_url}/admin/oneroster/importjob/add/")
    page.set_input_files("#id_file", str(upload))
    page.click("input[name=_start]")
    assert "without a manifest.csv" in page.locator(".errorlist").inner_text()
    assert not ImportJob.objects.exists()
