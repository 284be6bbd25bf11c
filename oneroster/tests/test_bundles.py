"""CSV bundles: what an export holds, and what an import does — through the seat rule, all or nothing, every bad
row named — with the school of ``conftest`` (Ada enrolled in both, Grace waitlisted, Alan completed, Edsger dropped)."""

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from courses.tests.factories import CourseFactory
from oneroster.bundle.binding import COLUMNS
from oneroster.bundle.export import export_bundle
from oneroster.bundle.importing import import_bundle
from oneroster.bundle.report import BundleRefused
from oneroster.tests.conftest import ACTOR
from students.enrollment import services
from students.models import EnrollmentEvent, Student, StudentCourse


def files(path: Path) -> dict[str, list[dict]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8")))
            for name in archive.namelist()
        }


def bundle(tmp_path: Path, contents: dict[str, list[dict]], *, mode: str = "bulk") -> Path:
    """A zip holding these files (rows as dicts, columns as the binding's) and a manifest declaring them ``mode``."""
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        manifest = [("manifest.version", "1.0"), ("oneroster.version", "1.2")]
        manifest += [(f"file.{name}", mode) for name in contents]
        archive.writestr(
            "manifest.csv",
            _csv(("propertyName", "value"), [dict(zip(("propertyName", "value"), r, strict=True)) for r in manifest]),
        )
        for name, rows in contents.items():
            archive.writestr(f"{name}.csv", _csv(COLUMNS[name], rows))
    return path


