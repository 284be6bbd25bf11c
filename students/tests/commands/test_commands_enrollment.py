"""enroll, drop, import_enrollments and export_enrollments."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from courses.tests.factories import CourseFactory
from students.models import EnrollmentEvent, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def csv_file(tmp_path: Path, text: str | bytes, name: str = "in.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def enrolled(student) -> set[str]:
    return set(StudentCourse.objects.filter(student=student, status="enrolled").values_list("course__code", flat=True))


@pytest.fixture
def ada(db):
    return StudentFactory(email="ada@school.example")


@pytest.fixture
def cs101(db):
    return CourseFactory(code="CS101")


# enroll and drop ------------------------------------------------------------------------------------------------


def test_enroll_finds_the_student_by_email_and_courses_by_code_or_id(ada, cs101):
    ma = CourseFactory(code="MA201")
    out, _ = run("enroll", "ADA@school.example", "cs101", str(ma.id))
    assert enrolled(ada) == {"CS101", "MA201"}
    assert "enrolled ada@school.example in CS101" in out
    assert EnrollmentEvent.objects.filter(channel="command").count() == 2


def test_enroll_says_what_was_already_so(ada, cs101):
    run("enroll", str(ada.id), "CS101")
    out, _ = run("enroll", str(ada.id), "CS101")
    assert "already so: ada@school.example in CS101" in out


def test_enroll_in_a_full_course_changes_nothing_unless_waitlisted(ada, cs101):
    cs101.capacity = 1
    cs101.save()
    StudentCourseFactory(course=cs101)
    other = CourseFactory(code="MA201")
    with pytest.raises(CommandError, match="Nothing was changed: No free seat"):
        run("enroll", ada.email, "MA201", "CS101")
    assert enrolled(ada) == set()
    out, _ = run("enroll", ada.email, "MA201", "CS101", "--waitlist")
    assert "waitlisted ada@school.example for CS101" in out
    assert enrolled(ada) == {other.code}


def test_enroll_names_unknown_students_and_courses(ada):
    with pytest.raises(CommandError, match=re.escape("nobody@school.example")):
        run("enroll", "nobody@school.example", "CS101")
    with pytest.raises(CommandError, match="'NOPE1', '999'"):
        run("enroll", ada.email, "NOPE1", "999")


def test_drop_drops_and_says_what_was_not_enrolled(ada, cs101):
    StudentCourseFactory(student=ada, course=cs101)
    CourseFactory(code="MA201")
    out, _ = run("drop", ada.email, "CS101", "MA201")
    assert "dropped CS101 for ada@school.example" in out
    assert "is not enrolled in MA201" in out
    assert StudentCourse.objects.get(student=ada, course=cs101).status == "dropped"


# import_enrollments ---------------------------------------------------------------------------------------------


def test_import_applies_adds_and_drops_and_prints_a_summary(tmp_path, ada, cs101):
    ma = CourseFactory(code="MA201")
    StudentCourseFactory(student=ada, course=ma)
    path = csv_file(
        tmp_path, "student_email,course_code,action\nada@school.example,cs101,add\nADA@school.example,MA201,drop\n"
    )
    out, _ = run("import_enrollments", path)
    assert "2 rows: added 1, dropped 1, waitlisted 0, unchanged 0." in out
    assert enrolled(ada) == {"CS101"}


def test_import_without_an_action_column_adds(tmp_path, ada, cs101):
    run("import_enrollments", csv_file(tmp_path, "student_email,course_code\nada@school.example,CS101\n"))
    assert enrolled(ada) == {"CS101"}


def test_import_reports_every_bad_row_with_its_line_and_applies_nothing(tmp_path, ada, cs101):
    text = (
        "student_email,course_code,action\n"
        "ada@school.example,CS101,add\n"
        "nobody@school.example,CS101,add\n"
        "not-an-email,CS101,add\n"
        "ada@school.example,NOPE1,add\n"
        "ada@school.example,CS101,maybe\n"
        "ada@school.example\n"
    )
    with pytest.raises(CommandError, match="5 problems in the file"):
        call_command("import_enrollments", csv_file(tmp_path, text), stderr=(err := io.StringIO()))
    assert err.getvalue().splitlines() == [
        "line 3: unknown student 'nobody@school.example'",
        "line 4: malformed email 'not-an-email'",
        "line 5: unknown course 'NOPE1'",
        "line 6: action must be 'add' or 'drop', not 'maybe'",
        "line 7: expected 3 columns, found 1",
    ]
    assert not StudentCourse.objects.exists()


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="1 problem in the file"):
        call_command("import_enrollments", csv_file(tmp_path, ""), stderr=(err := io.StringIO()))
    assert "the file is empty" in err.getvalue()


def test_a_file_with_only_a_header_changes_nothing(tmp_path):
    out, _ = run("import_enrollments", csv_file(tmp_path, "student_email,course_code\n"))
    assert "0 rows: added 0" in out


def test_a_wrong_header_is_one_problem_naming_every_wrong_column(tmp_path):
    with pytest.raises(CommandError, match=r"^1 problem in the file"):
        call_command(
            "import_enrollments", csv_file(tmp_path, "email,course_code,grade\n"), stderr=(err := io.StringIO())
        )
    assert err.getvalue().splitlines() == [
        "line 1: the header has no 'student_email' column and an unknown column 'email' and an unknown column "
        "'grade'; expected student_email,course_code and, optionally, action"
    ]


def test_duplicate_rows_count_once(tmp_path, ada, cs101):
    path = csv_file(tmp_path, "student_email,course_code\nada@school.example,CS101\nada@school.example,CS101\n")
    out, _ = run("import_enrollments", path)
    assert "added 1" in out
    assert StudentCourse.objects.count() == 1


def test_contradicting_rows_are_refused(tmp_path, ada, cs101):
    text = "student_email,course_code,action\nada@school.example,CS101,add\nada@school.example,CS101,drop\n"
    with pytest.raises(CommandError, match=r"^1 problem in the file"):
        call_command("import_enrollments", csv_file(tmp_path, text), stderr=(err := io.StringIO()))
    assert "line 3: drop contradicts line 2" in err.getvalue()


def test_bad_utf8_is_reported_by_line(tmp_path, ada, cs101):
    text = b"student_email,course_code\nada@school.example,CS101\n\xff\xfe,CS101\n"
    with pytest.raises(CommandError, match=r"^1 problem in the file"):
        call_command("import_enrollments", csv_file(tmp_path, text), stderr=(err := io.StringIO()))
    assert err.getvalue().startswith("line 3: not UTF-8 text")
    assert not StudentCourse.objects.exists()


def test_a_utf8_bom_is_accepted(tmp_path, ada, cs101):
    run("import_enrollments", csv_file(tmp_path, "\ufeffstudent_email,course_code\nada@school.example,CS101\n"))
    assert enrolled(ada) == {"CS101"}


def test_a_nul_byte_is_reported_not_crashed_on(tmp_path):
    with pytest.raises(CommandError, match=r"^1 problem in the file"):
        call_command(
            "import_enrollments",
            csv_file(tmp_path, "student_email,course_code\na\x00b,c\n"),
            stderr=(err := io.StringIO()),
        )
    assert err.getvalue().startswith("line 2: holds a NUL character")


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match=re.escape("Cannot read /nonexistent.csv")):
        run("import_enrollments", "/nonexistent.csv")


def test_a_dry_run_prints_the_summary_and_changes_nothing(tmp_path, ada, cs101):
    out, _ = run(
        "import_enrollments", csv_file(tmp_path, "student_email,course_code\nada@school.example,CS101\n"), "--dry-run"
    )
    assert "Dry run, nothing changed. Would have: 1 row: added 1" in out
    assert not StudentCourse.objects.exists()
    assert not EnrollmentEvent.objects.exists()


def test_replace_makes_each_listed_students_courses_exactly_the_listed_set(tmp_path, ada, cs101):
    ma, bystander = CourseFactory(code="MA201"), StudentFactory()
    StudentCourseFactory(student=ada, course=ma)
    StudentCourseFactory(student=bystander, course=ma)
    run("import_enrollments", csv_file(tmp_path, "student_email,course_code\nada@school.example,CS101\n"), "--replace")
    assert enrolled(ada) == {"CS101"}
    assert enrolled(bystander) == {"MA201"}


def test_an_import_over_capacity_applies_nothing_unless_waitlisted(tmp_path, cs101):
    cs101.capacity = 1
    cs101.save()
    students = StudentFactory.create_batch(2)
    text = "student_email,course_code\n" + "".join(f"{s.email},CS101\n" for s in students)
    with pytest.raises(CommandError, match="Nothing was applied: No free seat"):
        run("import_enrollments", csv_file(tmp_path, text))
    assert not StudentCourse.objects.exists()
    out, _ = run("import_enrollments", csv_file(tmp_path, text), "--waitlist")
    assert "added 1, dropped 0, waitlisted 1" in out


def test_a_ten_thousand_row_file_imports_in_a_bounded_number_of_queries(tmp_path, django_assert_max_num_queries):
    courses = CourseFactory.create_batch(5)
    students = StudentFactory.create_batch(2000)
    lines = [f"{s.email},{c.code}\n" for s in students for c in courses]
    path = csv_file(tmp_path, "student_email,course_code\n" + "".join(lines))
    with django_assert_max_num_queries(40):
        out, _ = run("import_enrollments", path)
    assert "10000 rows: added 10000" in out
    assert StudentCourse.objects.count() == EnrollmentEvent.objects.count() == 10000


def test_standard_input_is_read_with_a_dash(monkeypatch, ada, cs101):
    import sys

    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(b"student_email,course_code\nada@school.example,CS101\n"))
    )
    run("import_enrollments", "-")
    assert enrolled(ada) == {"CS101"}


# export_enrollments ---------------------------------------------------------------------------------------------


def test_export_writes_enrolled_associations_with_enrolled_at(ada, cs101):
    association = StudentCourseFactory(student=ada, course=cs101)
    StudentCourseFactory(status="dropped")
    out, _ = run("export_enrollments")
    assert out.splitlines() == [
        "student_email,course_code,enrolled_at",
        f"ada@school.example,CS101,{association.enrolled_at.isoformat()}",
    ]


def test_export_filters_by_course_and_student(ada, cs101):
    StudentCourseFactory(student=ada, course=cs101)
    StudentCourseFactory(student=ada)
    StudentCourseFactory(course=cs101)
    assert len(run("export_enrollments", "--course", "cs101")[0].splitlines()) == 3
    assert len(run("export_enrollments", "--student", "ADA@school.example")[0].splitlines()) == 3
    with pytest.raises(CommandError, match="No course"):
        run("export_enrollments", "--course", "NOPE1")
    with pytest.raises(CommandError, match="No student"):
        run("export_enrollments", "--student", "nobody@school.example")


def test_an_export_writes_cells_a_spreadsheet_would_run_as_text_and_imports_back_unchanged(cs101, tmp_path):
    for email in ("=1+2|calc!a0@school.example", "+1@school.example", "-x@school.example"):
        StudentCourseFactory(student=StudentFactory(email=email), course=cs101)
    path = tmp_path / "out.csv"
    run("export_enrollments", "--output", str(path))
    emails = [row[0] for row in csv.reader(path.read_text().splitlines()[1:])]
    assert sorted(emails) == ["'+1@school.example", "'-x@school.example", "'=1+2|calc!a0@school.example"]
    assert "unchanged 3." in run("import_enrollments", str(path))[0]


def test_an_export_fed_back_to_import_changes_nothing(tmp_path):
    for student in StudentFactory.create_batch(30):
        for course in CourseFactory.create_batch(2):
            StudentCourseFactory(student=student, course=course)
    path = str(tmp_path / "out.csv")
    _, err = run("export_enrollments", "--output", path)
    assert "Exported 60 enrollments" in err
    before = EnrollmentEvent.objects.count()
    out, _ = run("import_enrollments", path)
    assert "60 rows: added 0, dropped 0, waitlisted 0, unchanged 60." in out
    assert EnrollmentEvent.objects.count() == before
    assert run("import_enrollments", path, "--replace")[0].endswith("unchanged 60.\n")


def test_a_file_excel_saved_as_utf16_is_one_problem_that_says_how_to_save_it(tmp_path):
    text = "student_email,course_code\r\nada@school.example,CS101\r\n".encode("utf-16")
    with pytest.raises(CommandError, match=r"^1 problem in the file"):
        call_command("import_enrollments", csv_file(tmp_path, text), stderr=(err := io.StringIO()))
    assert err.getvalue().splitlines() == [
        "the file: UTF-16 text (what Excel's “Unicode Text” saves); save it as UTF-8 (in Excel: Save As, CSV UTF-8)"
    ]


def test_a_latin1_file_says_how_to_save_it_as_utf8(tmp_path):
    text = "student_email,course_code\nrené@school.example,CS101\n".encode("latin-1")
    with pytest.raises(CommandError, match=r"^1 problem in the file"):
        call_command("import_enrollments", csv_file(tmp_path, text), stderr=(err := io.StringIO()))
    assert "line 2: not UTF-8 text" in err.getvalue()
    assert "in Excel: Save As, CSV UTF-8" in err.getvalue()
