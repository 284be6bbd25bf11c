"""``manage.py set_scope <username> --school <school>… | --district [--create]``: which schools an account sees;
``--create`` makes it (no password: an API account, in the *School office* group) when there is none."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from schools.models import Org
from scoping.scopes import scope_of_user
from scoping.services import school_office, set_scope


class Command(BaseCommand):
    help = "Sets which schools an account sees: some schools (by id, sourcedId or name), or the whole district."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--school", action="append", metavar="SCHOOL", help="a school (or an org above schools)")
        group.add_argument("--district", action="store_true", help="the whole district")
        parser.add_argument(
            "--create", action="store_true", help="make the account if there is none (in the School office group)"
        )

    def handle(self, *args, username: str, school: list[str] | None, district: bool, create: bool, **options) -> None:
        schools = None if district else [_org(name) for name in school]
        with transaction.atomic():
            user = _account(username, create)
            set_scope(user=user, schools=schools)
        scope = scope_of_user(user)
        schools = Org.objects.filter(id__in=scope.schools or ()).order_by("name").values_list("name", flat=True)
        self.stdout.write(f"{username} sees {'the whole district' if scope.is_district else ', '.join(schools)}.")


def _account(username: str, create: bool):
    users = get_user_model().objects
    try:
        return users.get_by_natural_key(username)
    except get_user_model().DoesNotExist:
        if not create:
            raise CommandError(f"No account is named {username!r} (--create makes it).") from None
    user = users.create_user(username)  # no password: it signs in with its API token
    user.groups.add(school_office())
    return user


def _org(text: str) -> Org:
    try:
        return Org.objects.named(text)
    except LookupError as error:
        raise CommandError(str(error)) from None
