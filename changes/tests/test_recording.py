import datetime as dt

from changes.models import Change
from changes.recording import WRITE_BATCH, Entry, record

AT = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)


def entries(count: int) -> list[Entry]:
    data = {"name": 'Zoë "Z" O\'Hara\\\t', "courses": [1, None, {"nested": True}], "grade": 9.5}
    return [Entry("student.created", str(i), {**data, "id": i}) for i in range(count)]


def stored() -> list[tuple]:
    return list(
        Change.objects.order_by("id").values_list(
            "type", "object_type", "object_id", "data", "occurred_at", "actor_id", "actor_username", "channel"
        )
    )


def test_many_entries_at_once_are_stored_exactly_as_a_few_are(db):
    many = entries(WRITE_BATCH + 1)  # copied on PostgreSQL

    record(many[:3], at=AT, channel="import", username="ada", user_id=7)
    few = stored()
    Change.objects.all().delete()
    record(many, at=AT, channel="import", username="ada", user_id=7)

    assert len(stored()) == WRITE_BATCH + 1
    assert stored()[:3] == few
    assert stored()[-1][3] == many[-1].data
