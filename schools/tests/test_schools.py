"""The district's shape as rows: the settings' school, district and term made rows with their sourcedIds, the
rules every org and session keeps, and the admin pages staff keep them in."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from schools.models import AcademicSession, Org, OrgType, SessionType
from schools.seeding import from_settings

pytestmark = pytest.mark.django_db


def test_the_settings_school_and_term_are_rows_with_their_sourced_ids_and_stamps():
    school = Org.objects.get(type=OrgType.SCHOOL)
    term = AcademicSession.objects.get(type=SessionType.TERM)

    assert (str(school.sourced_id), school.name) == (
        settings.ONEROSTER_SCHOOL["sourced_id"],
        settings.ONEROSTER_SCHOOL["name"],
    )
    assert (str(term.sourced_id), term.start_date, term.end_date, term.school_year) == (
        settings.ONEROSTER_TERM["sourced_id"],
        settings.ONEROSTER_TERM["start_date"],
        settings.ONEROSTER_TERM["end_date"],
        settings.ONEROSTER_TERM["school_year"],
    )
    assert school.updated_at == term.updated_at == settings.ONEROSTER_MODIFIED


def test_a_configured_district_becomes_the_schools_parent(settings):
    Org.objects.all().delete()
    AcademicSession.objects.all().delete()
    settings.ONEROSTER_DISTRICT = {
        "sourced_id": "7d1c0f3e-2a4b-4c5d-8e6f-0a1b2c3d4e5f",
        "name": "Springfield",
        "identifier": "",
    }

    assert from_settings(Org, AcademicSession)

    school = Org.objects.get(type=OrgType.SCHOOL)
    assert (school.parent.name, school.parent.type) == ("Springfield", OrgType.DISTRICT)
    assert Org.objects.order_by("id").first() == school  # the first school: every student's and course's


def test_rows_staff_made_are_never_replaced_by_the_settings():
    Org.objects.all().delete()
    Org.objects.create(name="Hill Valley High")

    assert not from_settings(Org, AcademicSession)
    assert list(Org.objects.values_list("name", flat=True)) == ["Hill Valley High"]


def test_a_session_ends_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        AcademicSession.objects.create(
            title="Backwards", start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 1, 1), school_year="2027"
        )


def test_an_org_is_not_its_own_parent():
    org = Org.objects.get(type=OrgType.SCHOOL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Org.objects.filter(pk=org.pk).update(parent=org)


def test_staff_add_a_school_under_the_district_in_the_admin(admin_client):
    district = Org.objects.create(name="Springfield", type=OrgType.DISTRICT)

    response = admin_client.post(
        "/admin/schools/org/add/",
        {"name": "Shelbyville High", "type": "school", "identifier": "SH", "parent": district.pk},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Org.objects.get(name="Shelbyville High").parent == district


def test_staff_are_told_a_term_must_end_after_it_starts(admin_client):
    response = admin_client.post(
        "/admin/schools/academicsession/add/",
        {
            "title": "Spring",
            "type": "term",
            "start_date": "2027-01-10",
            "end_date": "2027-01-01",
            "school_year": "2027",
        },
    )

    assert response.status_code == HTTPStatus.OK  # the form again
    assert "A session ends after it starts" in response.content.decode()
    assert not AcademicSession.objects.filter(title="Spring").exists()


def test_the_first_school_and_term_cannot_be_deleted_in_the_admin(admin_client):
    school, term = Org.objects.first_school(), AcademicSession.objects.first_term()

    assert (
        admin_client.post(f"/admin/schools/org/{school.pk}/delete/", {"post": "yes"}).status_code
        == HTTPStatus.FORBIDDEN
    )
    assert (
        admin_client.post(f"/admin/schools/academicsession/{term.pk}/delete/", {"post": "yes"}).status_code
        == HTTPStatus.FORBIDDEN
    )
    assert Org.objects.filter(pk=school.pk).exists()
    assert AcademicSession.objects.filter(pk=term.pk).exists()


def test_another_school_can_be_deleted(admin_client):
    other = Org.objects.create(name="Shelbyville High")

    response = admin_client.post(f"/admin/schools/org/{other.pk}/delete/", {"post": "yes"})

    assert response.status_code == HTTPStatus.FOUND
    assert not Org.objects.filter(pk=other.pk).exists()


def test_a_district_cannot_be_put_inside_its_own_school(admin_client):
    district = Org.objects.create(name="Springfield", type=OrgType.DISTRICT)
    school = Org.objects.create(name="Springfield High", parent=district)

    response = admin_client.post(
        f"/admin/schools/org/{district.pk}/change/",
        {"name": "Springfield", "type": "district", "identifier": "", "parent": school.pk},
    )

    assert response.status_code == HTTPStatus.OK  # the form again
    assert "This would put it inside itself" in response.content.decode()
    district.refresh_from_db()
    assert district.parent is None


def test_an_org_chosen_as_its_own_parent_is_told_so(admin_client):
    school = Org.objects.create(name="Shelbyville High")

    response = admin_client.post(
        f"/admin/schools/org/{school.pk}/change/", {"name": "Shelbyville High", "type": "school", "parent": school.pk}
    )

    assert "This would put it inside itself" in response.content.decode()
    school.refresh_from_db()
    assert school.parent is None
