"""Imports as background jobs: a job is stored with its file, a task worker runs it, clients follow it.

A worker marks the job running (committed, so clients see it), then, in one transaction, locks the job's row, reads
and applies the file, and records the outcome — so the job's result commits with the import's changes, or neither.
A worker that dies mid-import leaves a running job whose row no transaction holds: ``recover_abandoned`` (called
when jobs are listed, read or created) queues it again, up to ``ATTEMPTS`` times. On SQLite, where rows are not
locked, a running job is taken as abandoned once its heartbeat is ``ONEROSTER_IMPORT_STALE_SECONDS`` old.
"""

import logging
import zipfile
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_tasks import task

from config.exceptions import DomainError
from imports.problems import Problems
from oneroster import job_files
from oneroster.bundle.importing import import_bundle
from oneroster.models import ImportJob, ImportKind, ImportStatus
from students.enrollment import bulk
from students.enrollment.errors import InvalidRows
from students.enrollment.wording import counted
from students.enrollment.writing import Actor
from students.enrollment_csv import by_line, read_rows
from students.models import Channel

logger = logging.getLogger(__name__)
ATTEMPTS = 3


class JobNotCancellable(DomainError):
    code = "import_not_cancellable"
    status = 409


def kind_of(upload: IO[bytes]) -> str:
    """A file's kind of import, from its first bytes: a zip is a OneRoster bundle, anything else an enrollments CSV."""
    start = upload.read(4)
    upload.seek(0)
    return ImportKind.ONEROSTER if start == b"PK\x03\x04" else ImportKind.CSV


def is_bundle(upload: IO[bytes]) -> bool:
    """Whether the file is a zip holding a ``manifest.csv`` (read from the zip's directory only)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            return "manifest.csv" in archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False
    finally:
        upload.seek(0)


@transaction.atomic
def submit(*, kind: str, upload: IO[bytes], dry_run: bool, options: dict, user) -> ImportJob:
    """Stores the job and its file (a piece at a time) and queues it for a worker once this commits."""
    job = ImportJob.objects.create(kind=kind, dry_run=dry_run, options=options, created_by=user)
    job.size = job_files.store(job, upload)
    job.save(update_fields=["size"])
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def cancel(*, job_id: int) -> ImportJob:
    """Cancels a job that no worker has started; a running or finished one is refused (``JobNotCancellable``) at
    once: a running import holds its job's row until it ends, and is not waited for (an import applies all at once
    or not at all, so it cannot be stopped half-way)."""
    with transaction.atomic():
        try:
            job = ImportJob.objects.select_for_update(nowait=True).get(pk=job_id)
        except OperationalError:  # the row is held: a worker runs the import
            raise JobNotCancellable(f"Import {job_id} is running: only a queued import can be cancelled.") from None
        if job.status != ImportStatus.QUEUED:
            raise JobNotCancellable(f"Import {job.pk} is {job.status}: only a queued import can be cancelled.")
        job.status, job.stage, job.finished_at = ImportStatus.CANCELLED, "cancelled", timezone.now()
        job.save(update_fields=["status", "stage", "finished_at"])
        job_files.forget(job)
    return job


def recover_abandoned() -> int:
    """Queues again the running jobs whose worker died; returns how many."""
    with transaction.atomic():
        running = ImportJob.objects.filter(status=ImportStatus.RUNNING)
        if connection.vendor == "postgresql":
            grace = timedelta(seconds=settings.ONEROSTER_IMPORT_START_GRACE_SECONDS)
            stale = running.filter(started_at__lt=timezone.now() - grace)
            abandoned = list(stale.select_for_update(skip_locked=True))  # a live import holds its job's row
        else:
            since = timezone.now() - timedelta(seconds=settings.ONEROSTER_IMPORT_STALE_SECONDS)
            abandoned = list(running.filter(started_at__lt=since))
        for job in abandoned:
            retry = job.attempts < ATTEMPTS
            job.status = ImportStatus.QUEUED if retry else ImportStatus.FAILED
            job.stage = "queued again" if retry else "failed"  # its worker stopped
            if not retry:
                job.report = {"problems": [f"Its worker stopped {ATTEMPTS} times during this import."]}
                job.report["problem_count"] = 1
                job.finished_at = timezone.now()
                job_files.forget(job)
            job.save(update_fields=["status", "stage", "report", "finished_at"])
            if retry:
                transaction.on_commit(lambda pk=job.pk: run_import.enqueue(pk))
                logger.warning("import %s was abandoned by its worker; queued again", job.pk)
    return len(abandoned)


@task()
def run_import(job_id: int) -> str:
    """Runs a queued job: its outcome (succeeded, failed with every problem) is saved with the import's changes."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id, status=ImportStatus.QUEUED).first()
        if job is None:  # cancelled, or already taken
            return "not queued"
        job.status, job.stage, job.started_at = ImportStatus.RUNNING, "checking", timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "stage", "started_at", "attempts"])
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)  # held until this import commits
        if job.status != ImportStatus.RUNNING:
            return job.status
        spool = job_files.ChangeSpool()
        try:
            with transaction.atomic():
                job.report = _run(job, spool)
            job.status = ImportStatus.SUCCEEDED
            job.report["change_count"] = spool.save(job)
        except DomainError as refusal:
            job.status = ImportStatus.FAILED
            problems = refusal.extra.get("problems") or refusal.extra.get("rows") or [refusal.detail]
            job.report = {"problems": problems, "problem_count": getattr(refusal, "total", len(problems))}
        except Exception:
            logger.exception("import %s failed", job.pk)
            job.status = ImportStatus.FAILED
            job.report = {"problems": ["The import failed on our side; it is logged."], "problem_count": 1}
        job_files.forget(job)
        job.stage, job.finished_at = "done", timezone.now()
        job.save(update_fields=["status", "stage", "report", "finished_at", "done", "total"])
    return job.status


def _actor(job: ImportJob) -> Actor:
    return Actor(channel=Channel.API, user=job.created_by)


def _run(job: ImportJob, spool: job_files.ChangeSpool) -> dict:
    with job_files.opened(job) as file:
        if job.kind == ImportKind.ONEROSTER:
            return _run_bundle(job, file, spool)
        return _run_csv(job, file)


def _run_bundle(job: ImportJob, file: IO[bytes], spool: job_files.ChangeSpool) -> dict:
    report = import_bundle(
        file,
        actor=_actor(job),
        dry_run=job.dry_run,
        max_drop_share=job.options.get("max_drop_share", settings.ONEROSTER_IMPORT_MAX_DROP_SHARE),
        changes=spool.add,
    )
    job.total = job.done = report.rows
    return {"summary": report.summary(), "counts": dict(report.counts), "skipped": report.skipped}


def _run_csv(job: ImportJob, file: IO[bytes]) -> dict:
    problems = Problems()
    staged = bulk.stage(read_rows(file, problems))
    staged.add_problems_to(problems)
    if problems:
        raise InvalidRows(by_line(problems.listed()), total=problems.total)
    summary = staged.apply(
        actor=_actor(job),
        replace=job.options.get("replace", False),
        waitlist=job.options.get("waitlist", False),
        dry_run=job.dry_run,
    )
    job.total = job.done = staged.rows
    counts = {"added": summary.added, "dropped": summary.dropped, "waitlisted": summary.waitlisted}
    counts["unchanged"] = summary.unchanged
    prefix = "Dry run, nothing changed; the import would make:" if job.dry_run else "Imported:"
    summary = f"{prefix} {counted(staged.rows, 'row')}, " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "."
    return {"summary": summary, "counts": counts}
