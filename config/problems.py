"""Every API error, in one format: RFC 9457 problem details (``application/problem+json``).

Body: ``{"type", "title", "status", "detail", "code"}``; validation errors add ``"errors": [{"attr", "code",
"detail"}]`` and domain errors add their ``extra`` members. DRF's own ``exception_handler`` does the mapping
(Django's 404 and permission errors, ``WWW-Authenticate`` and ``Retry-After`` headers, rolling back the request's
transaction); this reshapes its answer into the problem envelope. README.md ("Errors") lists the codes.
"""

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from config.exceptions import DomainError

logger = logging.getLogger(__name__)

# DRF's own codes that the API names differently.
CODE_ALIASES = {"invalid": "validation_error", "error": "validation_error"}


class Conflict(exceptions.APIException):
    status_code = HTTPStatus.CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with data written meanwhile; retry it."


class ServiceUnavailable(exceptions.APIException):
    status_code = HTTPStatus.SERVICE_UNAVAILABLE
    default_code = "service_unavailable"
    default_detail = "The database is unavailable; retry later."

    def __init__(self) -> None:
        super().__init__()
        self.wait = 5


class DomainProblem(exceptions.APIException):
    """A domain's refusal, carried through DRF's handler with its own status, code and members."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.detail, error.code)
        self.status_code = int(error.status)
        self.error = error


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


INCONSISTENT = "inconsistent"  # the code of a validation error whose values are each well-formed, together not


def _validation_problem(detail: Any) -> dict[str, Any]:
    """400 ``validation_error``; 409 ``conflict`` when the only trouble is a value another record holds; 422
    ``unknown_reference`` when a well-formed body names a related record (a school, a term, a teacher) that does not
    exist, beside values another record holds or not; 422 ``inconsistent`` when well-formed values contradict each
    other or the data (an end before its start, a parent inside the record itself)."""
    errors = flatten_validation_errors(detail)
    summary = errors[0]["detail"] if len(errors) == 1 else f"{len(errors)} fields are invalid."
    if errors and errors[0]["attr"] and len(errors) == 1:
        summary = f"{errors[0]['attr']}: {summary}"
    if errors and all(error["code"] == "unique" for error in errors):
        return problem(HTTPStatus.CONFLICT, "conflict", summary, errors=errors)
    if errors and all(error["code"] in ("unique", "does_not_exist") for error in errors):
        return problem(HTTPStatus.UNPROCESSABLE_ENTITY, "unknown_reference", summary, errors=errors)
    if errors and all(error["code"] == INCONSISTENT for error in errors):
        return problem(HTTPStatus.UNPROCESSABLE_ENTITY, INCONSISTENT, summary, errors=errors)
    return problem(HTTPStatus.BAD_REQUEST, "validation_error", summary, errors=errors)


def _as_api_exception(exc: Exception) -> Exception:
    """What DRF's handler does not know, as an APIException it does."""
    if isinstance(exc, DomainError):
        return DomainProblem(exc)
    if isinstance(exc, Http404):  # DRF would pass on the message; the API says only "Not found."
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(serializers.as_serializer_error(exc))
    if isinstance(exc, IntegrityError):  # a unique value taken by a concurrent request after validation
        return Conflict()
    if isinstance(exc, OperationalError | InterfaceError) or type(exc) is DatabaseError:
        logger.error("database unavailable: %s", exc)
        return ServiceUnavailable()
    return exc


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: DRF's own handler, its answer reshaped into problem details."""
    exc = _as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, DomainProblem):
        response.data = problem(exc.status_code, exc.error.code, exc.error.detail, **exc.error.extra)
    elif isinstance(exc, exceptions.ValidationError):
        response.data = _validation_problem(exc.detail)
        response.status_code = response.data["status"]
    else:
        code = exc.get_codes() if not isinstance(exc.detail, dict | list) else exc.default_code
        response.data = problem(exc.status_code, CODE_ALIASES.get(code, code), str(exc.detail))
    return response
