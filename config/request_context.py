"""A request id for every request, carried into every log line; one structured access line per request.

The id comes from the ``X-Request-ID`` header when a proxy set a sane one, otherwise it is made here; it is echoed
in the response. Log lines carry it through a contextvar. Nothing from the request's headers or body is logged,
so tokens and passwords never reach the logs.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")
access_log = logging.getLogger("enrollments.access")
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        token = request_id.set(incoming if SANE_ID.match(incoming) else uuid.uuid4().hex)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            user = getattr(request, "user", None)
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "client": request.META.get("REMOTE_ADDR", ""),  # the real client's (config.client_address)
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "client_id": getattr(user, "client_id", None),  # an OAuth client (OneRoster) has no user
                },
            )
            return response
        finally:
            request_id.reset(token)
