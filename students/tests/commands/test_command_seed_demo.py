from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from courses.models import Course
from students.models import Student, StudentCourse

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seeding_creates_the_requested_numbers_of_rows():
    seed("--students", "30", "--courses", "8", "--per-student", "3", "--seed", "4")
    assert (Student.objects.count(), Course.objects.count(), StudentCourse.objects.count()) == (30, 8, 90)


def test_seeding_twice_with_the_same_arguments_changes_nothing():
    seed("--students", "20", "--courses", "5", "--per-student", "2", "--seed", "4")
    before = set(StudentCourse.objects.values_list("student__email", "course__code"))
    output = seed("--students", "20", "--courses", "5", "--per-student", "2", "--seed", "4")
    assert set(StudentCourse.objects.values_list("student__email", "course__code")) == before
    assert "added: 0 students, 0 courses, 0 associations" in output


def test_the_same_seed_gives_the_same_data():
    def seeded_pairs() -> list[tuple[str, str]]:
        with transaction.atomic():
            seed("--students", "10", "--courses", "6", "--per-student", "2", "--seed", "9")
            pairs = sorted(StudentCourse.objects.values_list("student__email", "course__code"))
            transaction.set_rollback(True)
        return pairs

    assert seeded_pairs() == seeded_pairs()


def test_demo_emails_and_codes_are_valid_for_the_model():
    seed("--students", "5", "--courses", "20", "--per-student", "1")
    assert all(email == email.lower() for email in Student.objects.values_list("email", flat=True))
    assert Course.objects.filter(code="CS101").exists()


def test_non_interactive_output_prints_plain_progress_lines():
    output = seed("--students", "10", "--courses", "3", "--per-student", "1")
    assert "students: 10/10" in output


def test_more_courses_per_student_than_courses_is_refused():
    with pytest.raises(CommandError, match="per-student"):
        seed("--courses", "2", "--per-student", "3")
    assert not Student.objects.exists()


def test_negative_counts_are_refused():
    with pytest.raises(CommandError, match="cannot be negative"):
        seed("--students", "-1")


def test_ensure_local_admin_creates_the_account_once(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("ensure_local_admin", stdout=out)
    call_command("ensure_local_admin", stdout=out)
    from django.contrib.auth.models import User

    assert User.objects.get(username="admin").is_superuser
    assert "exists" in out.getvalue()


def test_ensure_local_admin_refuses_to_run_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development only"):
        call_command("ensure_local_admin")


def test_seeding_records_one_command_event_per_association_added():
    from students.models import EnrollmentEvent

    seed("--students", "10", "--courses", "4", "--per-student", "2")
    seed("--students", "10", "--courses", "4", "--per-student", "2")
    assert EnrollmentEvent.objects.count() == StudentCourse.objects.count() == 20
    assert set(EnrollmentEvent.objects.values_list("channel", flat=True)) == {"command"}
