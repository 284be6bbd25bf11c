"""The one place that says which rows a scope sees, model by model. Every channel reads through ``visible`` (the
API's viewsets and selectors, OneRoster, the admin, the feed); a model without a rule is refused (``NotScoped``),
so a new model cannot be served unscoped by forgetting.

The rules: a student, a course, a teacher is seen when its school is in scope; an enrollment (and its history), a
teacher's assignment, when both ends are (a student of school A in a course of school B is seen only by accounts
that see both); an org when it is one of the scope's schools or above them; records of the whole district (its
calendar of sessions) by every scope. A district scope sees everything.
"""

from collections.abc import Callable

from django.db.models import Model, Q, QuerySet

from scoping.scopes import Scope

Rule = Callable[[Scope], Q]
_RULES: dict[type[Model], Rule | None] = {}


class NotScoped(LookupError):
    """A channel read a model that has no visibility rule: a bug to fix by giving it one."""


def by_school(*paths: str) -> Rule:
    """Seen when the school reached by each path (``"school"``, ``"course__school"``) is in scope."""

    def rule(scope: Scope) -> Q:
        return Q(**{f"{path}__in": scope.schools for path in paths})

    return rule


def by_org(path: str = "id") -> Rule:
    """Seen when the org reached by ``path`` is one of the scope's schools or above them."""
    return lambda scope: Q(**{f"{path}__in": scope.orgs})


def district_only(scope: Scope) -> Q:
    """Seen by the district's scope alone (what spans every school and has no school of its own yet)."""
    return Q(pk__in=[])


def register(model: type[Model], rule: Rule | None) -> None:
    """``rule`` is what the model's rows must match to be seen by a school scope; ``None``: every scope sees them
    all (the district's calendar)."""
    _RULES[model] = rule


def rule_of(model: type[Model]) -> Rule | None:
    try:
        return _RULES[model._meta.concrete_model]
    except KeyError:
        raise NotScoped(f"{model.__name__} has no visibility rule: register one in scoping.visibility.") from None


def visible(queryset: QuerySet, scope: Scope) -> QuerySet:
    rule = rule_of(queryset.model)
    if scope.is_district or rule is None:
        return queryset
    return queryset.filter(rule(scope))
