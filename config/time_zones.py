"""The admin shows times in the browser's time zone.

The admin's pages keep the browser's zone in the ``time_zone`` cookie (``templates/admin/base_site.html``); this
middleware shows the admin's times in it, and the settings' ``TIME_ZONE`` (``DJANGO_TIME_ZONE``) until the browser
has told it, or when the cookie names no zone. The API is not affected: it answers in UTC, whoever asks.
"""

import zoneinfo
from functools import cache

from django.http import HttpRequest
from django.utils import timezone

COOKIE = "time_zone"
ADMIN_PREFIX = "/admin/"


@cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def browser_zone(request: HttpRequest) -> str | None:
    name = request.COOKIES.get(COOKIE, "")
    return name if len(name) <= 64 and name in known_zones() else None


class AdminTimeZoneMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not request.path.startswith(ADMIN_PREFIX):
            return self.get_response(request)
        name = browser_zone(request)
        if name is None:
            return self.get_response(request)
        timezone.activate(zoneinfo.ZoneInfo(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def time_zone_shown(request: HttpRequest) -> dict[str, str]:
    """The zone the admin's times are in, for the note at the foot of its pages."""
    if not request.path.startswith(ADMIN_PREFIX):
        return {}
    return {"TIME_ZONE_SHOWN": timezone.get_current_timezone_name()}
