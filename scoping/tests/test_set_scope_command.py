from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from scoping.scopes import scope_of_user

pytestmark = pytest.mark.django_db


def set_scope(*args: str) -> str:
    out = StringIO()
    call_command("set_scope", *args, stdout=out)
    return out.getvalue()


def test_an_account_is_given_schools_by_name_and_id(north, south):
    user = User.objects.create_user("office")
    assert set_scope("office", "--school", north.name, "--school", str(south.id)) == (
        f"office sees {', '.join(sorted([north.name, south.name]))}.\n"
    )
    assert scope_of_user(user).schools == {north.id, south.id}


def test_setting_a_scope_replaces_the_one_before(north, south):
    user = User.objects.create_user("office")
    set_scope("office", "--school", str(north.id))
    set_scope("office", "--school", str(south.sourced_id))
    assert scope_of_user(user).schools == {south.id}


def test_an_account_is_given_the_district(north):
    user = User.objects.create_user("office")
    assert set_scope("office", "--district") == "office sees the whole district.\n"
    assert scope_of_user(user).is_district


def test_an_unknown_school_changes_nothing(north):
    user = User.objects.create_user("office")
    set_scope("office", "--school", str(north.id))
    with pytest.raises(CommandError, match="No school or org is 'Nowhere'"):
        set_scope("office", "--school", "Nowhere")
    assert scope_of_user(user).schools == {north.id}


def test_an_account_made_for_a_school_office_works_in_its_school_through_the_api(north, south):
    set_scope("office", "--create", "--school", north.name)
    user = User.objects.get(username="office")
    assert not user.has_usable_password()
    assert user.has_perms(["students.view_student", "students.change_studentcourse"])
    assert not user.has_perm("students.delete_student")
    assert scope_of_user(user).schools == {north.id}


def test_an_unknown_account_is_not_made_unless_asked(north):
    with pytest.raises(CommandError, match="--create makes it"):
        set_scope("nobody", "--school", north.name)
    assert not User.objects.filter(username="nobody").exists()
