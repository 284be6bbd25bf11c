"""Imports in the admin: staff start one (a OneRoster bundle or an enrollments CSV, as the API takes them), follow
it, read what it did, and cancel a queued one. The import itself is the API's: a job a task worker runs."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join

from oneroster import jobs
from oneroster.models import ImportJob, ImportKind, ImportStatus


class StartImportForm(forms.Form):
    file = forms.FileField(
        help_text="A OneRoster 1.2 CSV bundle (a zip holding manifest.csv) or an enrollments CSV (student_email, "
        "course_code), saved as UTF-8."
    )
    dry_run = forms.BooleanField(required=False, label="Dry run: report what would change, change nothing")
    replace = forms.BooleanField(required=False, label="A CSV: each listed student's courses become these")
    waitlist = forms.BooleanField(required=False, label="A CSV: waitlist students on full courses")
    max_drop_share = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        label="A bundle: the largest share of enrollments a bulk file may drop",
        help_text="From 0 to 1; empty for the setting's default.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.API_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {settings.API_MAX_UPLOAD_BYTES:,} bytes.")
        if not upload.size:
            raise forms.ValidationError("The file is empty.")
        self.kind = jobs.kind_of(upload)
        if self.kind == ImportKind.ONEROSTER and not jobs.is_bundle(upload):
            raise forms.ValidationError("The file is a zip archive without a manifest.csv: no OneRoster bundle.")
        return upload

    def options(self) -> dict:
        values = self.cleaned_data
        if self.kind == ImportKind.ONEROSTER:
            return {} if values["max_drop_share"] is None else {"max_drop_share": values["max_drop_share"]}
        return {"replace": values["replace"], "waitlist": values["waitlist"]}


SHOWN_CHANGES = 200


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Imports sent over the API: where each stands and what it did. Read-only; a queued one can be cancelled."""

    list_display = ["id", "kind", "status", "progress", "dry_run", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind", "dry_run"]
    list_select_related = ["created_by"]
    fields = [
        *("kind", "status", "progress", "dry_run", "options", "size", "created_by"),
        *("created_at", "started_at", "finished_at", "attempts", "outcome"),
    ]
    readonly_fields = fields
    actions = ["cancel"]

    def add_view(self, request, form_url="", extra_context=None):
        """Starts an import: the file is stored with the job, and a task worker runs it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StartImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = jobs.submit(
                kind=form.kind,
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                options=form.options(),
                user=request.user,
            )
            messages.success(
                request,
                f"Import {job.pk} is queued: a task worker runs it (make worker); this page shows how it stands.",
            )
            return HttpResponseRedirect(reverse("admin:oneroster_importjob_change", args=[job.pk]))
        return TemplateResponse(
            request,
            "admin/oneroster/importjob/start.html",
            {
                **self.admin_site.each_context(request),
                "title": "Start an import",
                "opts": self.model._meta,
                "form": form,
            },
        )

    @admin.display(description="progress")
    def progress(self, job: ImportJob) -> str:
        counted = f": {job.done:,} of {job.total:,} rows" if job.total else ""
        return f"{job.stage}{counted}"

    @admin.display(description="outcome")
    def outcome(self, job: ImportJob) -> str:
        report = job.report or {}
        first = job.change_pages.filter(number=1).values_list("lines", flat=True).first() or ""
        shown = first.split("\n")[:SHOWN_CHANGES] if first else []
        lines = [report.get("summary", ""), *report.get("problems", []), *shown]
        if (count := report.get("change_count", 0)) > len(shown):
            lines.append(f"… and {count - len(shown):,} more changes (GET /api/v1/imports/{job.pk}/changes has all)")
        more = report.get("problem_count", 0) - len(report.get("problems", []))
        if more > 0:
            lines.append(f"… and {more:,} more problems")
        return format_html_join("\n", "<div>{}</div>", ((line,) for line in lines if line))

    @admin.action(description="Cancel the selected queued imports", permissions=["change"])
    def cancel(self, request, queryset) -> None:
        cancelled = 0
        for job in queryset.filter(status=ImportStatus.QUEUED):
            try:
                jobs.cancel(job_id=job.pk)
                cancelled += 1
            except jobs.JobNotCancellable:
                pass  # a worker took it meanwhile
        messages.info(request, f"{cancelled} import(s) cancelled; running and finished ones cannot be.")
