import uuid

from django.core.management.base import BaseCommand, CommandError

from schools.models import AcademicSession
from students.enrollment.writing import Actor
from students.models import Channel
from terms.closing import TermClosingRefused, close_term


def find_session(reference: str) -> AcademicSession:
    """A session by id or sourcedId."""
    if reference.isdigit():
        found = AcademicSession.objects.filter(id=int(reference)).first() if int(reference) < 2**63 else None
    else:
        try:
            found = AcademicSession.objects.filter(sourced_id=uuid.UUID(reference)).first()
        except ValueError:
            found = None
    if found is None:
        raise CommandError(f"No academic session has the id or sourcedId {reference!r}.")
    return found


class Command(BaseCommand):
    help = (
        "Closes a term and rolls its courses over into the next: every enrolled association of its courses is "
        "completed, every waitlisted one dropped (the waitlist closed), and each course is copied into the next term "
        "(new code and sourcedId, the same teachers, no students). Without --apply it is a dry run that changes "
        "nothing; with it, all or nothing.\n"
        "Example: manage.py close_term 3 --into 4   (ids or sourcedIds of academic sessions), then again with --apply"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("term", help="The term to close: its id or sourcedId.")
        parser.add_argument("--into", required=True, help="The term its courses continue in: its id or sourcedId.")
        parser.add_argument("--apply", action="store_true", help="Do it (otherwise: only say what it would do).")

    def handle(self, *args, term: str, into: str, apply: bool, **options) -> None:
        closing_term, next_term = find_session(term), find_session(into)
        try:
            closing = close_term(
                term_id=closing_term.id, into_id=next_term.id, actor=Actor(channel=Channel.COMMAND), dry_run=not apply
            )
        except TermClosingRefused as refusal:
            raise CommandError("Nothing changed: " + "; ".join(refusal.problems)) from None
        for code, copy in closing.copies:
            self.stdout.write(f"{code} → {copy}")
        self.stdout.write(("" if apply else "Dry run (nothing changed; --apply to do it): ") + closing.summary())
