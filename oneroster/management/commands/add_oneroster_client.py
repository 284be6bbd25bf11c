"""Registers an OAuth 2.0 client (client credentials) for the OneRoster service and prints its credentials once."""

from django.core.management.base import BaseCommand, CommandError

from oneroster.auth import SCOPE_NAMES
from oneroster.clients import register_client
from schools.models import Org


class Command(BaseCommand):
    help = "Register a OneRoster client (OAuth 2.0 client credentials); its secret is printed once, then kept hashed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="Who the client is, such as the learning platform's name.")
        parser.add_argument(
            "--scope",
            action="append",
            choices=sorted(SCOPE_NAMES),
            help="A scope it may ask for (repeat for more; default roster-core: the core reads only).",
        )
        parser.add_argument(
            "--school",
            action="append",
            metavar="SCHOOL",
            help="A school (or org above schools) whose records it reads, by name or sourcedId (repeat for more; "
            "default: the whole district).",
        )
        parser.add_argument(
            "--export", action="store_true", help="Print shell export lines (ONEROSTER_CLIENT_ID, _SECRET)."
        )

    def handle(self, *args, name: str, scope: list[str] | None, school: list[str] | None, export: bool, **options):
        scopes = [SCOPE_NAMES[short] for short in (scope or ["roster-core"])]
        schools = [_org(named) for named in school or ()]
        application, secret = register_client(name=name, scopes=scopes, schools=schools)
        if export:
            self.stdout.write(f"export ONEROSTER_CLIENT_ID={application.client_id}")
            self.stdout.write(f"export ONEROSTER_CLIENT_SECRET={secret}")
            return
        self.stdout.write(f'OneRoster client "{name}" registered (the secret is shown only now).')
        self.stdout.write(f"client_id:     {application.client_id}")
        self.stdout.write(f"client_secret: {secret}")
        self.stdout.write(f"scopes:        {' '.join(scopes)}")
        self.stdout.write(f"reads:         {', '.join(org.name for org in schools) or 'the whole district'}")


def _org(text: str) -> Org:
    try:
        return Org.objects.named(text)
    except LookupError as error:
        raise CommandError(str(error)) from None
