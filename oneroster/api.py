"""``/api/v1/imports``: an import sent as the request's body, run as a background job, followed by its URL."""

import io
import zipfile
from http import HTTPStatus

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.request import Request
from rest_framework.response import Response

from config.exceptions import DomainError
from config.fields import PresentWhenEmpty, QueryBooleanField
from config.parsers import CsvUploadParser, JSONParser, ZipUploadParser
from config.permissions import ModelPermissions
from config.schema import ProblemAutoSchema
from config.viewsets import ModelViewSet
from oneroster import jobs
from oneroster.models import ImportJob, ImportKind


class ProgressSerializer(serializers.Serializer):
    stage = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False)
    problems = serializers.ListField(child=serializers.CharField(), required=False)
    counts = serializers.DictField(child=serializers.IntegerField(), required=False)
    skipped = serializers.DictField(child=serializers.IntegerField(), required=False)
    changes = serializers.ListField(child=serializers.CharField(), required=False)


REPORT_ORDER = ("summary", "problems", "counts", "skipped", "changes")


class ImportJobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            *("id", "url", "kind", "status", "dry_run", "options", "size", "progress", "report"),
            *("created_at", "started_at", "finished_at"),
        ]
        read_only_fields = fields

    def get_url(self, job: ImportJob) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:import-detail", args=[job.pk]))

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, job: ImportJob) -> dict:
        return {"stage": job.stage, "done": job.done, "total": job.total}

    @extend_schema_field(ReportSerializer)
    def get_report(self, job: ImportJob) -> dict:
        """The report's members in one order, whatever order the database keeps them in (PostgreSQL's jsonb sorts)."""
        return {name: job.report[name] for name in REPORT_ORDER if name in job.report}


class QueryFloatField(PresentWhenEmpty, serializers.FloatField):
    pass


class ImportOptionsSerializer(serializers.Serializer):
    """The query parameters of a new import (an empty value is refused, not taken for the default)."""

    dry_run = QueryBooleanField(default=False, help_text="Report what would change; change nothing.")
    max_drop_share = QueryFloatField(
        required=False, min_value=0, max_value=1, help_text="A bundle: the largest share a bulk file may drop."
    )
    replace = QueryBooleanField(default=False, help_text="A CSV: each listed student's courses become these.")
    waitlist = QueryBooleanField(default=False, help_text="A CSV: waitlist students on full courses.")


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

    queryset = ImportJob.objects.defer("data").select_related("created_by")
    serializer_class = ImportJobSerializer
    filter_backends = []
    http_method_names = ["get", "post", "head", "options"]

    schema = UploadSchema()
    parser_classes = [ZipUploadParser, CsvUploadParser, JSONParser]  # JSON: the cancel action's (empty) body

    def list(self, request: Request, *args, **kwargs) -> Response:
        jobs.recover_abandoned()
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        jobs.recover_abandoned()
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Start an import (202: follow the job at its URL)",
        request={"application/zip": UPLOAD, "text/csv": UPLOAD},
        parameters=[ImportOptionsSerializer],
        responses={HTTPStatus.ACCEPTED: ImportJobSerializer},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        options = ImportOptionsSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        kind = KINDS.get(request.content_type.split(";")[0].strip())
        if kind is None:
            raise UnsupportedMediaType(
                request.content_type, "Send a OneRoster bundle (application/zip) or a CSV (text/csv)."
            )
        data = request.data
        if not isinstance(data, bytes) or not data:
            raise InvalidUpload("The body is empty: send the file as the request's body.")
        if kind == ImportKind.ONEROSTER and not _is_bundle(data):
            raise InvalidUpload("The body is no zip archive holding a manifest.csv.")
        values = options.validated_data
        kept = ("max_drop_share",) if kind == ImportKind.ONEROSTER else ("replace", "waitlist")
        job = jobs.submit(
            kind=kind,
            data=data,
            dry_run=values["dry_run"],
            options={name: values[name] for name in kept if name in values},
            user=request.user,
        )
        body = self.get_serializer(job).data
        return Response(body, status=HTTPStatus.ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(summary="Cancel an import no worker has started (409 otherwise)", request=None)
    @action(detail=True, methods=["post"], permission_classes=[CancelImport])
    def cancel(self, request: Request, pk: str) -> Response:
        job = jobs.cancel(job_id=self.get_object().pk)
        return Response(self.get_serializer(job).data)


def _is_bundle(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "manifest.csv" in archive.namelist()
    except zipfile.BadZipFile:
        return False
