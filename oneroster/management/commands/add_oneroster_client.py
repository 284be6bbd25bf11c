"""Registers an OAuth 2.0 client (client credentials) for the OneRoster service and prints its credentials once."""

from django.core.management.base import BaseCommand
from oauth2_provider.models import get_application_model


class Command(BaseCommand):
    help = "Register a OneRoster client (OAuth 2.0 client credentials); its secret is printed once, then kept hashed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="Who the client is, such as the learning platform's name.")
        parser.add_argument(
            "--export", action="store_true", help="Print shell export lines (ONEROSTER_CLIENT_ID, _SECRET)."
        )

    def handle(self, *args, name: str, export: bool, **options) -> None:
        Application = get_application_model()
        application = Application(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        )
        secret = application.client_secret  # generated; saving stores only its hash
        application.save()
        if export:
            self.stdout.write(f"export ONEROSTER_CLIENT_ID={application.client_id}")
            self.stdout.write(f"export ONEROSTER_CLIENT_SECRET={secret}")
            return
        self.stdout.write(f'OneRoster client "{name}" registered (the secret is shown only now).')
        self.stdout.write(f"client_id:     {application.client_id}")
        self.stdout.write(f"client_secret: {secret}")
