"""Setting an account's scope (the admin's user page does the same through its memberships)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from schools.models import Org
from scoping.models import Membership

SCHOOL_OFFICE = "School office"
# What a school's office does with its records: students, courses and who takes which (read, add, change); reads
# the teachers, schools, terms and enrollment history.
_OFFICE_PERMISSIONS = (
    *(
        (app, f"{verb}_{model}")
        for app, model in (("students", "student"), ("courses", "course"), ("students", "studentcourse"))
        for verb in ("view", "add", "change")
    ),
    ("students", "view_enrollmentevent"),
    ("teachers", "view_teacher"),
    ("teachers", "view_assignment"),
    ("schools", "view_org"),
    ("schools", "view_academicsession"),
)


def school_office() -> Group:
    """The group of a school office's accounts (made with its permissions when first needed)."""
    group, made = Group.objects.get_or_create(name=SCHOOL_OFFICE)
    if made:
        wanted = Q()
        for app, codename in _OFFICE_PERMISSIONS:
            wanted |= Q(content_type__app_label=app, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
    return group


@transaction.atomic
def set_scope(*, user, schools: list[Org] | None) -> None:
    """The account sees exactly ``schools`` (orgs: schools, or orgs above schools), or the whole district (``None``)."""
    Membership.objects.filter(user=user).delete()
    Membership.objects.bulk_create([Membership(user=user, org=org) for org in ([None] if schools is None else schools)])
