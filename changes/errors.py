from http import HTTPStatus

from config.exceptions import DomainError


class CursorAhead(DomainError):
    """The cursor is past the end of the feed: no answer of ours gave it (another database, or a made-up one)."""

    code = "cursor_ahead"
    status = HTTPStatus.UNPROCESSABLE_ENTITY
