from django.conf import settings
from django.db import models
from oauth2_provider.models import AccessToken, Application


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

    The file is kept in ``chunks`` (a table of 1 MiB pieces, written and read a piece at a time, so no process holds
    it whole) until the import ends. ``report`` holds the summary, counts and skipped rows, or the first problems
    that refused it (``problem_count`` them all); the changes, one line each, are in ``change_pages``.
    """

    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    dry_run = models.BooleanField(default=False)
    options = models.JSONField(default=dict, blank=True, help_text="max_drop_share; replace and waitlist (CSV).")
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


class ImportFileChunk(models.Model):
    """A piece of an import's file, in order; the pieces are deleted when the import ends."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        db_table = "import_file_chunks"
        ordering = ["job", "seq"]
        constraints = [models.UniqueConstraint(fields=["job", "seq"], name="import_file_chunks_job_seq_uniq")]

    def __str__(self) -> str:
        return f"import {self.job_id}, piece {self.seq}"


class ImportChangePage(models.Model):
    """A page of an import's changes (``CHANGES_PER_PAGE`` lines, one change each), numbered from 1."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="change_pages")
    number = models.PositiveIntegerField()
    lines = models.TextField()

    class Meta:
        db_table = "import_change_pages"
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="import_change_pages_job_number_uniq")]

    def __str__(self) -> str:
        return f"import {self.job_id}, changes page {self.number}"


class ClientScopes(models.Model):
    """The OneRoster scopes one OAuth client may ask for (staff choose them when registering it)."""

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="oneroster_scopes"
    )
    scopes = models.JSONField(default=list, blank=True)
    schools = models.ManyToManyField(
        "schools.Org",
        blank=True,
        related_name="+",
        help_text="The schools (or orgs above schools) whose records it reads; none: the whole district's.",
    )

    class Meta:
        db_table = "oneroster_client_scopes"
        verbose_name_plural = "client scopes"

    def __str__(self) -> str:
        return f"{self.application}: {' '.join(self.scopes) or 'no scope'}"


class Client(Application):
    """A OneRoster client, as staff see it in the admin (django-oauth-toolkit's application, under OneRoster)."""

    class Meta:
        proxy = True
        verbose_name = "OneRoster client"

    def __str__(self) -> str:
        return self.name or self.client_id


class IssuedToken(AccessToken):
    """An access token issued to a OneRoster client (stored hashed): who holds one, until when; deleting revokes."""

    class Meta:
        proxy = True
        verbose_name = "issued token"
