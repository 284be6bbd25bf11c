"""Records changes as entries of the feed, in the writer's own transaction (so an entry exists if and only if its
change committed). The writer must hold the changed object's row lock when it records, as every write path does
(the enrollment services lock before they write; a model save or delete locks the row it writes): then two changes
of one object are recorded in the order they commit, which is the order the feed gives them.

``recorded`` is sent once per transaction that recorded anything, after it commits: the webhooks listen to it.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.dispatch import Signal

from changes.models import Change
from config.actors import current_actor

recorded = Signal()
WRITE_BATCH = 2000


@dataclass(frozen=True)
class Entry:
    type: str
    object_id: str
    data: dict[str, Any]

    @property
    def object_type(self) -> str:
        return self.type.split(".", 1)[0]


def record(
    entries: Iterable[Entry],
    *,
    at: datetime,
    channel: str | None = None,
    username: str = "",
    user_id: int | None = None,
) -> None:
    """Appends the entries, made by ``channel``/``username`` (by default: whoever ``current_actor()`` says)."""
    if channel is None:
        actor = current_actor()
        channel, (username, user_id) = actor.channel, actor.username_and_id()
    entries = list(entries)
    if not entries:
        return
    if connection.vendor == "postgresql" and len(entries) > WRITE_BATCH:  # an import's thousands: copied
        _copy(entries, at=at, channel=channel, username=username, user_id=user_id)
    else:
        rows = [
            Change(
                type=entry.type,
                object_type=entry.object_type,
                object_id=entry.object_id,
                data=entry.data,
                occurred_at=at,
                actor_id=user_id,
                actor_username=username,
                channel=channel,
            )
            for entry in entries
        ]
        Change.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    announce_recorded()


_COPY = (
    f"COPY {Change._meta.db_table} (type, object_type, object_id, data, occurred_at, actor_id, actor_username, channel)"
)


def _copy(entries: list[Entry], *, at: datetime, channel: str, username: str, user_id: int | None) -> None:
    """The rows ``bulk_create`` would write, by ``COPY`` (the data as the JSON text ``JSONField`` stores)."""
    with connection.cursor() as cursor, cursor.cursor.copy(f"{_COPY} FROM STDIN") as copy:
        for entry in entries:
            copy.write_row(
                (entry.type, entry.object_type, entry.object_id, json.dumps(entry.data), at, user_id, username, channel)
            )


def _announce() -> None:
    recorded.send(sender=Change)


def announce_recorded() -> None:
    """Sends ``recorded`` once after the outermost transaction commits (at once outside a transaction); for code
    that writes entries itself (in bulk, with SQL) to call after writing them."""
    if not connection.in_atomic_block:
        _announce()
    elif not any(callback is _announce for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(_announce, robust=True)
