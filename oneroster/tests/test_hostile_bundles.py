"""Bundles made to hurt, and careless ones (issue #23's table): each is a named problem with its file and line, read
within bounded memory, never "failed on our side"; every problem of a bundle is found in one pass."""

import io
import tracemalloc
import uuid
import zipfile

import pytest

from oneroster.bundle.importing import import_bundle
from oneroster.bundle.report import BundleRefused
from oneroster.tests.conftest import ACTOR
from students.models import Student

USERS = "sourcedId,status,dateLastModified,givenName,familyName,email\n"


def zipped(files: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n" + "".join(
        f"file.{name.removesuffix('.csv')},delta\n" for name in files
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        archive.writestr("manifest.csv", manifest)
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def user_row(n: int, *, sourced_id: str | None = None) -> str:
    return f"{sourced_id or uuid.UUID(int=n + 1)},,,Ada{n},Lovelace,ada{n}@school.example\n"


def refusal_of(data: bytes) -> BundleRefused:
    with pytest.raises(BundleRefused) as refused:
        import_bundle(io.BytesIO(data), actor=ACTOR)
    return refused.value


def peak_mb(action) -> float:
    tracemalloc.start()
    try:
        action()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 1024 / 1024


pytestmark = pytest.mark.django_db


def test_fifty_megabytes_of_commas_in_a_small_zip_are_refused_from_its_directory():
    data = zipped({"users.csv": USERS.encode() + b"," * 50_000_000})
    assert len(data) < 100_000

    refused = refusal_of(data)
    assert refused.problems == [refused.problems[0]]
    assert "users.csv expands" in refused.problems[0]
    assert "zip bomb" in refused.problems[0]


def test_a_line_longer_than_the_bound_is_refused_reading_no_more_of_it(settings):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 10**6  # past the directory's check: the line bound alone
    data = zipped({"users.csv": USERS.encode() + b"," * 20_000_000})

    peak = peak_mb(lambda: refusal_of(data))

    assert peak < 20
    assert refusal_of(data).problems == ["users.csv line 2: longer than 65,536 bytes"]


def test_a_row_of_more_columns_than_the_bound_is_refused(settings):
    data = zipped({"users.csv": USERS.encode() + b"x" + b",x" * 500 + b"\n"})
    assert refusal_of(data).problems == ["users.csv line 2: 501 columns; at most 100"]


def test_a_million_bad_rows_are_counted_and_the_first_thousand_named():
    rows = "".join(f"not-a-uuid-{n},,,A,B,a{n}@school.example\n" for n in range(200_000))
    data = zipped({"users.csv": (USERS + rows).encode()})

    refused = refusal_of(data)

    assert refused.total == 200_000
    assert len(refused.problems) == 1001
    assert refused.problems[0].startswith("users.csv line 2: sourcedId 'not-a-uuid-0' is no UUID")
    assert refused.problems[-1] == "… and 199,000 more problem(s) of the same kinds."


def test_a_problem_quotes_at_most_the_start_of_a_long_value():
    data = zipped({"users.csv": (USERS + f"{'x' * 1000},,,A,B,a@school.example\n").encode()})
    (problem,) = refusal_of(data).problems
    assert len(problem) < 200


def test_an_encrypted_entry_is_named():
    data = bytearray(zipped({"users.csv": (USERS + user_row(1)).encode()}))
    directory = data.rfind(b"PK\x01\x02")  # users.csv's record in the central directory
    data[directory + 8] |= 0x1  # "encrypted", as a password-protected zip says
    assert refusal_of(bytes(data)).problems == ["users.csv is encrypted; send the bundle without a password"]


def test_an_entry_compressed_with_an_unsupported_method_is_named():
    data = bytearray(zipped({"users.csv": (USERS + user_row(1)).encode()}, method=zipfile.ZIP_STORED))
    directory = data.rfind(b"PK\x01\x02")  # the last entry's record in the central directory: users.csv
    data[directory + 10 : directory + 12] = (99).to_bytes(2, "little")
    assert refusal_of(bytes(data)).problems == [
        "users.csv is compressed with method 99; use deflate (any zip tool's default)"
    ]


def test_a_damaged_entry_is_named():
    content = (USERS + user_row(1)).encode()
    data = bytearray(zipped({"users.csv": content}, method=zipfile.ZIP_STORED))
    at = data.rfind(b"Lovelace")
    data[at] = ord("X")  # the stored bytes no longer match the entry's CRC
    (problem,) = refusal_of(bytes(data)).problems
    assert problem.startswith("users.csv: the zip entry is damaged")


def test_a_nul_in_a_cell_is_named_with_its_line():
    data = zipped(
        {"users.csv": (USERS + user_row(1) + "00000000-0000-0000-0000-000000000009,,,A\x00a,B,x@s.ex\n").encode()}
    )
    assert refusal_of(data).problems == [
        "users.csv line 3: holds a NUL character, which no value can (UTF-16 text? save it as UTF-8 (in Excel: Save "
        "As, CSV UTF-8))"
    ]


def test_text_that_is_not_utf8_is_named_with_a_hint():
    data = zipped(
        {"users.csv": USERS.encode() + "00000000-0000-0000-0000-000000000009,,,Zoë,B,z@s.ex\n".encode("latin-1")}
    )
    (problem,) = refusal_of(data).problems
    assert problem.startswith("users.csv line 2: not UTF-8 text")
    assert "save it as UTF-8" in problem


def test_two_identical_user_rows_are_named_and_nothing_is_written():
    data = zipped({"users.csv": (USERS + user_row(1) + user_row(1)).encode()})
    problems = refusal_of(data).problems
    assert [p.split(":")[0] for p in problems] == ["users.csv line 3", "users.csv line 3"]
    assert "again (first at users.csv line 2)" in problems[0]
    assert not Student.objects.exists()


def test_a_bad_date_an_unknown_user_and_an_unknown_class_are_all_reported_at_once():
    enrollment = (
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,"
        "endDate\n"
    )
    rows = [
        f"{uuid.UUID(int=1)},,,{uuid.UUID(int=2)},,{uuid.UUID(int=3)},student,,soon,\n",
        f"{uuid.UUID(int=4)},,,{uuid.UUID(int=5)},,{uuid.UUID(int=6)},student,,,\n",
    ]
    problems = refusal_of(zipped({"enrollments.csv": (enrollment + "".join(rows)).encode()})).problems
    assert [p.split(":")[0] for p in problems] == [
        "enrollments.csv line 2",
        "enrollments.csv line 3",
        "enrollments.csv line 3",
    ]
    assert "beginDate 'soon' is no date" in problems[0]
    assert "userSourcedId" in problems[1]
    assert "classSourcedId" in problems[2]
