"""Django's PostgreSQL backend, reading timestamps with psycopg's compiled loader, and health-checking only the
connections that sat idle.

Django registers its own ``timestamptz`` loader, a Python subclass of psycopg's pure-Python one, so every timestamp
read is parsed in Python (about 5 µs each: a quarter of a millisecond for a student's 50 courses; Django ticket
#36960). When Django keeps the connection in UTC (``USE_TZ``, no database ``TIME_ZONE``), psycopg's own loader (in C
with psycopg-binary) returns exactly the same values, aware datetimes in ``datetime.timezone.utc``, so connections
use that one. Anything else is Django's.

With ``CONN_HEALTH_CHECKS`` Django checks a kept connection (``SELECT 1``, one round trip) before every request
uses it. A connection that served a request less than ``CONN_HEALTH_CHECK_IDLE_SECONDS`` ago is used without
that check: under load that is every request, and a database restart then fails the requests in flight whether
they were checked or not (each answered ``503`` with ``Retry-After``; the connection is replaced after it fails).
A connection idle for longer, the one a database restart in a quiet hour leaves broken, is checked as Django does.
"""

import time
from datetime import UTC
from functools import lru_cache

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import adapt, adapters
from psycopg.adapt import Loader
from psycopg.postgres import types
from psycopg.pq import Format

PsycopgTimestamptzLoader = adapters.get_loader(types["timestamptz"].oid, Format.TEXT)


class UtcTimestamptzLoader(Loader):
    """psycopg's loader under a ``timezone`` that tells Django's cursors it loads in UTC already (they register their
    own loader on every cursor of a connection whose loader says another). Its ``load`` is psycopg's own, bound."""

    timezone = UTC

    def __init__(self, oid: int, context=None) -> None:
        super().__init__(oid, context)
        self._loader = PsycopgTimestamptzLoader(oid, context)
        self.load = self._loader.load  # called directly by psycopg, without this class's method in between

    def load(self, data):  # what the instance's own ``load`` does
        return self._loader.load(data)


@lru_cache
def utc_adapters(template: adapt.AdaptersMap) -> adapt.AdaptersMap:
    context = adapt.AdaptersMap(template)
    context.register_loader("timestamptz", UtcTimestamptzLoader)
    return context


class DatabaseWrapper(base.DatabaseWrapper):
    _last_request_at = float("-inf")

    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        if self.timezone is UTC and self.timezone_name == "UTC" and "context" in params:
            params["context"] = utc_adapters(params["context"])
        return params

    def close_if_unusable_or_obsolete(self) -> None:
        """Called when each request starts and ends: a connection that served a request a moment ago counts as
        checked for the next one."""
        idle = time.monotonic() - self._last_request_at
        super().close_if_unusable_or_obsolete()
        if self.connection is not None and idle < getattr(settings, "CONN_HEALTH_CHECK_IDLE_SECONDS", 0):
            self.health_check_done = True
        self._last_request_at = time.monotonic()
