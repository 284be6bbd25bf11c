from django.conf import settings
from django.db import models


class ImportKind(models.TextChoices):
    ONEROSTER = "oneroster", "OneRoster 1.2 CSV bundle"
    CSV = "csv", "enrollments CSV"


class ImportStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ImportJob(models.Model):
    """An import sent over the API, run by a task worker: the file it carries, where it stands, what it did.

    ``report`` holds the import's changes (one line each), counts and skipped rows, or the problems that refused it.
    """

    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    dry_run = models.BooleanField(default=False)
    options = models.JSONField(default=dict, blank=True, help_text="max_drop_share; replace and waitlist (CSV).")
    data = models.BinaryField(editable=False)
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes.")
    stage = models.CharField(max_length=64, default="queued")
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "import_jobs"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"], name="import_jobs_status_idx")]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.get_kind_display()}): {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED, ImportStatus.CANCELLED)


class ClientScopes(models.Model):
    """The OneRoster scopes one OAuth client may ask for (staff choose them when registering it)."""

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="oneroster_scopes"
    )
    scopes = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "oneroster_client_scopes"
        verbose_name_plural = "client scopes"

    def __str__(self) -> str:
        return f"{self.application}: {' '.join(self.scopes) or 'no scope'}"
