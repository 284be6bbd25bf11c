from django.conf import settings
from drf_orjson_renderer.parsers import ORJSONParser
from rest_framework.exceptions import APIException


class PayloadTooLarge(APIException):
    status_code = 413
    default_code = "payload_too_large"
    default_detail = "The request body is too large."


class JSONParser(ORJSONParser):
    """orjson parsing of bodies up to ``API_MAX_BODY_BYTES``; a larger body is refused with 413 unread."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        return super().parse(_Body(body), media_type, parser_context)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args) -> bytes:
        return self.data


class RawUpload:
    """A file sent as the whole body (``curl --data-binary @file``), up to ``limit_setting`` bytes, as bytes."""

    media_type = "application/octet-stream"
    limit_setting = "API_MAX_UPLOAD_BYTES"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        limit = getattr(settings, self.limit_setting)
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise PayloadTooLarge(f"The file is larger than {limit} bytes.")
        return body


class ZipUploadParser(RawUpload):
    media_type = "application/zip"


class CsvUploadParser(RawUpload):
    media_type = "text/csv"
