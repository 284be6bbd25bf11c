from http import HTTPStatus

from config.exceptions import DomainError


class WebhookError(DomainError):
    pass


class UnsafeTarget(WebhookError):
    """The URL is not one we may call: not http(s), unresolvable, or (in production) a non-public address."""

    code = "unsafe_webhook_target"
    status = HTTPStatus.BAD_REQUEST


class ReplayPastEnd(WebhookError):
    code = "cursor_ahead"
    status = HTTPStatus.UNPROCESSABLE_ENTITY
