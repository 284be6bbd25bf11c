"""The school, its district and the term that the ``ONEROSTER_*`` settings describe, made rows when there are none:
by the migration that introduced the rows (an installation keeps its sourcedIds and ``dateLastModified``), and after
any ``migrate`` or ``flush`` that leaves both tables empty (as the permissions are), so an installation always has
its school and term. Written without signals, so the rows are no change in the feed: they are the installation's
own, as the migration made them."""

from django.conf import settings


def from_settings(org_model, session_model) -> bool:
    """Makes the settings' school (first), district and term, unless any org or session exists; says whether it did."""
    if org_model.objects.exists() or session_model.objects.exists():
        return False
    school, district, term = settings.ONEROSTER_SCHOOL, settings.ONEROSTER_DISTRICT, settings.ONEROSTER_TERM
    (home,) = org_model.objects.bulk_create(  # first: the first school is the one every student and course is at
        [
            org_model(
                sourced_id=school["sourced_id"], name=school["name"], type="school", identifier=school["identifier"]
            )
        ]
    )
    if district:
        (above,) = org_model.objects.bulk_create(
            [
                org_model(
                    sourced_id=district["sourced_id"],
                    name=district["name"],
                    type="district",
                    identifier=district["identifier"],
                )
            ]
        )
        org_model.objects.filter(pk=home.pk).update(parent=above)
    session_model.objects.bulk_create(
        [
            session_model(
                sourced_id=term["sourced_id"],
                title=term["title"],
                type="term",
                start_date=term["start_date"],
                end_date=term["end_date"],
                school_year=term["school_year"],
            )
        ]
    )
    modified = settings.ONEROSTER_MODIFIED
    org_model.objects.update(created_at=modified, updated_at=modified)
    session_model.objects.update(created_at=modified, updated_at=modified)
    return True
