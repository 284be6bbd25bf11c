"""The enrollment words staff read in the admin."""

WAITLIST_LABEL = "Put on the waitlist when a course is full"


def no_seat_in(codes: list[str]) -> str:
    return f"No free seat in {', '.join(codes)}. Tick “{WAITLIST_LABEL}” to put the student on the waitlist."


def counted(count: int, noun: str) -> str:
    """``1 row``, ``2 rows``: a count and its noun, singular for one."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
