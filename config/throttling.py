"""Request rates per user and per anonymous client, counted in the shared cache (Redis in production).

If the cache cannot be reached the request is served, not refused: throttling fails open, and says so in the log.
"""

import logging

from rest_framework import exceptions, throttling

logger = logging.getLogger(__name__)


class FailOpen:
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as error:  # the cache is down: serve the request rather than fail it
            logger.warning("throttle cache unavailable, request allowed: %s", type(error).__name__)
            return True


class UserRateThrottle(FailOpen, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(FailOpen, throttling.AnonRateThrottle):
    pass


class ThrottleFirst:
    """Counts every request against the rates before authentication failures and permission refusals.

    DRF throttles only after authenticating and checking permissions, so anonymous requests answered 401 and bad
    tokens would never be counted, and guessing tokens would go unthrottled.
    """

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
