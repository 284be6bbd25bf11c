"""The OneRoster commands, called as staff call them: a client registered with its scopes and its secret printed
once; a bundle written, bulk or delta, and a bad moment refused."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from oauth2_provider.models import get_application_model

from oneroster.auth import CORE, DEMOGRAPHICS
from oneroster.models import ClientScopes
from oneroster.tests.conftest import request_token
from schools.models import Org

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_client_is_registered_with_the_scopes_asked_and_its_secret_opens_the_token_endpoint():
    out = run("add_oneroster_client", "District LMS", "--scope", "roster-core", "--scope", "roster-demographics")

    client_id = out.split("client_id:")[1].split()[0]
    secret = out.split("client_secret:")[1].split()[0]
    client = get_application_model().objects.get(client_id=client_id)
    assert client.name == "District LMS"
    assert client.client_secret != secret  # kept hashed
    assert set(request_token(client_id, secret, None)["scope"].split()) == {CORE, DEMOGRAPHICS}


def test_a_client_registered_without_a_scope_gets_the_core_one():
    out = run("add_oneroster_client", "Quiz app", "--export")

    lines = dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines())
    assert set(lines) == {"ONEROSTER_CLIENT_ID", "ONEROSTER_CLIENT_SECRET"}
    assert request_token(lines["ONEROSTER_CLIENT_ID"], lines["ONEROSTER_CLIENT_SECRET"], None)["scope"] == CORE


def test_a_bulk_bundle_is_written_with_its_manifest_and_counts(school, tmp_path):
    path = tmp_path / "bundle.zip"

    out = run("export_oneroster", str(path))

    assert out.startswith(f"Wrote {path} (bulk): ")
    assert "users 4" in out
    with zipfile.ZipFile(path) as archive:
        assert {"manifest.csv", "users.csv", "enrollments.csv"} <= set(archive.namelist())


def test_a_delta_bundle_holds_only_what_changed_after_the_moment(school, tmp_path):
    out = run("export_oneroster", str(tmp_path / "delta.zip"), "--delta-since", "2999-01-01T00:00:00")

    assert "(delta)" in out
    assert "users 0" in out


def test_a_moment_that_is_no_date_is_refused():
    with pytest.raises(CommandError, match="'yesterday' is no ISO 8601 date-time"):
        call_command("export_oneroster", "x.zip", "--delta-since", "yesterday")


def test_a_client_registered_for_a_school_reads_only_that_school():
    school = Org.objects.first_school()
    assert f"reads:         {school.name}" in run("add_oneroster_client", "North LMS", "--school", school.name)
    held = ClientScopes.objects.get(application__name="North LMS")
    assert list(held.schools.all()) == [school]


def test_a_client_for_an_unknown_school_is_not_registered():
    with pytest.raises(CommandError, match="No school or org is 'Nowhere'"):
        run("add_oneroster_client", "Lost LMS", "--school", "Nowhere")
    assert not ClientScopes.objects.filter(application__name="Lost LMS").exists()
