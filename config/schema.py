from http import HTTPStatus

from django.conf import settings
from django.utils.module_loading import import_string
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from config.renderers import PROBLEM_CONTENT_TYPE


class ValidationErrorItemSerializer(serializers.Serializer):
    attr = serializers.CharField(allow_null=True, help_text="Dotted path of the invalid field, null for the body.")
    code = serializers.CharField()
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """Documents the problem-details body (OpenAPI only). A domain documents its own members in a subclass,
    named by the ``API_PROBLEM_SERIALIZER`` setting."""

    type = serializers.CharField(help_text="URI naming the problem type: urn:enrollments:problem:<code>.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = ValidationErrorItemSerializer(many=True, required=False, help_text="With validation_error only.")


COMMON_ERRORS = (
    HTTPStatus.UNAUTHORIZED,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_ACCEPTABLE,
    HTTPStatus.TOO_MANY_REQUESTS,
    HTTPStatus.SERVICE_UNAVAILABLE,
)
WRITE_ERRORS = (
    HTTPStatus.BAD_REQUEST,
    HTTPStatus.LENGTH_REQUIRED,  # a chunked body (config.bodies)
    HTTPStatus.CONFLICT,
    HTTPStatus.UNPROCESSABLE_ENTITY,
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
)


class ProblemAutoSchema(AutoSchema):
    """Documents, on every operation, the problem-details responses it can give besides its own."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        statuses = list(COMMON_ERRORS)
        if "{" in path:
            statuses.append(HTTPStatus.NOT_FOUND)
        if method in ("POST", "PUT", "PATCH"):
            statuses += WRITE_ERRORS
        if method == "DELETE":
            statuses.append(HTTPStatus.CONFLICT)  # a student or course with enrollment history
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            statuses.append(HTTPStatus.PRECONDITION_FAILED)  # If-Match names another representation
        if method == "GET":
            statuses += [HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND]  # bad filters; a page that does not exist
        statuses += getattr(self.view, "problem_statuses", ())  # a view's own refusals
        problem_serializer = import_string(getattr(settings, "API_PROBLEM_SERIALIZER", f"{__name__}.ProblemSerializer"))
        problem_ref = self.resolve_serializer(problem_serializer, "response").ref
        responses = operation.setdefault("responses", {})
        for status in sorted(set(statuses)):
            responses.setdefault(
                str(status.value),
                {
                    "content": {PROBLEM_CONTENT_TYPE: {"schema": problem_ref}},
                    "description": status.phrase,
                },
            )
        if method == "GET":
            responses.setdefault("304", {"description": "Not Modified: If-None-Match names the current ETag."})
        header = "If-None-Match" if method == "GET" else "If-Match"
        operation.setdefault("parameters", []).append(
            {
                "in": "header",
                "name": header,
                "required": False,
                "schema": {"type": "string"},
                "description": "ETags (RFC 9110) of representations read before: "
                + ("304 when one is current." if method == "GET" else "412, nothing changed, unless one is current."),
            }
        )
        return operation

    def _get_request_for_media_type(self, serializer, direction="request"):
        """Only DRF's partial_update takes a partial body; the association PATCH actions validate whole bodies,
        so their request schema keeps its required fields (drf-spectacular marks every PATCH body partial)."""
        if self.method == "PATCH" and getattr(self.view, "action", None) != "partial_update":
            self.method = "POST"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)


NO_NUL = "^[^\\u0000]*$"
# What Python's str.strip() removes (str.isspace), which DRF's text fields strip before checking they are not blank.
_SPACE = (
    "\\t\\n\\u000b\\u000c\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
NOT_BLANK = f"^[^\\u0000]*[^\\u0000{_SPACE}][^\\u0000]*$"


def text_holds_no_nul(result, generator, request, public):
    """drf-spectacular post-processing hook: every free-text string (no enum, format or pattern of its own) says
    it holds no NUL character, which the API refuses with 400 (PostgreSQL cannot store it); one that may not be
    empty says it holds more than white space (DRF strips it, then refuses a blank value)."""

    def visit(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and not {"enum", "format", "pattern"} & node.keys():
                node["pattern"] = NOT_BLANK if node.get("minLength", 0) >= 1 else NO_NUL
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result
