"""Reading the feed."""

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Max

from changes.errors import CursorAhead
from changes.models import Change
from changes.sequencing import sequence_pending


@dataclass(frozen=True)
class FeedPage:
    changes: list[Change]
    cursor: int  # where to continue from
    has_more: bool


def head() -> int:
    """The position of the feed's last entry (0 for an empty feed), after numbering what has committed."""
    sequence_pending()
    return Change.objects.aggregate(last=Max("position"))["last"] or 0


def changes_after(*, after: int, limit: int, types: Collection[str] = ()) -> FeedPage:
    """Up to ``limit`` entries after position ``after``, oldest first, only of ``types`` if any are named.

    The end is read before the entries and the entries are read up to it, so an entry numbered meanwhile is left
    for the next page rather than skipped by a cursor moved to the end.
    """
    end = head()
    if after > end:
        raise CursorAhead(f"The cursor {after} is past the end of the feed ({end}).")
    entries = Change.objects.filter(position__gt=after, position__lte=end).order_by("position")
    if types:
        entries = entries.filter(type__in=types)
    page = list(entries[: limit + 1])
    has_more = len(page) > limit
    page = page[:limit]
    return FeedPage(changes=page, cursor=page[-1].position if has_more else end, has_more=has_more)
