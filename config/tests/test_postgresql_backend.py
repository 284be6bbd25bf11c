"""The PostgreSQL backend reads timestamps with psycopg's own loader, and gets the same values as Django's."""

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.psycopg_any import BaseTzLoader, register_tzloader
from psycopg import adapters
from psycopg.pq import Format

from courses.tests.factories import CourseFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: the backend is PostgreSQL's"),
]

TIMESTAMPTZ = 1184  # the type's oid
INSTANTS = [
    datetime(2026, 1, 1, tzinfo=UTC),
    datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(1999, 12, 31, 22, 0, 0, 500000, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2038, 1, 19, 3, 14, 7, 1, tzinfo=timezone(timedelta(hours=5, minutes=30))),
]


def read_back(cursor) -> list[datetime]:
    cursor.execute("SELECT unnest(%s::timestamptz[])", [INSTANTS])
    return [row[0] for row in cursor.fetchall()]


def test_timestamps_are_read_by_psycopgs_own_loader_not_djangos():
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)(TIMESTAMPTZ, cursor.cursor)
    assert type(loader._loader) is adapters.get_loader(TIMESTAMPTZ, Format.TEXT)  # compiled with psycopg-binary
    assert not isinstance(loader._loader, BaseTzLoader)


def test_timestamps_read_back_equal_what_djangos_own_loader_reads():
    with connection.cursor() as cursor:
        ours = read_back(cursor)
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)  # Django's loader, on this cursor only
        djangos = read_back(cursor)
    assert ours == djangos == INSTANTS
    assert [value.tzinfo for value in ours] == [UTC] * len(INSTANTS) == [value.tzinfo for value in djangos]


def test_the_orm_reads_aware_utc_datetimes():
    course = CourseFactory()
    course.refresh_from_db()
    assert course.created_at.tzinfo is UTC


@pytest.fixture
def health_checks(settings, monkeypatch) -> list[str]:
    """Health checks on, with a 1-second idle limit; returns the log of checks made (``SELECT 1`` round trips)."""
    settings.CONN_HEALTH_CHECK_IDLE_SECONDS = 1.0
    wrapper = connections["default"]
    wrapper.ensure_connection()
    monkeypatch.setattr(wrapper, "health_check_enabled", True)
    checks: list[str] = []
    real = type(wrapper).is_usable
    monkeypatch.setattr(wrapper, "is_usable", lambda: checks.append("SELECT 1") or real(wrapper))
    return checks


def serve_a_request() -> None:
    connection.close_if_unusable_or_obsolete()  # as when a request starts
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    connection.close_if_unusable_or_obsolete()  # as when it ends


@pytest.mark.django_db(transaction=True)
def test_a_connection_busy_a_moment_ago_is_not_checked_again(health_checks):
    serve_a_request()
    health_checks.clear()
    serve_a_request()
    assert health_checks == []


@pytest.mark.django_db(transaction=True)
def test_a_connection_idle_past_the_limit_is_checked_before_use(health_checks, monkeypatch):
    serve_a_request()
    health_checks.clear()
    later = time.monotonic() + 1.5
    monkeypatch.setattr(time, "monotonic", lambda: later)
    serve_a_request()
    assert health_checks == ["SELECT 1"]
