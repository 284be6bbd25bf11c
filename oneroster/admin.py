"""Staff register OneRoster clients here, and follow imports.

OneRoster clients: a name, and the client id and secret to hand to the client's operator.

Replaces django-oauth-toolkit's generic application admin: every client is confidential and uses the client
credentials grant (what OneRoster 1.2 requires), so staff choose nothing else. The secret is shown once, in the
message after saving; it is stored hashed.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html_join
from oauth2_provider.models import get_application_model, get_grant_model, get_id_token_model, get_refresh_token_model

from oneroster import clients, jobs
from oneroster.auth import SCOPE_NAMES
from oneroster.models import ClientScopes, ImportJob, ImportStatus

Application = get_application_model()
admin.site.unregister(Application)
for unused in (get_grant_model(), get_id_token_model(), get_refresh_token_model()):  # other grants than ours
    admin.site.unregister(unused)


class ClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=[(scope, f"{short}.readonly") for short, scope in SCOPE_NAMES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What it may read: roster-core the collections and records, roster everything but demographics.",
    )

    class Meta:
        model = Application
        fields = ["name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        held = ClientScopes.objects.filter(application_id=self.instance.pk).values_list("scopes", flat=True).first()
        self.fields["scopes"].initial = held or [SCOPE_NAMES["roster-core"]]


@admin.register(Application)
class OneRosterClientAdmin(admin.ModelAdmin):
    form = ClientForm
    view_on_site = False  # the toolkit's own pages for an application are not served here
    list_display = ["name", "client_id", "scope_list", "created", "updated"]
    list_select_related = ["oneroster_scopes"]
    search_fields = ["name", "client_id"]
    fields = ["name", "scopes", "client_id", "created", "updated"]
    readonly_fields = ["client_id", "created", "updated"]

    @admin.display(description="scopes")
    def scope_list(self, application) -> str:
        held = getattr(getattr(application, "oneroster_scopes", None), "scopes", [])
        return ", ".join(short for short, scope in SCOPE_NAMES.items() if scope in held) or "none"

    def save_model(self, request, obj, form, change) -> None:
        secret = None if change else clients.make_client(obj)
        super().save_model(request, obj, form, change)
        clients.set_scopes(application=obj, scopes=form.cleaned_data["scopes"])
        if secret is None:
            return
        messages.warning(
            request,
            f"Client id: {obj.client_id} — client secret: {secret} — copy the secret now: it is stored hashed and "
            "will not be shown again.",
        )


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

    def has_add_permission(self, request) -> bool:
        return False  # imports come over the API (POST /api/v1/imports) or from the command line

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