def _csv(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def statuses() -> dict[tuple[str, str], str]:
    return {
        (row.student.first_name, row.course.code): row.status
        for row in StudentCourse.objects.select_related("student", "course")
    }


# Export -----------------------------------------------------------------------------------------------------------


def test_a_bulk_export_holds_the_manifest_and_each_file_in_the_bindings_columns(school, tmp_path):
    export_bundle(tmp_path / "b.zip")

    held = files(tmp_path / "b.zip")
    manifest = {row["propertyName"]: row["value"] for row in held["manifest"]}
    assert manifest["oneroster.version"] == "1.2"
    assert manifest["file.enrollments"] == "bulk"
    assert manifest["file.demographics"] == "absent"
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        for name, columns in COLUMNS.items():
            assert archive.read(f"{name}.csv").decode().splitlines()[0] == ",".join(columns)


def test_a_bulk_export_lists_what_is_enrolled_or_completed_with_status_and_date_left_blank(school, tmp_path):
    export_bundle(tmp_path / "b.zip")

    enrollments = files(tmp_path / "b.zip")["enrollments"]
    kept = sorted((row["userSourcedId"], row["metadata.enrollmentStatus"]) for row in enrollments)
    ada, alan = str(school.ada.sourced_id), str(school.alan.sourced_id)
    assert kept == sorted([(ada, "enrolled"), (ada, "enrolled"), (alan, "completed")])  # not Grace nor Edsger
    assert {(row["status"], row["dateLastModified"]) for row in enrollments} == {("", "")}


def test_a_delta_export_holds_what_changed_since_with_tombstones_status_and_date(school, tmp_path):
    since = timezone.now()
    services.drop(student_id=school.ada.id, course_id=school.open.id, actor=ACTOR)

    export_bundle(tmp_path / "d.zip", since=since)

    held = files(tmp_path / "d.zip")
    ((dropped,),) = [held["enrollments"]]
    assert (dropped["status"], dropped["metadata.enrollmentStatus"]) == ("tobedeleted", "dropped")
    assert dropped["dateLastModified"].endswith("Z")
    assert held["users"] == []
    assert {row["propertyName"]: row["value"] for row in held["manifest"]}["file.users"] == "delta"


def test_cells_a_spreadsheet_would_run_are_written_as_text_and_read_back_as_they_were(school, tmp_path):
    Student.objects.filter(pk=school.ada.pk).update(first_name='=HYPERLINK("http://evil.example","Ada")')
    Student.objects.filter(pk=school.grace.pk).update(last_name="@SUM(1+1)", email="+grace@school.example")
    export_bundle(tmp_path / "b.zip")
    users = {row["sourcedId"]: row for row in files(tmp_path / "b.zip")["users"]}

    ada, grace = users[str(school.ada.sourced_id)], users[str(school.grace.sourced_id)]
    assert ada["givenName"] == '\'=HYPERLINK("http://evil.example","Ada")'
    assert (grace["familyName"], grace["email"]) == ("'@SUM(1+1)", "'+grace@school.example")
    assert import_bundle(tmp_path / "b.zip", actor=ACTOR).changes == []


def test_a_leading_quote_from_another_tool_before_harmless_text_is_kept(school, tmp_path):
    export_bundle(tmp_path / "b.zip")
    contents = files(tmp_path / "b.zip")
    del contents["manifest"]
    for row in contents["users"]:
        if row["sourcedId"] == str(school.ada.sourced_id):
            row["familyName"] = "'Ohana"
    import_bundle(bundle(tmp_path, contents), actor=ACTOR)
    assert Student.objects.get(pk=school.ada.pk).last_name == "'Ohana"


# Import -----------------------------------------------------------------------------------------------------------


def test_an_export_imports_back_as_a_no_op(school, tmp_path):
    export_bundle(tmp_path / "b.zip")
    before, events = statuses(), EnrollmentEvent.objects.count()

    report = import_bundle(tmp_path / "b.zip", actor=ACTOR)

    assert report.changes == []
    assert (statuses(), EnrollmentEvent.objects.count()) == (before, events)


def test_a_bulk_file_drops_the_enrolled_associations_it_no_longer_lists_and_keeps_waitlisted_and_completed(
    school, tmp_path
):
    export_bundle(tmp_path / "b.zip")
    contents = files(tmp_path / "b.zip")
    contents.pop("manifest")
    contents["enrollments"] = [r for r in contents["enrollments"] if r["classSourcedId"] != str(school.open.sourced_id)]

    report = import_bundle(bundle(tmp_path, contents), actor=ACTOR, max_drop_share=1)

    assert report.counts["enrollments dropped"] == 1
    assert statuses()[("Ada", school.open.code)] == "dropped"
    assert statuses()[("Grace", school.full.code)] == "waitlisted"
    assert statuses()[("Alan", school.open.code)] == "completed"


def test_a_bulk_file_that_would_drop_more_than_the_allowed_share_is_refused_and_changes_nothing(school, tmp_path):
    export_bundle(tmp_path / "b.zip")
    contents = files(tmp_path / "b.zip")
    contents.pop("manifest")
    contents["enrollments"] = []
    before = statuses()

    with pytest.raises(BundleRefused) as refusal:
        import_bundle(bundle(tmp_path, contents), actor=ACTOR, max_drop_share=0.5)

    assert "would drop 2 of the 2 enrolled" in refusal.value.problems[0]
    assert statuses() == before


def test_delta_rows_add_change_and_drop_through_the_seat_rule(school, tmp_path):
    newcomer = "7d1f5b1e-2f43-4c7a-9d0e-0c6a1e2b3c4d"
    married = f"{school.ada.last_name}-King"  # never the factory's own name: the row changes it
    rows = {
        "users": [
            {
                "sourcedId": newcomer,
                "status": "active",
                "givenName": "Barbara",
                "familyName": "Liskov",
                "email": "barbara@school.example",
                "enabledUser": "true",
            },
            {
                "sourcedId": str(school.ada.sourced_id),
                "status": "active",
                "givenName": "Ada",
                "familyName": married,
                "email": school.ada.email,
                "enabledUser": "true",
            },
        ],
        "enrollments": [
            {
                "sourcedId": "0f6c8a2e-1b3d-4e5f-8a9b-0c1d2e3f4a5b",
                "status": "active",
                "role": "student",
                "classSourcedId": str(school.full.sourced_id),
                "userSourcedId": newcomer,
            },
            {
                "sourcedId": str(school.association(school.ada, school.open).sourced_id),
                "status": "tobedeleted",
                "role": "student",
                "classSourcedId": str(school.open.sourced_id),
                "userSourcedId": str(school.ada.sourced_id),
            },
        ],
    }

    report = import_bundle(bundle(tmp_path, rows, mode="delta"), actor=ACTOR)

    assert statuses()[("Barbara", school.full.code)] == "waitlisted"  # the class is full: the seat rule applies
    assert statuses()[("Ada", school.open.code)] == "dropped"
    assert Student.objects.get(pk=school.ada.pk).last_name == married
    barbara = StudentCourse.objects.get(student__email="barbara@school.example")
    assert str(barbara.sourced_id) == "0f6c8a2e-1b3d-4e5f-8a9b-0c1d2e3f4a5b"  # the file's identifier is kept
    assert report.counts == {
        "students created": 1,
        "students updated": 1,
        "enrollments dropped": 1,
        "enrollments waitlisted": 1,
    }


def test_every_bad_row_is_reported_with_its_file_and_line_and_nothing_changes(school, tmp_path):
    rows = {
        "users": [
            {"sourcedId": "not-a-uuid", "givenName": "X", "familyName": "Y", "email": "x@school.example"},
            {
                "sourcedId": "1d3c5b7a-9e8f-4a6b-8c2d-1e0f3a5b7c9d",
                "givenName": "",
                "familyName": "Y",
                "email": "y@s.ex",
            },
            {"sourcedId": "2d3c5b7a-9e8f-4a6b-8c2d-1e0f3a5b7c9d", "givenName": "Z", "familyName": "Y", "email": "nope"},
        ],
        "courses": [{"sourcedId": "3d3c5b7a-9e8f-4a6b-8c2d-1e0f3a5b7c9d", "title": "T", "courseCode": "no spaces"}],
        "enrollments": [
            {
                "sourcedId": "4d3c5b7a-9e8f-4a6b-8c2d-1e0f3a5b7c9d",
                "role": "student",
                "beginDate": "soon",
                "classSourcedId": str(school.full.sourced_id),
                "userSourcedId": str(school.ada.sourced_id),
            },
        ],
    }
    before, students = statuses(), Student.objects.count()

    with pytest.raises(BundleRefused) as refusal:
        import_bundle(bundle(tmp_path, rows, mode="delta"), actor=ACTOR)

    problems = refusal.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "courses.csv line 2",
        "users.csv line 2",
        "users.csv line 3",
        "users.csv line 4",
        "enrollments.csv line 2",
    ]
    assert (statuses(), Student.objects.count()) == (before, students)


