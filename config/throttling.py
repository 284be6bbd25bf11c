"""Request rates per user and per anonymous client, counted in the shared cache (Redis in production).

Each request costs one round trip to the cache, whatever the rate: DRF's ``SimpleRateThrottle`` keeps the time of
every request in the window and reads and rewrites that list on each request, so its cost grew with the allowed
rate. Here the window slides over two fixed-window counters, this window's and the previous one's, the latter
weighted by how much of it the sliding window still covers (so a client cannot send twice its rate across a window
edge). On Redis one Lua script reads both and counts the request only if it is allowed; other caches (the local
memory cache while developing) do the same under a lock, per process. Refused requests are answered ``429`` with
``Retry-After``: the seconds until a request would be allowed again.

If the cache cannot be reached the request is served, not refused: throttling fails open, and says so in the log.
"""

import logging
import math
import threading
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, BaseCache, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from rest_framework import exceptions, throttling

logger = logging.getLogger(__name__)

# KEYS: this window's counter, the previous one's. ARGV: the previous window's weight, the limit, the counters' TTL.
# Returns {allowed (1 or 0), this window's count, the previous window's count}.
_COUNT_IF_ALLOWED = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if previous * tonumber(ARGV[1]) + current + 1 > tonumber(ARGV[2]) then
    return {0, current, previous}
end
current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return {1, current, previous}
"""
_scripts: dict[int, object] = {}
_local_lock = threading.Lock()


def _redis_script(cache: RedisCache):
    """The registered script on this cache's Redis client, made once per process (not per request)."""
    script = _scripts.get(id(cache))
    if script is None:
        script = _scripts[id(cache)] = cache._cache.get_client(write=True).register_script(_COUNT_IF_ALLOWED)
    return script


def count_if_allowed(
    cache: BaseCache, current_key: str, previous_key: str, *, weight: float, limit: int, ttl: int
) -> tuple[bool, int, int]:
    """Counts a request in ``current_key`` if ``previous * weight + current`` stays within ``limit``; returns
    whether it did, and both counts (as read before counting)."""
    if cache is default_cache:  # DRF's throttles hold Django's proxy to the default cache: use what it stands for
        cache = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(cache, RedisCache):
        keys = [cache.make_and_validate_key(current_key), cache.make_and_validate_key(previous_key)]
        allowed, current, previous = _redis_script(cache)(keys=keys, args=[weight, limit, ttl])
        return bool(allowed), int(current), int(previous)
    with _local_lock:
        counts = cache.get_many([current_key, previous_key])
        current, previous = counts.get(current_key, 0), counts.get(previous_key, 0)
        if previous * weight + current + 1 > limit:
            return False, current, previous
        cache.set(current_key, current + 1, ttl)
        return True, current + 1, previous


def seconds_until_allowed(*, current: int, previous: int, elapsed: float, window: float, limit: int) -> float:
    """When a refused client may send again: once the previous window's weight has fallen enough, or, when this
    window alone is full, that far into the next window (where this window's count is the weighted one)."""
    if current + 1 > limit:
        return (window - elapsed) + window * max(0.0, 1 - (limit - 1) / max(current, 1))
    return max(0.0, window * (1 - (limit - 1 - current) / previous) - elapsed)


def parse_rate(rate: str) -> tuple[int, int]:
    """``"N/second|minute|hour|day"`` as (N, seconds), as DRF reads it."""
    return throttling.SimpleRateThrottle.parse_rate(None, rate)


def hit(cache: BaseCache, key: str, *, limit: int, window: float, now: float) -> float | None:
    """Counts one request under ``key`` if ``limit`` a ``window`` allows it: ``None`` when it did, otherwise the
    seconds until a request would be allowed."""
    index = int(now // window)
    elapsed = now - index * window
    allowed, current, previous = count_if_allowed(
        cache, f"{key}:{index}", f"{key}:{index - 1}", weight=1 - elapsed / window, limit=limit, ttl=2 * int(window) + 1
    )
    if allowed:
        return None
    return seconds_until_allowed(current=current, previous=previous, elapsed=elapsed, window=window, limit=limit)


def whole_seconds(wait: float) -> int:
    """``Retry-After``: whole seconds, at least one, not rounded up by float noise."""
    return max(1, math.ceil(round(wait, 3)))


def refused_for(key: str, rate: str) -> int | None:
    """Outside DRF (the OAuth token endpoint): counts a request under ``key`` in the default cache against ``rate``;
    ``None`` when allowed, otherwise ``Retry-After`` in seconds. Fails open, as the throttles do."""
    limit, window = parse_rate(rate)
    try:
        wait = hit(caches[DEFAULT_CACHE_ALIAS], f"throttle_{key}", limit=limit, window=window, now=time.time())
    except Exception as error:  # the cache is down: serve the request rather than fail it
        logger.warning("throttle cache unavailable, request allowed: %s", type(error).__name__)
        return None
    return None if wait is None else whole_seconds(wait)


class SlidingWindowRateThrottle(throttling.SimpleRateThrottle):
    """DRF's rate contract (``THROTTLE_RATES``, ``"N/second|minute|hour|day"``, ``wait()`` for ``Retry-After``),
    counted in one round trip whatever N is."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        wait = hit(self.cache, self.key, limit=self.num_requests, window=self.duration, now=self.timer())
        if wait is not None:
            self._wait = wait
        return wait is None

    def wait(self) -> float:
        return whole_seconds(self._wait)


class FailOpen:
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as error:  # the cache is down: serve the request rather than fail it
            logger.warning("throttle cache unavailable, request allowed: %s", type(error).__name__)
            return True


class UserRateThrottle(FailOpen, SlidingWindowRateThrottle, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(FailOpen, SlidingWindowRateThrottle, throttling.AnonRateThrottle):
    pass


class ThrottleFirst:
    """Counts every request against the rates before authentication failures and permission refusals, and answers a
    method the view does not take 405 before either.

    DRF throttles only after authenticating and checking permissions, so anonymous requests answered 401 and bad
    tokens would never be counted, and guessing tokens would go unthrottled. DRF also checks permissions before it
    looks for the method's handler, so ``TRACE`` answered 403 (the permissions have no rule for it) where 405 is true.
    """

    def initial(self, request, *args, **kwargs) -> None:
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def perform_authentication(self, request) -> None:
        try:
            super().perform_authentication(request)
        except exceptions.AuthenticationFailed:
            self.check_throttles(request)  # the request is anonymous now: counted per address
            raise

    def check_permissions(self, request) -> None:
        self.check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request) -> None:
        if getattr(request, "_throttles_checked", False):
            return
        request._throttles_checked = True
        super().check_throttles(request)
