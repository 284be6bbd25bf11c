"""Who is acting, and through which channel, for the code that records what changed.

Channels that know the actor (the enrollment services take an explicit ``Actor``) pass it; for plain model saves
(a student edited in the admin or over the API) the recording code asks ``current_actor()``, which
``ActorMiddleware`` answers per request: the API and the admin by their URL prefix, the user as authenticated there
(DRF sets the token's user on the request it wraps). Anything else (a command, the shell) is the ``system``.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class Acting:
    channel: str
    user: Callable[[], object] | None = None  # read lazily: DRF authenticates after the middleware ran

    def username_and_id(self) -> tuple[str, int | None]:
        user = self.user() if self.user else None
        if user is None or not getattr(user, "is_authenticated", False):
            return "", None
        return user.get_username(), user.pk


SYSTEM = Acting(channel="system")
_acting: ContextVar[Acting | None] = ContextVar("acting", default=None)


def current_actor() -> Acting:
    return _acting.get() or SYSTEM


@contextmanager
def acting(channel: str, user: Callable[[], object] | None = None) -> Iterator[None]:
    token = _acting.set(Acting(channel=channel, user=user))
    try:
        yield
    finally:
        _acting.reset(token)


class ActorMiddleware:
    """Requests under /api/ act for the API channel, under /admin/ for the admin, as the request's user."""

    PREFIXES = (("/api/", "api"), ("/admin/", "admin"))

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for prefix, channel in self.PREFIXES:
            if request.path.startswith(prefix):
                with acting(channel, lambda: getattr(request, "user", None)):
                    return self.get_response(request)
        return self.get_response(request)
