import tempfile

from django.conf import settings
from drf_orjson_renderer.parsers import ORJSONParser
from rest_framework.exceptions import APIException
from rest_framework.parsers import MultiPartParser


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
    """A file sent as the whole body (``curl --data-binary @file``), up to ``limit_setting`` bytes, as a temporary
    file (in memory up to 1 MiB, on disk past that): read a piece at a time, never held whole. A declared length
    over the limit is refused before anything is read."""

    media_type = "application/octet-stream"
    limit_setting = "API_MAX_UPLOAD_BYTES"
    piece = 64 * 1024

    def parse(self, stream, media_type=None, parser_context=None):
        limit = getattr(settings, self.limit_setting)
        refuse_declared_length(parser_context, limit)
        upload = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 (the request keeps it)
        size = 0
        while stream is not None and (piece := stream.read(self.piece)):
            size += len(piece)
            if size > limit:
                upload.close()
                raise PayloadTooLarge(f"The file is larger than {limit} bytes.")
            upload.write(piece)
        upload.seek(0)
        return upload


def refuse_declared_length(parser_context, limit: int) -> None:
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"The file is larger than {limit} bytes.")


class ZipUploadParser(RawUpload):
    media_type = "application/zip"


class CsvUploadParser(RawUpload):
    media_type = "text/csv"


class UploadMultiPartParser(MultiPartParser):
    """A form upload (``curl -F file=@bundle.zip``, a browser's form), its declared length checked first; Django
    writes the file to a temporary file past 2.5 MB."""

    def parse(self, stream, media_type=None, parser_context=None):
        refuse_declared_length(parser_context, settings.API_MAX_UPLOAD_BYTES + 64 * 1024)  # the form's own bytes
        return super().parse(stream, media_type, parser_context)