def test_rows_naming_students_or_classes_that_exist_nowhere_are_refused(school, tmp_path):
    rows = {
        "enrollments": [
            {
                "sourcedId": "5d3c5b7a-9e8f-4a6b-8c2d-1e0f3a5b7c9d",
                "role": "student",
                "classSourcedId": "6d3c5b7a-9e8f-4a6b-8c2d-1e0f3a5b7c9d",
                "userSourcedId": str(school.ada.sourced_id),
            },
        ]
    }

    with pytest.raises(BundleRefused, match="problem") as refusal:
        import_bundle(bundle(tmp_path, rows, mode="delta"), actor=ACTOR)

    assert refusal.value.problems == [
        "enrollments.csv line 2: classSourcedId 6d3c5b7a-9e8f-4a6b-8c2d-1e0f3a5b7c9d is no class of the bundle or here"
    ]


def test_a_dry_run_reports_the_changes_and_makes_none(school, tmp_path):
    course = CourseFactory()
    rows = {
        "enrollments": [
            {
                "sourcedId": "8d3c5b7a-9e8f-4a6b-8c2d-1e0f3a5b7c9d",
                "status": "active",
                "role": "student",
                "classSourcedId": str(course.sourced_id),
                "userSourcedId": str(school.grace.sourced_id),
            },
        ]
    }
    before, events = statuses(), EnrollmentEvent.objects.count()

    report = import_bundle(bundle(tmp_path, rows, mode="delta"), actor=ACTOR, dry_run=True)

    assert report.changes == [f"+ enrollment of {school.grace.email} in {course.code}: enrolled"]
    assert (statuses(), EnrollmentEvent.objects.count()) == (before, events)


def test_a_completed_row_completes_the_enrollment(school, tmp_path):
    end = timezone.localdate() - dt.timedelta(days=1)
    rows = {
        "enrollments": [
            {
                "sourcedId": str(school.association(school.ada, school.full).sourced_id),
                "status": "active",
                "role": "student",
                "endDate": end.isoformat(),
                "classSourcedId": str(school.full.sourced_id),
                "userSourcedId": str(school.ada.sourced_id),
            },
        ]
    }

    import_bundle(bundle(tmp_path, rows, mode="delta"), actor=ACTOR)

    assert statuses()[("Ada", school.full.code)] == "completed"
    assert statuses()[("Grace", school.full.code)] == "enrolled"  # the seat it freed went to the waitlist


