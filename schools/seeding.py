"""The school, its district and the term that the ``ONEROSTER_*`` settings describe, made rows when there are none:
by the migration that introduced the rows (an installation keeps its sourcedIds and ``dateLastModified``), and after
any ``migrate`` or ``flush`` that leaves both tables empty (as the permissions are), so an installation always has
its school and term."""

from django.conf import settings


def from_settings(org_model, session_model) -> bool:
    """Makes the settings' school (first), district and term, unless any org or session exists; says whether it did."""
    if org_model.objects.exists() or session_model.objects.exists():
        return False
    school, district, term = settings.ONEROSTER_SCHOOL, settings.ONEROSTER_DISTRICT, settings.ONEROSTER_TERM
    home = org_model.objects.create(  # first: the first school is the one every student and course belongs to
        sourced_id=school["sourced_id"], name=school["name"], type="school", identifier=school["identifier"]
    )
    if district:
        home.parent = org_model.objects.create(
            sourced_id=district["sourced_id"], name=district["name"], type="district", identifier=district["identifier"]
        )
        home.save(update_fields=["parent"])
    session_model.objects.create(
        sourced_id=term["sourced_id"],
        title=term["title"],
        type="term",
        start_date=term["start_date"],
        end_date=term["end_date"],
        school_year=term["school_year"],
    )
    modified = settings.ONEROSTER_MODIFIED
    org_model.objects.update(created_at=modified, updated_at=modified)
    session_model.objects.update(created_at=modified, updated_at=modified)
    return True
