"""Every API error, in one format: RFC 9457 problem details (``application/problem+json``).

Body: ``{"type", "title", "status", "detail", "code"}``; validation errors add ``"errors": [{"attr", "code",
"detail"}]`` and domain errors add their details (``"course_ids"`` for ``course_not_found``). README.md ("Errors")
lists the codes.
"""

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import set_rollback

from config.renderers import PROBLEM_CONTENT_TYPE
from students import exceptions as enrollment

logger = logging.getLogger(__name__)


# DRF's own codes that the API names differently.
CODE_ALIASES = {"invalid": "validation_error", "error": "validation_error"}

DOMAIN_ERROR_STATUS: dict[type[enrollment.EnrollmentError], HTTPStatus] = {
    enrollment.StudentNotFound: HTTPStatus.NOT_FOUND,
    enrollment.AssociationNotFound: HTTPStatus.NOT_FOUND,
    enrollment.CourseNotFound: HTTPStatus.BAD_REQUEST,
    enrollment.CourseFull: HTTPStatus.CONFLICT,
    enrollment.InvalidStatusChange: HTTPStatus.CONFLICT,
}


def problem_type(code: str) -> str:
    """The problem's ``type`` URI: a stable name per code (the README documents each one)."""
    return f"urn:enrollments:problem:{code}"


def problem(status: int, code: str, detail: str, **extra: Any) -> dict[str, Any]:
    """A problem-details body."""
    return {
        "type": problem_type(code),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }


def flatten_validation_errors(detail: Any, attr: str | None = None) -> list[dict[str, Any]]:
    """DRF's nested error structure as a flat list; ``attr`` is the dotted path (``course_ids.3``)."""
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in flatten_validation_errors(
                value, None if key == "non_field_errors" else (f"{attr}.{key}" if attr else str(key))
            )
        ]
    if isinstance(detail, list):
        errors = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            errors += flatten_validation_errors(value, f"{attr}.{index}" if nested and attr else attr)
        return errors
    return [{"attr": attr, "code": getattr(detail, "code", "invalid"), "detail": str(detail)}]


def _validation_problem(detail: Any) -> dict[str, Any]:
    """400 ``validation_error``; 409 ``conflict`` when the only trouble is a value another record holds."""
    errors = flatten_validation_errors(detail)
    summary = errors[0]["detail"] if len(errors) == 1 else f"{len(errors)} fields are invalid."
    if errors and errors[0]["attr"] and len(errors) == 1:
        summary = f"{errors[0]['attr']}: {summary}"
    if errors and all(error["code"] == "unique" for error in errors):
        return problem(HTTPStatus.CONFLICT, "conflict", summary, errors=errors)
    return problem(HTTPStatus.BAD_REQUEST, "validation_error", summary, errors=errors)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: maps every error a view can raise to a problem-details response."""
    headers: dict[str, str] = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))

    if isinstance(exc, enrollment.EnrollmentError):
        status = DOMAIN_ERROR_STATUS.get(type(exc), HTTPStatus.BAD_REQUEST)
        body = problem(status, exc.code, exc.detail, **exc.extra)
    elif isinstance(exc, exceptions.ValidationError):
        body = _validation_problem(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        code = exc.get_codes() if not isinstance(exc.detail, dict | list) else exc.default_code
        body = problem(exc.status_code, CODE_ALIASES.get(code, code), str(exc.detail))
    elif isinstance(exc, ProtectedError):
        body = problem(
            HTTPStatus.CONFLICT,
            "has_enrollment_history",
            "It has enrollment history and cannot be deleted; drop its enrollments instead.",
        )
    elif isinstance(exc, IntegrityError):
        # A unique value taken by a concurrent request between validation and the write.
        body = problem(HTTPStatus.CONFLICT, "conflict", "The request conflicts with data written meanwhile; retry it.")
    elif isinstance(exc, OperationalError | InterfaceError) or type(exc) is DatabaseError:
        logger.error("database unavailable: %s", exc)
        headers["Retry-After"] = "5"
        body = problem(
            HTTPStatus.SERVICE_UNAVAILABLE, "service_unavailable", "The database is unavailable; retry later."
        )
    else:
        return None

    set_rollback()
    return Response(body, status=body["status"], headers=headers)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _problem_response(status: HTTPStatus, code: str, detail: str) -> JsonResponse:
    return JsonResponse(problem(status, code, detail), status=status, content_type=PROBLEM_CONTENT_TYPE)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: problem details under /api/, Django's page elsewhere."""
    if _is_api(request):
        return _problem_response(HTTPStatus.NOT_FOUND, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The API's catch-all route: a path under /api/ that names nothing (404 for every method; it changes nothing,
    so it needs no CSRF token)."""
    return _problem_response(HTTPStatus.NOT_FOUND, "not_found", "Not found.")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: problem details under /api/ (never a stack trace), Django's page elsewhere."""
    if _is_api(request):
        return _problem_response(HTTPStatus.INTERNAL_SERVER_ERROR, "server_error", "The server failed; it is logged.")
    return defaults.server_error(request)


class ValidationErrorItemSerializer(serializers.Serializer):
    attr = serializers.CharField(allow_null=True, help_text="Dotted path of the invalid field, null for the body.")
    code = serializers.CharField()
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """Documents the problem-details body (OpenAPI only)."""

    type = serializers.CharField(help_text="URI naming the problem type: urn:enrollments:problem:<code>.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = ValidationErrorItemSerializer(many=True, required=False, help_text="With validation_error only.")
    course_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="The courses concerned, ascending."
    )
