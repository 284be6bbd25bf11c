"""Which schools an account or a client sees, from its memberships and the org tree."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from schools.models import Org, OrgType
from scoping.models import Membership
from scoping.scopes import DISTRICT, NOTHING, scope_of_orgs, scope_of_user

pytestmark = pytest.mark.django_db


def member_of(*orgs: Org) -> User:
    user = User.objects.create_user(f"staff{User.objects.count()}")
    for org in orgs:
        Membership.objects.create(user=user, org=org)
    return user


def test_a_superuser_sees_the_district():
    assert scope_of_user(User.objects.create_superuser("root")) == DISTRICT


def test_an_anonymous_request_sees_nothing():
    assert scope_of_user(AnonymousUser()) == NOTHING


def test_an_account_without_memberships_sees_nothing():
    assert scope_of_user(member_of()) == NOTHING


def test_a_member_of_the_district_sees_the_district(district):
    assert scope_of_user(member_of(district)).is_district


def test_a_member_of_a_school_sees_that_school_and_reads_the_orgs_above_it(district, north, south):
    scope = scope_of_user(member_of(north))
    assert (scope.schools, scope.orgs) == ({north.id}, {north.id, district.id})


def test_a_member_of_an_org_between_district_and_schools_sees_the_schools_below_it(district, north, south):
    area = Org.objects.create(name="East area", type=OrgType.LOCAL, parent=district)
    east = [Org.objects.create(name=f"East {n}", type=OrgType.SCHOOL, parent=area) for n in range(2)]
    scope = scope_of_user(member_of(area))
    assert scope.schools == {school.id for school in east}
    assert scope.orgs == {*(school.id for school in east), area.id, district.id}


def test_a_member_of_two_schools_sees_both(north, south):
    assert scope_of_user(member_of(north, south)).schools == {north.id, south.id}


def test_a_school_without_a_parent_is_no_district(district):
    alone = Org.objects.create(name="Charter", type=OrgType.SCHOOL)
    assert scope_of_user(member_of(alone)).schools == {alone.id}


def test_a_client_registered_for_no_orgs_in_particular_sees_the_district():
    assert scope_of_orgs(None) == DISTRICT


def test_a_client_registered_for_a_school_sees_that_school(district, north, south):
    assert scope_of_orgs([south.id]).schools == {south.id}


def test_reading_a_scope_is_one_query(django_assert_num_queries, north, south):
    user = member_of(north)
    with django_assert_num_queries(1):
        scope_of_user(user)
