"""Conditional requests (RFC 9110): every answer with a body carries a strong ``ETag``, ``If-None-Match`` on a GET
answers ``304 Not Modified``, and ``If-Match`` on a write that would change a representation the client has not
seen answers ``412`` (``precondition_failed``) and changes nothing.

The ETag is the MD5 of the representation's JSON, as Django's ``ConditionalGetMiddleware`` computes it, so a client
may send back the ETag of any answer it read. A write checks ``If-Match`` under its locks (the domain's entry points
call ``before_change`` once they hold them), so no other writer can slip in between the check and the change.
"""

from collections.abc import Callable
from hashlib import md5
from http import HTTPStatus
from typing import Any

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import set_response_etag
from django.utils.http import parse_etags, quote_etag
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from config.error_pages import problem_response
from config.renderers import ProblemAwareJSONRenderer

WRITES = ("POST", "PUT", "PATCH")


class PreconditionFailed(APIException):
    status_code = HTTPStatus.PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = (
        "The resource changed since you read it (its ETag does not match If-Match); nothing was changed. "
        "Read it again and retry."
    )


def etag_of(data: Any) -> str:
    """The ETag a GET answering ``data`` carries."""
    return quote_etag(md5(ProblemAwareJSONRenderer().render(data), usedforsecurity=False).hexdigest())


def check_if_match(request: Request, representation: Callable[[], Any]) -> None:
    """Raises ``PreconditionFailed`` when ``If-Match`` names no strong ETag of the current ``representation()``
    (``*`` matches any: the resource exists, or the request would have been refused before this)."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = parse_etags(header)
    if tags == ["*"]:
        return
    if etag_of(representation()) not in [tag for tag in tags if not tag.startswith("W/")]:
        raise PreconditionFailed()


class ConditionalMiddleware(ConditionalGetMiddleware):
    """Django's conditional GET (ETag, 304), and the ETag of the representation a write answers with."""

    def process_response(self, request, response):
        if request.method in WRITES and HTTPStatus.OK <= response.status_code < HTTPStatus.MULTIPLE_CHOICES:
            if not response.has_header("ETag") and self.needs_etag(response):
                set_response_etag(response)
            return response
        answer = super().process_response(request, response)
        if (
            answer is not response
            and answer.status_code == HTTPStatus.PRECONDITION_FAILED
            and request.path.startswith("/api/")
        ):
            return problem_response(
                HTTPStatus.PRECONDITION_FAILED, "precondition_failed", PreconditionFailed.default_detail
            )
        return answer
