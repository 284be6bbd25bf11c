"""The scope of the OneRoster client making the request (``scoping``): set by the view for the request's duration,
read by the nested collections' lookups of their parent (another school's parent is not found). Outside a request
it is nothing: only the rostering views read through it."""

from contextvars import ContextVar

from django.db.models import QuerySet

from scoping.scopes import NOTHING, Scope

CURRENT: ContextVar[Scope] = ContextVar("oneroster_client_scope", default=NOTHING)


def visible(queryset: QuerySet) -> QuerySet:
    return CURRENT.get().visible(queryset)
