from http import HTTPStatus
from typing import Any

import orjson
from drf_orjson_renderer.renderers import ORJSONRenderer

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemAwareJSONRenderer(ORJSONRenderer):
    """orjson rendering (datetimes as DRF writes them, ``...Z``); errors are labelled ``application/problem+json``."""

    options = orjson.OPT_UTC_Z

    def render(self, data: Any, media_type: str | None = None, renderer_context: dict | None = None) -> bytes:
        response = (renderer_context or {}).get("response")
        chosen = isinstance(getattr(response, "accepted_renderer", None), ProblemAwareJSONRenderer)
        if chosen and response.status_code >= HTTPStatus.BAD_REQUEST:  # not inside the browsable API's HTML page
            response["Content-Type"] = PROBLEM_CONTENT_TYPE
        return super().render(data, media_type, renderer_context)