def test_the_command_prints_the_diff_and_refuses_with_every_problem(school, tmp_path, capsys):
    export_bundle(tmp_path / "b.zip")
    call_command("import_oneroster", str(tmp_path / "b.zip"), "--dry-run")
    assert "Nothing to change" in capsys.readouterr().out

    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="no zip archive"):
        call_command("import_oneroster", str(tmp_path / "bad.zip"))


# Round trip into another installation -------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# Tombstones (dropped enrollments) are no part of a bulk bundle (it lists what is): the other installation never had
# them, so both are asked for what is active.
COLLECTIONS = ("users", "classes", "courses", "enrollments?filter=status='active'", "orgs", "academicSessions")
ANSWERS = """
import json, sys, base64, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from oneroster.clients import register_client
setup_test_environment()
app, secret = register_client(name="check", scopes=[sys.argv[1]])
basic = base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
token = Client().post("/oauth/token", "grant_type=client_credentials&scope=" + sys.argv[1],
    content_type="application/x-www-form-urlencoded", HTTP_AUTHORIZATION=f"Basic {basic}").json()["access_token"]
answers = {name: Client().get(f"/ims/oneroster/rostering/v1p2/{name}&limit=10000".replace("&", "?", "?" not in name),
    HTTP_AUTHORIZATION=f"Bearer {token}").json() for name in sys.argv[2:]}
print(json.dumps(answers))
"""


def without_modification_dates(value):
    """The answer without ``dateLastModified``: when a record last changed differs between installations."""
    if isinstance(value, dict):
        return {k: without_modification_dates(v) for k, v in value.items() if k != "dateLastModified"}
    if isinstance(value, list):
        return [without_modification_dates(v) for v in value]
    return value


def test_a_bundle_from_a_seeded_district_imported_into_an_empty_installation_makes_both_services_answer_alike(
    roster_client, tmp_path
):
    import json
    import os
    import subprocess
    import sys

    from oneroster.auth import CORE

    call_command(
        "seed_demo", "--students", "60", "--courses", "15", "--per-student", "3", "--seed", "1", stdout=io.StringIO()
    )
    dropped, completed = StudentCourse.objects.order_by("id")[:2]
    services.drop(student_id=dropped.student_id, course_id=dropped.course_id, actor=ACTOR)
    services.change_status(
        student_id=completed.student_id, course_id=completed.course_id, status="completed", actor=ACTOR
    )
    export_bundle(tmp_path / "district.zip")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["import_oneroster", str(tmp_path / "district.zip")]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)

    other = subprocess.run(
        [sys.executable, "-c", ANSWERS, CORE, *COLLECTIONS],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )

    ours = {
        name: roster_client.get(
            f"/ims/oneroster/rostering/v1p2/{name}&limit=10000".replace("&", "?", "?" not in name)
        ).json()
        for name in COLLECTIONS
    }
    theirs = json.loads(other.stdout)
    for name in COLLECTIONS:
        key = next(iter(ours[name]))
        assert sorted(without_modification_dates(ours[name][key]), key=lambda r: r["sourcedId"]) == sorted(
            without_modification_dates(theirs[name][key]), key=lambda r: r["sourcedId"]
        ), name
    enrollments = [e for e in theirs[COLLECTIONS[3]]["enrollments"] if e["role"] == "student"]
    assert len(enrollments) == 179  # 180 seeded, one dropped
    assert sum("endDate" in e for e in enrollments) == 1  # the completed one
    teaching = [e for e in theirs[COLLECTIONS[3]]["enrollments"] if e["role"] == "teacher"]
    assert len(teaching) == 18  # a primary teacher on each of 15 courses, a secondary on every fifth
    roles = [user["roles"][0]["role"] for user in theirs["users"]["users"]]
    assert (roles.count("student"), roles.count("teacher")) == (60, 12)
    assert len(theirs["orgs"]["orgs"]) == 4  # the district and its three schools
