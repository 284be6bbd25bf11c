from django.core.management.base import BaseCommand

from webhooks import services


class Command(BaseCommand):
    help = (
        "Encrypts every webhook signing secret under the current DJANGO_SECRET_KEY. Run it after rotating the key "
        "(the old one in DJANGO_SECRET_KEY_FALLBACKS); then the old key can be removed."
    )

    def handle(self, *args, **options) -> None:
        count = services.reseal_secrets()
        self.stdout.write(f"{count} signing secret(s) now encrypted under the current secret key.")
