"""``manage.py drf_create_token USERNAME``: DRF's command and its output line, backed by hashed tokens.

Scripts in the wild read "Generated token <key> for user <name>", so that line stays as DRF printed it. What
changed: each run makes a new token (DRF's returned the one existing key, which can no longer be read back, since
only its digest is stored), and the key is printed this once.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import tokens

UserModel = get_user_model()


class Command(BaseCommand):
    help = (
        "Makes an API token for USERNAME and prints its key (shown this once; only its digest is stored). "
        "Example: manage.py drf_create_token admin --name 'SIS sync' --days 90"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", type=str)
        parser.add_argument(
            "-r", "--reset", action="store_true", dest="reset_token", help="Revoke the user's other tokens first."
        )
        parser.add_argument("--name", default="", help="What the token is for (shown to staff and to its owner).")
        lifetime = parser.add_mutually_exclusive_group()
        lifetime.add_argument("--days", type=int, help="Days until it expires (default: API_TOKEN_DAYS).")
        lifetime.add_argument("--no-expiry", action="store_true", help="A token that never expires.")

    def handle(self, *args, username: str, reset_token: bool, name: str, days, no_expiry: bool, **options) -> None:
        try:
            user = UserModel._default_manager.get_by_natural_key(username)
        except UserModel.DoesNotExist:
            raise CommandError(f"Cannot create the Token: user {username} does not exist") from None
        if days is not None and not 1 <= days <= 3650:
            raise CommandError("--days must be from 1 to 3650.")
        if len(name) > 100:
            raise CommandError("--name takes at most 100 characters.")
        if reset_token:
            tokens.revoke_all(user=user)
        lifetime = {"lifetime": None} if no_expiry else {"lifetime": dt.timedelta(days=days)} if days else {}
        _, key = tokens.create_token(user=user, name=name, **lifetime)
        self.stdout.write(f"Generated token {key} for user {username}")
