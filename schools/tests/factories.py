import datetime as dt

import factory
from django.utils import timezone

from schools.models import AcademicSession, SessionType


class TermFactory(factory.django.DjangoModelFactory):
    """A term going on today, or (``coming=True``) one starting in a month."""

    class Meta:
        model = AcademicSession

    class Params:
        coming = False

    title = factory.Sequence(lambda n: f"Term {n}")
    type = SessionType.TERM
    start_date = factory.LazyAttribute(
        lambda term: timezone.localdate() + dt.timedelta(days=30 if term.coming else -30)
    )
    end_date = factory.LazyAttribute(lambda term: term.start_date + dt.timedelta(days=120))
    school_year = factory.LazyAttribute(lambda term: str(term.end_date.year))
