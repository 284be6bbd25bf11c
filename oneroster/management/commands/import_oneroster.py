"""Imports a OneRoster 1.2 CSV bundle (a zip); ``--dry-run`` prints what would change and changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from oneroster.bundle.importing import import_bundle
from oneroster.bundle.report import BundleRefused
from oneroster.job_files import ChangeSpool
from students.enrollment.writing import Actor
from students.models import Channel


def share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise CommandError(f"--max-drop-share is a share between 0 and 1 (0.1 is a tenth); it is {text!r}.")
    return value


class Command(BaseCommand):
    help = "Import a OneRoster 1.2 CSV bundle: students and courses by sourcedId, enrollments under the seat rule."

    def add_arguments(self, parser) -> None:
        parser.add_argument("bundle", help="The zip file (manifest.csv and the entity files).")
        parser.add_argument("--dry-run", action="store_true", help="Print what would change; change nothing.")
        parser.add_argument(
            "--max-drop-share",
            type=share,
            default=None,
            help="Refuse a bulk enrollments file that drops more than this share of the enrolled associations "
            "(default ONEROSTER_IMPORT_MAX_DROP_SHARE; 1 allows any).",
        )

    def handle(self, *args, bundle: str, dry_run: bool, max_drop_share: float | None, **options) -> None:
        if max_drop_share is None:
            max_drop_share = settings.ONEROSTER_IMPORT_MAX_DROP_SHARE
        spool = ChangeSpool()  # every change's line, printed once the import has succeeded
        try:
            report = import_bundle(
                bundle,
                actor=Actor(channel=Channel.COMMAND),
                dry_run=dry_run,
                max_drop_share=max_drop_share,
                changes=spool.add,
            )
        except BundleRefused as refusal:
            raise CommandError("\n".join([refusal.detail, *refusal.problems])) from None
        for line in spool.lines():
            self.stdout.write(line)
        for reason, count in sorted(report.skipped.items()):
            self.stdout.write(f"Skipped {count}: {reason}.")
        self.stdout.write(report.summary())
