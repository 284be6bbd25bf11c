"""Rates counted in a sliding window: one round trip to Redis per request whatever the rate, no burst at a window's
edge, Retry-After, and the same behaviour in the local memory cache."""

import os
import uuid
from http import HTTPStatus

import pytest
import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from rest_framework.test import APIRequestFactory

from config.throttling import UserRateThrottle, seconds_until_allowed

REDIS_URL = "redis://127.0.0.1:6379/14"


def redis_cache() -> RedisCache:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("CI needs Redis on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    cache = RedisCache(REDIS_URL, {})
    cache.clear()
    return cache


@pytest.fixture(params=["locmem", "redis"])
def cache(request):
    return LocMemCache(f"throttle-{uuid.uuid4()}", {}) if request.param == "locmem" else redis_cache()


class User:
    pk, is_authenticated = 7, True


def throttle_at(cache, rate: str, clock: list[float]) -> UserRateThrottle:
    throttle = UserRateThrottle.__new__(UserRateThrottle)
    throttle.cache, throttle.timer = cache, lambda: clock[0]
    throttle.rate = rate
    throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    return throttle


def requests_allowed(cache, clock: list[float], at: float, count: int, rate: str = "3/minute") -> list[bool]:
    clock[0] = at
    request = APIRequestFactory().get("/api/v1/students/")
    request.user = User()
    return [throttle_at(cache, rate, clock).allow_request(request, None) for _ in range(count)]


def test_the_rate_is_allowed_and_the_next_request_refused(cache):
    clock = [6000.0]
    assert requests_allowed(cache, clock, 6000.0, 4) == [True, True, True, False]


def test_a_client_cannot_send_twice_its_rate_across_a_window_edge(cache):
    clock = [0.0]
    assert requests_allowed(cache, clock, 6059.5, 3) == [True, True, True]  # the end of one minute
    assert requests_allowed(cache, clock, 6060.5, 3) == [False, False, False]  # the start of the next
    # 45 s on, the last minute weighs a quarter: 0.75 + 2 requests fit in 3, a third does not
    assert requests_allowed(cache, clock, 6060 + 45, 3) == [True, True, False]


def test_refused_requests_are_not_counted(cache):
    clock = [0.0]
    requests_allowed(cache, clock, 6000.0, 10)
    assert requests_allowed(cache, clock, 6000 + 120, 3) == [True, True, True]


def test_retry_after_is_when_the_next_request_would_be_allowed(cache):
    clock = [0.0]
    requests_allowed(cache, clock, 6059.0, 3)
    request = APIRequestFactory().get("/")
    request.user = User()
    clock[0] = 6061.0
    throttle = throttle_at(cache, "3/minute", clock)
    assert not throttle.allow_request(request, None)
    wait = throttle.wait()  # 3 * (1 - t/60) + 1 <= 3 from t = 20 s into the minute, 19 s from now
    assert wait == 19
    clock[0] = 6061.0 + wait
    assert throttle_at(cache, "3/minute", clock).allow_request(request, None)


@pytest.fixture
def sent_to_redis(monkeypatch) -> list[str]:
    """The commands sent to Redis, each a round trip."""
    sent, execute = [], redis.Redis.execute_command

    def counted(self, *args, **options):
        sent.append(args[0])
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    return sent


def test_each_request_is_one_round_trip_to_redis_whatever_the_rate(sent_to_redis):
    cache, clock, sent = redis_cache(), [6000.0], sent_to_redis
    requests_allowed(cache, clock, 0.0, 1)  # the first request of a process may load the script into Redis
    for rate, count in (("10/minute", 10), ("100000/minute", 1000)):
        sent.clear()
        requests_allowed(cache, clock, 6000.0 + count, count, rate)
        assert sent == ["EVALSHA"] * count


def test_the_configured_default_cache_counts_in_redis_with_the_script(settings, sent_to_redis):
    redis_cache()  # Redis answers (or the test is skipped)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    throttle = UserRateThrottle()  # as DRF makes it, with its default cache
    request = APIRequestFactory().get("/")
    request.user = User()
    for _ in range(3):
        throttle.allow_request(request, None)
    assert sent_to_redis[-2:] == ["EVALSHA", "EVALSHA"]


def test_seconds_until_allowed_when_this_window_alone_is_full():
    # 50 s to the window's end, then 20 s more until its 3 requests weigh 2 (3 x (1 - 20/60)) and one more fits
    assert seconds_until_allowed(current=3, previous=0, elapsed=10, window=60, limit=3) == pytest.approx(70.0)


def test_the_api_answers_429_with_retry_after_from_redis(api_client, monkeypatch):
    cache = redis_cache()
    monkeypatch.setattr(UserRateThrottle, "cache", cache)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": "2/minute"})
    statuses = [api_client.get("/api/v1/students/").status_code for _ in range(3)]
    assert statuses == [HTTPStatus.OK, HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS]
    assert int(api_client.get("/api/v1/students/")["Retry-After"]) >= 1
