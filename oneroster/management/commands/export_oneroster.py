"""Writes a OneRoster 1.2 CSV bundle (a zip): bulk, or delta with ``--delta-since``."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from oneroster.bundle.export import export_bundle


def moment(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--delta-since {text!r} is no ISO 8601 date-time (such as 2026-09-01T00:00:00Z).") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = "Write a OneRoster 1.2 CSV bundle: everything (bulk), or what changed since a moment (delta)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("bundle", help="The zip file to write.")
        parser.add_argument("--delta-since", type=moment, help="Only what changed after this ISO 8601 moment.")

    def handle(self, *args, bundle: str, delta_since: dt.datetime | None, **options) -> None:
        counts = export_bundle(bundle, since=delta_since)
        mode = "delta" if delta_since else "bulk"
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(f"Wrote {bundle} ({mode}): {summary}.")
