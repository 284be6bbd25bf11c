"""Request bodies come with their length, and no body is larger than the largest upload.

A chunked body (``Transfer-Encoding``) is refused with 411; a body declared larger than ``API_MAX_UPLOAD_BYTES``
(and a form's own bytes) with 413, before anything reads it: Django would spool a form's file of any size to disk
before a view could look at it (the admin's forms are read by the CSRF check first).

Django reads a body by ``Content-Length``; without one it reads nothing, so a chunked body was silently taken as
empty (a POST with JSON in it answered as if it had none). Reading it instead would mean holding bodies of unknown
size before any view has said how large it may be. So it is refused, saying what to send; behind the proxy
(deploy/nginx/) chunked bodies are fine, since nginx reads them whole and passes them on with their length.
"""

from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from config.error_pages import problem_response

DETAIL = "Send the request's body with a Content-Length header (chunked transfer encoding is not accepted)."


class LengthRequiredMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_TRANSFER_ENCODING" in request.META:
            return _refused(request, HTTPStatus.LENGTH_REQUIRED, "length_required", DETAIL)
        declared = request.META.get("CONTENT_LENGTH", "")
        limit = settings.API_MAX_UPLOAD_BYTES + FORM_BYTES
        if declared.isdigit() and int(declared) > limit:
            detail = f"The body is larger than {limit} bytes."
            return _refused(request, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large", detail)
        return self.get_response(request)


FORM_BYTES = 64 * 1024  # a form's fields and boundaries, beside its file


def _refused(request: HttpRequest, status: HTTPStatus, code: str, detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem_response(status, code, detail)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")
