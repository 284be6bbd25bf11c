"""Every way a bundle's manifest or rows are refused, each named with its file (and line): what a third party's
export meets first. Nothing is written when anything is refused."""

import io

import pytest

from conftest import zip_of
from oneroster.bundle.importing import import_bundle
from oneroster.tests.conftest import ACTOR
from oneroster.tests.test_hostile_bundles import refusal_of, zipped
from students.models import Student

pytestmark = pytest.mark.django_db

ADA = "00000000-0000-4000-8000-000000000001"
USERS = "sourcedId,status,dateLastModified,givenName,familyName,email\n"


MANIFEST = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n"


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"users.csv": USERS}, "the bundle has no manifest.csv"),
        ({"manifest.csv": "name,value\n"}, "manifest.csv: the header is not propertyName,value"),
        ({"manifest.csv": "propertyName,value\noneroster.version,1.1\n"}, "manifest.csv: oneroster.version"),
        ({"manifest.csv": MANIFEST + "file.users,sometimes\n"}, "manifest.csv: file.users is 'sometimes', none of"),
        (
            {"manifest.csv": MANIFEST + "file.users,bulk\n"},
            "users.csv: the manifest declares it bulk; the bundle lacks it",
        ),
    ],
    ids=["no-manifest", "manifest-header", "version", "mode", "declared-file-missing"],
)
def test_a_bad_manifest_is_refused_by_name(files, problem):
    assert refusal_of(zip_of(files)).problems[0].startswith(problem)


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("users.csv", "sourcedId,status\n", "users.csv: the header lacks givenName"),
        ("users.csv", USERS + f"{ADA},,,Ada\n", "users.csv line 2: 4 columns, the header names 6"),
        ("users.csv", USERS + f"{ADA},sleeping,,Ada,L,a@s.ex\n", "users.csv line 2: status 'sleeping' is none of"),
        ("users.csv", USERS + f"{ADA},,,Ada,L,{'a' * 250}@s.ex\n", "users.csv line 2: the email is longer than 254"),
        ("users.csv", USERS + f"{ADA},,,{'A' * 101},L,a@s.ex\n", "users.csv line 2: givenName is longer than 100"),
        (
            "courses.csv",
            f"sourcedId,status,title,courseCode\n{ADA},,T,{'C' * 33}\n",
            "courses.csv line 2: courseCode is at most 32 characters",
        ),
        (
            "enrollments.csv",
            f"sourcedId,status,classSourcedId,userSourcedId,role,metadata.enrollmentStatus\n{ADA},,{ADA},{ADA},student,"
            "paused\n",
            "enrollments.csv line 2: metadata.enrollmentStatus 'paused' is none of",
        ),
    ],
    ids=["header-lacks", "column-count", "status", "email-length", "name-length", "code-length", "our-status"],
)
def test_a_bad_row_is_refused_with_its_file_and_line(name, text, problem):
    problems = refusal_of(zipped({name: text.encode()})).problems
    assert any(p.startswith(problem) for p in problems), problems
    assert not Student.objects.exists()


def test_a_bulk_file_refuses_a_tobedeleted_row():
    manifest = MANIFEST + "file.users,bulk\n"
    data = zip_of({"manifest.csv": manifest, "users.csv": USERS + f"{ADA},tobedeleted,,Ada,L,a@s.ex\n"})
    assert refusal_of(data).problems == ["users.csv line 2: a bulk file lists what is, so no row of it is tobedeleted"]


def test_a_file_this_service_keeps_nothing_of_is_skipped_and_said():
    data = zipped({"lineItems.csv": b"sourcedId\nx\n"})
    report = import_bundle(io.BytesIO(data), actor=ACTOR)
    assert report.skipped == {"lineItems.csv (this service keeps none)": 1}


def test_users_that_roles_csv_names_neither_student_nor_teacher_are_skipped():
    roles = f"sourcedId,status,userSourcedId,roleType,role,orgSourcedId\nr1,,{ADA},primary,guardian,org\n"
    data = zipped({"users.csv": (USERS + f"{ADA},,,Grace,H,grace@s.ex\n").encode(), "roles.csv": roles.encode()})
    report = import_bundle(io.BytesIO(data), actor=ACTOR)
    assert report.skipped.get("users who are neither students nor teachers") == 1
    assert not Student.objects.exists()
