"""Gives committed changes their place in the feed.

Why positions are given after commit: the id a change takes from a sequence when it is written does not tell the
order of commits (on PostgreSQL a transaction that took id 100 can commit after one that took id 101 is already
visible), so a feed read by id could hand out a cursor past 100 and never show it. Instead ``sequence_pending``,
run under one lock (an advisory lock on PostgreSQL; SQLite's writers are serialized anyway), numbers the entries
committed but not yet numbered, after the highest position given so far. A position is only ever given to a
committed entry, and never below one already given, so a cursor never skips anything.

Two changes of one object are recorded under that object's row lock (``changes.recording``), so the earlier one
commits first and has the lower id; numbering committed entries in id order therefore keeps each object's changes
in commit order. Entries of different objects committed close together may be numbered in either order.
"""

from django.db import connection, transaction

from changes.models import Change

ADVISORY_LOCK_KEY = 7_216_001  # any constant; only this module takes it

_NUMBER_PENDING = """
    UPDATE changes SET position = numbered.position
    FROM (
        SELECT id, (SELECT COALESCE(MAX(position), 0) FROM changes) + ROW_NUMBER() OVER (ORDER BY id) AS position
        FROM changes WHERE position IS NULL
    ) AS numbered
    WHERE changes.id = numbered.id
"""


def sequence_pending() -> None:
    """Numbers every committed entry that has no position yet. Cheap when there is none (one indexed read)."""
    if not Change.objects.filter(position__isnull=True).exists():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        cursor.execute(_NUMBER_PENDING)
