"""Request bodies come with their length: a chunked body (``Transfer-Encoding``) is refused with 411.

Django reads a body by ``Content-Length``; without one it reads nothing, so a chunked body was silently taken as
empty (a POST with JSON in it answered as if it had none). Reading it instead would mean holding bodies of unknown
size before any view has said how large it may be. So it is refused, saying what to send; behind the proxy
(deploy/nginx/) chunked bodies are fine, since nginx reads them whole and passes them on with their length.
"""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

from config.error_pages import problem_response

DETAIL = "Send the request's body with a Content-Length header (chunked transfer encoding is not accepted)."


class LengthRequiredMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_TRANSFER_ENCODING" not in request.META:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return problem_response(HTTPStatus.LENGTH_REQUIRED, "length_required", DETAIL)
        return HttpResponse(DETAIL, status=HTTPStatus.LENGTH_REQUIRED, content_type="text/plain; charset=utf-8")
