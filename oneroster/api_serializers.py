"""What ``/api/v1/imports`` says: a job in the list (its summary), a job (its report), a page of its changes, and
what a new import takes (its options, a form's file)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.fields import PresentWhenEmpty, QueryBooleanField
from oneroster.models import ImportJob


class ProgressSerializer(serializers.Serializer):
    stage = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False)
    problems = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="The first problems (IMPORT_MAX_PROBLEMS)."
    )
    problem_count = serializers.IntegerField(required=False, help_text="Every problem, kept or not.")
    counts = serializers.DictField(child=serializers.IntegerField(), required=False)
    skipped = serializers.DictField(child=serializers.IntegerField(), required=False)
    change_count = serializers.IntegerField(required=False, help_text="Lines at the changes URL, one per change.")
    changes_url = serializers.URLField(required=False, help_text="The changes, a page of 1,000 at a time.")


REPORT_ORDER = ("summary", "problems", "problem_count", "counts", "skipped", "change_count")


class ImportJobSummarySerializer(serializers.ModelSerializer):
    """A job as the list shows it: where it stands and its one-line summary (its report is at its URL)."""

    url = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            *("id", "url", "kind", "status", "dry_run", "options", "size", "progress", "summary"),
            *("created_at", "started_at", "finished_at"),
        ]
        read_only_fields = fields

    def get_url(self, job: ImportJob) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:import-detail", args=[job.pk]))

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, job: ImportJob) -> dict:
        return {"stage": job.stage, "done": job.done, "total": job.total}

    def get_summary(self, job: ImportJob) -> str:
        report = job.report or {}
        if "summary" in report:
            return report["summary"]
        count = report.get("problem_count", len(report.get("problems", [])))
        return f"Refused: {count:,} problem(s), nothing changed." if count else ""


class ImportJobSerializer(ImportJobSummarySerializer):
    report = serializers.SerializerMethodField()

    class Meta(ImportJobSummarySerializer.Meta):
        fields = [*ImportJobSummarySerializer.Meta.fields, "report"]
        read_only_fields = fields

    @extend_schema_field(ReportSerializer)
    def get_report(self, job: ImportJob) -> dict:
        """The report's members in one order, whatever order the database keeps them in (PostgreSQL's jsonb sorts)."""
        report = {name: job.report[name] for name in REPORT_ORDER if name in job.report}
        if "change_count" in report:
            url = reverse("api:import-changes", args=[job.pk])
            report["changes_url"] = self.context["request"].build_absolute_uri(url)
        return report


class ChangesPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Every change of the import.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    changes = serializers.ListField(child=serializers.CharField())


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


class UploadFormSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A OneRoster bundle (a zip) or an enrollments CSV.")
