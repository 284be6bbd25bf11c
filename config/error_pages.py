"""Django's 404 and 500 pages, and the API's catch-all route: problem details under /api/, Django's pages elsewhere."""

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from config.problems import problem
from config.renderers import PROBLEM_CONTENT_TYPE


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def problem_response(status: HTTPStatus, code: str, detail: str) -> JsonResponse:
    return JsonResponse(problem(status, code, detail), status=status, content_type=PROBLEM_CONTENT_TYPE)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: problem details under /api/, Django's page elsewhere."""
    if _is_api(request):
        return problem_response(HTTPStatus.NOT_FOUND, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The API's catch-all route: a path under /api/ that names nothing (404 for every method; it changes nothing,
    so it needs no CSRF token)."""
    return problem_response(HTTPStatus.NOT_FOUND, "not_found", "Not found.")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: problem details under /api/ (never a stack trace), Django's page elsewhere."""
    if _is_api(request):
        return problem_response(HTTPStatus.INTERNAL_SERVER_ERROR, "server_error", "The server failed; it is logged.")
    return defaults.server_error(request)
