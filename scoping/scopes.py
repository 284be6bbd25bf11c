"""An account's or a client's scope: the whole district, or some schools (and the orgs above them, which they
may read). Computed once per request from the memberships and the org tree (a small table: one query)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from schools.models import Org, OrgType


@dataclass(frozen=True)
class Scope:
    """``schools`` and ``orgs`` are ids; ``None`` means every one (the district)."""

    schools: frozenset[int] | None
    orgs: frozenset[int] | None

    @property
    def is_district(self) -> bool:
        return self.schools is None

    def sees_school(self, school_id: int | None) -> bool:
        return self.schools is None or school_id in self.schools

    def visible(self, queryset):
        """The rows of ``queryset`` this scope may see (``visibility``: every model has its rule)."""
        from scoping.visibility import visible

        return visible(queryset, self)

    def __str__(self) -> str:
        return "the district" if self.is_district else f"schools {sorted(self.schools)}"


DISTRICT = Scope(schools=None, orgs=None)
NOTHING = Scope(schools=frozenset(), orgs=frozenset())


def scope_of_user(user) -> Scope:
    """A superuser's is the district; any other account's, its memberships' (none: nothing)."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if isinstance(scope := getattr(user, "scope", None), Scope):  # a client of ours carries its own (OneRoster's)
        return scope
    if user.is_superuser:
        return DISTRICT
    from scoping.models import Membership

    memberships = Membership.objects.filter(user_id=user.pk)
    tree = Org.objects.annotate(
        member=Exists(memberships.filter(org_id=OuterRef("id"))), district=Exists(memberships.filter(org=None))
    ).values_list("id", "parent_id", "type", "member", "district")
    rows = list(tree)
    if any(row[4] for row in rows):  # a membership of the whole district
        return DISTRICT
    return _scope(row[:4] for row in rows)


def scope_of_orgs(org_ids: Iterable[int] | None) -> Scope:
    """The scope of a client registered for these orgs (``None``: the district)."""
    if org_ids is None:
        return DISTRICT
    wanted = set(org_ids)
    return _scope((i, parent, kind, i in wanted) for i, parent, kind in Org.objects.values_list("id", "parent", "type"))


def _scope(tree: Iterable[tuple[int, int | None, str, bool]]) -> Scope:
    """From every org (id, parent, type, whether the scope is granted on it): a root other than a school granted
    is the district; otherwise the schools at or below a granted org, and their ancestors to read."""
    parents, kinds, granted = {}, {}, set()
    for org_id, parent_id, kind, member in tree:
        parents[org_id], kinds[org_id] = parent_id, kind
        if member:
            granted.add(org_id)
    if any(parents[o] is None and kinds[o] != OrgType.SCHOOL for o in granted):
        return DISTRICT
    schools = frozenset(o for o, kind in kinds.items() if kind == OrgType.SCHOOL and _under(o, granted, parents))
    orgs = set()
    for school in schools:
        org, steps = school, 0
        while org is not None and org not in orgs and steps <= len(parents):
            orgs.add(org)
            org, steps = parents.get(org), steps + 1
    return Scope(schools=schools, orgs=frozenset(orgs))


def _under(org: int, granted: set[int], parents: dict[int, int | None]) -> bool:
    steps = 0
    while org is not None and steps <= len(parents):  # a loop (refused on save) cannot hang the request
        if org in granted:
            return True
        org, steps = parents.get(org), steps + 1
    return False
