"""``/api/v1/imports``: an import sent as the request's body, run as a background job, followed by its URL."""

from http import HTTPStatus
from typing import IO

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, UnsupportedMediaType, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from config.exceptions import DomainError
from config.parsers import CsvUploadParser, JSONParser, UploadMultiPartParser, ZipUploadParser
from config.permissions import ModelPermissions
from config.schema import ProblemAutoSchema
from config.viewsets import ModelViewSet
from oneroster import jobs
from oneroster.api_serializers import (
    ChangesPageSerializer,
    ImportJobSerializer,
    ImportJobSummarySerializer,
    ImportOptionsSerializer,
    UploadFormSerializer,
)
from oneroster.job_files import CHANGES_PER_PAGE
from oneroster.models import ImportChangePage, ImportJob, ImportKind


class CancelImport(ModelPermissions):
    """Cancelling changes a job: ``oneroster.change_importjob``."""

    model = ImportJob
    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


UPLOAD = {"type": "string", "format": "binary", "minLength": 1}  # the file, as the body


class UploadSchema(ProblemAutoSchema):
    """A new import's body is required (drf-spectacular marks a body given as a plain schema optional)."""

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body is not None:
            body["required"] = True
        return body


class InvalidUpload(DomainError):
    """A body of the right media type that holds no file to import (empty, or a zip that is no bundle): 422, since the
    request is well formed (the schema cannot say "a zip holding manifest.csv")."""

    code = "invalid_upload"
    status = HTTPStatus.UNPROCESSABLE_ENTITY


KINDS = {ZipUploadParser.media_type: ImportKind.ONEROSTER, CsvUploadParser.media_type: ImportKind.CSV}


@extend_schema_view(
    list=extend_schema(summary="List imports (newest first)"),
    retrieve=extend_schema(summary="An import: its status, progress, and report (the changes, or every problem)"),
)
class ImportJobViewSet(ModelViewSet):
    """Imports run by a task worker: a OneRoster 1.2 CSV bundle (``application/zip``) or an enrollments CSV
    (``text/csv``, as ``import_enrollments`` takes), sent as the body. Creating one needs ``oneroster.add_importjob``
    (an import may change any student, course and enrollment)."""

    queryset = ImportJob.objects.select_related("created_by")
    serializer_class = ImportJobSerializer
    filter_backends = []
    http_method_names = ["get", "post", "head", "options"]

    schema = UploadSchema()
    # JSON: the cancel action's (empty) body
    parser_classes = [ZipUploadParser, CsvUploadParser, UploadMultiPartParser, JSONParser]

    def get_serializer_class(self):
        return ImportJobSummarySerializer if self.action == "list" else ImportJobSerializer

    def list(self, request: Request, *args, **kwargs) -> Response:
        jobs.recover_abandoned()
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        jobs.recover_abandoned()
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Start an import (202: follow the job at its URL)",
        description="The file as the body (`application/zip` for a OneRoster bundle, `text/csv` for enrollments), or "
        "as the field `file` of a `multipart/form-data` form (`curl -F file=@bundle.zip`; a zip is a bundle, "
        "anything else a CSV).",
        request={"application/zip": UPLOAD, "text/csv": UPLOAD, "multipart/form-data": UploadFormSerializer},
        parameters=[ImportOptionsSerializer],
        responses={HTTPStatus.ACCEPTED: ImportJobSerializer},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        options = ImportOptionsSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        kind, upload = _upload(request)
        if kind == ImportKind.ONEROSTER and not jobs.is_bundle(upload):
            raise InvalidUpload("The file is no zip archive holding a manifest.csv.")
        values = options.validated_data
        kept = ("max_drop_share",) if kind == ImportKind.ONEROSTER else ("replace", "waitlist")
        job = jobs.submit(
            kind=kind,
            upload=upload,
            dry_run=values["dry_run"],
            options={name: values[name] for name in kept if name in values},
            user=request.user,
        )
        body = self.get_serializer(job).data
        return Response(body, status=HTTPStatus.ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(
        summary="An import's changes, a page of 1,000 at a time (one line per change; a dry run's: what it would do)",
        parameters=[OpenApiParameter("page", int, description="From 1.")],
        responses=ChangesPageSerializer,
    )
    @action(detail=True, methods=["get"], serializer_class=ChangesPageSerializer)
    def changes(self, request: Request, pk: str) -> Response:
        job = self.get_object()
        page = _page_number(request.query_params.get("page", "1"))
        count = (job.report or {}).get("change_count", 0)
        pages = -(-count // CHANGES_PER_PAGE)
        lines = ImportChangePage.objects.filter(job=job, number=page).values_list("lines", flat=True).first()
        if lines is None and page > 1:
            raise NotFound()
        url = request.build_absolute_uri(request.path)
        return Response(
            {
                "count": count,
                "page": page,
                "pages": pages,
                "next": f"{url}?page={page + 1}" if page < pages else None,
                "previous": f"{url}?page={page - 1}" if page > 1 else None,
                "changes": lines.split("\n") if lines else [],
            }
        )

    @extend_schema(summary="Cancel an import no worker has started (409 otherwise, at once)", request=None)
    @action(detail=True, methods=["post"], permission_classes=[CancelImport])
    def cancel(self, request: Request, pk: str) -> Response:
        job = jobs.cancel(job_id=self.get_object().pk)
        return Response(self.get_serializer(job).data)


def _page_number(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 9) or int(text) < 1:
        raise ValidationError({"page": ["Must be a whole number from 1."]}, code="invalid")
    return int(text)


def _upload(request: Request) -> tuple[str, IO[bytes]]:
    """The kind of import and its file, from the body or a form's ``file`` field; an empty file is refused."""
    media_type = request.content_type.split(";")[0].strip()
    if media_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidUpload("The form has no field named file: send the file as file=@….")
        kind = jobs.kind_of(upload)
    else:
        kind = KINDS.get(media_type)
        if kind is None:
            raise UnsupportedMediaType(
                request.content_type,
                "Send a OneRoster bundle (application/zip) or a CSV (text/csv), as the body or a form's file field.",
            )
        upload = request.data  # an empty body is parsed as no data at all
    if not hasattr(upload, "seek"):
        raise InvalidUpload("The file is empty: send the file to import.")
    upload.seek(0, 2)
    if not upload.tell():
        raise InvalidUpload("The file is empty: send the file to import.")
    upload.seek(0)
    return kind, upload
