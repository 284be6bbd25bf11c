from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Makes sure the local development admin account exists and prints how to log in. Refuses to run unless "
        "DJANGO_DEBUG is true: production accounts are made with createsuperuser.\n"
        "Example: manage.py ensure_local_admin --username admin --password admin"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="admin")

    def handle(self, *args, username: str, password: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("ensure_local_admin is for local development only (DJANGO_DEBUG is false).")
        user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@localhost"})
        if created:
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
        state = "created" if created else "exists (its password is unchanged)"
        self.stdout.write(f"Local admin account {username!r} {state}. Log in at /admin/ as {username} / {password}.")
        self.stdout.write(f"API token: manage.py drf_create_token {username}")
