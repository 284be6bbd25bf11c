"""OneRoster's ``filter`` parameter: a strict grammar (lark), its tree, and its translation into ORM queries.

``field<op>'value'`` predicates, where ``op`` is one of ``= != > >= < <= ~`` (``~``: contains, ignoring case),
field names may be dotted (``class.sourcedId``), values are single-quoted (a quote inside is doubled), and
predicates combine with `` AND `` and `` OR `` (spaces around them; AND binds tighter; parentheses group). Anything
else, and any field the collection does not have, is refused (``invalid_filter_field``) rather than ignored.
Each collection declares its fields (``FilterField``s), which turn a predicate into a ``Q``; nothing here builds
SQL from text.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from django.db.models import Q
from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, VisitError

from oneroster.errors import InvalidFilterField

GRAMMAR = r"""
?start: disjunction
?disjunction: conjunction (_OR conjunction)*
?conjunction: _term (_AND _term)*
_term: predicate | _LPAR disjunction _RPAR
predicate: FIELD OPERATOR VALUE

FIELD: /[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/
OPERATOR: /\s*(!=|>=|<=|=|>|<|~)\s*/
VALUE: /'(?:[^']|'')*'/
_AND: /\s+AND\s+/
_OR: /\s+OR\s+/
_LPAR: /\(\s*/
_RPAR: /\s*\)/
"""

ALWAYS = Q(pk__isnull=False)
NEVER = Q(pk__isnull=True)


@dataclass(frozen=True)
class Predicate:
    field: str
    op: str
    value: str


@dataclass(frozen=True)
class All:
    parts: tuple


@dataclass(frozen=True)
class Any:
    parts: tuple


class _ToNodes(Transformer):
    def predicate(self, children: list[Token]) -> Predicate:
        field, op, value = children
        return Predicate(str(field), op.strip(), value[1:-1].replace("''", "'"))

    def conjunction(self, children: list) -> All:
        return All(tuple(children))

    def disjunction(self, children: list) -> Any:
        return Any(tuple(children))


@cache
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", transformer=_ToNodes())


MAX_LENGTH, MAX_DEPTH, MAX_PREDICATES = 2000, 8, 50  # characters, nested parentheses, field<op>'value' parts


def _depth(text: str) -> int:
    """How deeply the filter's parentheses nest, outside its quoted values."""
    depth = deepest = 0
    quoted = False
    for char in text:
        if char == "'":
            quoted = not quoted  # a doubled quote inside a value toggles twice
        elif not quoted and char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif not quoted and char == ")":
            depth -= 1
    return deepest


def parse(text: str) -> Predicate | All | Any:
    """The filter's tree; ``InvalidFilterField`` naming where it went wrong when it is not a filter, or when it is
    larger than any client needs (``MAX_LENGTH`` characters, ``MAX_DEPTH`` nested parentheses, ``MAX_PREDICATES``
    predicates: the bounds keep parsing and the query it becomes small)."""
    if len(text) > MAX_LENGTH:
        raise InvalidFilterField(f"The filter is {len(text)} characters long; at most {MAX_LENGTH} are taken.")
    if "\x00" in text:
        raise InvalidFilterField("The filter holds a NUL character, which no value can.")
    if _depth(text) > MAX_DEPTH:
        raise InvalidFilterField(f"The filter nests parentheses more than {MAX_DEPTH} deep.")
    try:
        tree = _parser().parse(text.strip())
    except (LarkError, VisitError) as error:
        column = getattr(error, "column", None)
        where = f" at character {column}" if isinstance(column, int) and column > 0 else ""
        raise InvalidFilterField(
            f"The filter is malformed{where}: write field<op>'value' (op one of = != > >= < <= ~), joined by "
            "' AND ' or ' OR '."
        ) from None
    if len(predicates(tree)) > MAX_PREDICATES:
        raise InvalidFilterField(f"The filter has more than {MAX_PREDICATES} predicates.")
    return tree


def predicates(node) -> list[Predicate]:
    if isinstance(node, Predicate):
        return [node]
    return [p for part in node.parts for p in predicates(part)]


# Translation into ORM queries -----------------------------------------------------------------------------------

_LOOKUPS = {"=": "exact", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte", "~": "icontains"}


def _refuse(field: str, why: str) -> InvalidFilterField:
    return InvalidFilterField(f"The filter's {field!r}: {why}")


class FilterField:
    """How one OneRoster field is filtered: ``q(name, op, value)`` is the ``Q`` of the rows that match."""

    def q(self, name: str, op: str, value: str) -> Q:
        if op == "!=":
            return ~self.matching(name, "=", value)
        return self.matching(name, op, value)

    def matching(self, name: str, op: str, value: str) -> Q:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(FilterField):
    """A text column, compared as text; ``~`` is contains, ignoring case."""

    lookup: str

    def matching(self, name, op, value):
        return Q(**{f"{self.lookup}__{_LOOKUPS[op]}": value})


@dataclass(frozen=True)
class Identifier(FilterField):
    """A sourcedId (a UUID column): a value that is no UUID is no row's, and cannot be ordered against."""

    lookup: str

    def matching(self, name, op, value):
        if op == "~":
            return Q(**{f"{self.lookup}__icontains": value})
        try:
            identifier = uuid.UUID(value)
        except ValueError:
            if op == "=":
                return NEVER
            raise _refuse(name, "compare a sourcedId with < or > only to a sourcedId.") from None
        return Q(**{f"{self.lookup}__{_LOOKUPS[op]}": identifier})


def parse_datetime(name: str, value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _refuse(name, f"{value!r} is no ISO 8601 date-time (such as '2026-01-01T00:00:00Z').") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _refuse(name, f"{value!r} is no date of the form YYYY-MM-DD.") from None


# Every timestamp we store lies between these (each is a moment something happened here): a boundary outside them
# compares the same as one just inside, and never reaches the database (whose adapters cannot shift a moment at the
# calendar's ends into UTC, nor a date past its last day).
EARLIEST = dt.datetime(2, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9998, 12, 31, tzinfo=dt.UTC)


def _compared(lookup: str, op: str, moment: dt.datetime | None, *, after_all: bool = False) -> Q:
    """``lookup <op> moment`` for ``op`` among ``= > >= < <=``; ``moment`` ``None`` stands for the end of time when
    ``after_all``, its beginning otherwise."""
    before_everything = (moment is None and not after_all) or (moment is not None and moment < EARLIEST)
    after_everything = (moment is None and after_all) or (moment is not None and moment > LATEST)
    if before_everything:
        return ALWAYS if op in (">", ">=") else NEVER
    if after_everything:
        return ALWAYS if op in ("<", "<=") else NEVER
    return Q(**{f"{lookup}__{_LOOKUPS[op]}": moment})


@dataclass(frozen=True)
class Moment(FilterField):
    """A timestamp column (``dateLastModified``)."""

    lookup: str

    def matching(self, name, op, value):
        if op == "~":
            raise _refuse(name, "a date-time is compared with = != > >= < <=, not ~.")
        return _compared(self.lookup, op, parse_datetime(name, value))


@dataclass(frozen=True)
class Day(FilterField):
    """A date column (a row without one has no such date)."""

    lookup: str

    def matching(self, name, op, value):
        if op == "~":
            raise _refuse(name, "a date is compared with = != > >= < <=, not ~.")
        day = parse_date(name, value)
        return Q(**{f"{self.lookup}__isnull": False, f"{self.lookup}__{_LOOKUPS[op]}": day})


@dataclass(frozen=True)
class Constant(FilterField):
    """A value every row has (a student's role, the one school's sourcedId): true for all rows or for none."""

    value: str

    def matching(self, name, op, value):
        return ALWAYS if compare(self.value, op, value) else NEVER


@dataclass(frozen=True)
class Choice(FilterField):
    """A vocabulary mapped onto rows (``active``/``tobedeleted``): ``=`` and ``!=`` only."""

    rows: Mapping[str, Q]

    def matching(self, name, op, value):
        if op != "=":
            raise _refuse(name, f"compare it with = or != to one of {', '.join(sorted(self.rows))}.")
        return self.rows.get(value, NEVER)


def to_q(node, fields: Mapping[str, FilterField]) -> Q:
    """The ``Q`` of the parsed filter over a collection with these fields."""
    if isinstance(node, Predicate):
        field = fields.get(node.field)
        if field is None:
            raise _refuse(node.field, f"no such field here; filter on one of {', '.join(sorted(fields))}.")
        return field.q(node.field, node.op, node.value)
    parts = [to_q(part, fields) for part in node.parts]
    combined = parts[0]
    for part in parts[1:]:
        combined = (combined & part) if isinstance(node, All) else (combined | part)
    return combined


# Records held in memory (the school, its district, the term) ----------------------------------------------------


def compare(actual: object, op: str, value: object) -> bool:
    if op == "=":
        return actual == value
    if op == "!=":
        return actual != value
    if op == "~":
        return str(value).lower() in str(actual).lower()
    try:
        return {">": actual > value, ">=": actual >= value, "<": actual < value, "<=": actual <= value}[op]
    except TypeError:
        return False


def _values(record: Mapping, path: list[str]) -> list:
    """The values at a dotted path; lists along the way hold several (``children.sourcedId``)."""
    current = [record]
    for key in path:
        found = []
        for item in current:
            value = item.get(key) if isinstance(item, Mapping) else None
            found += value if isinstance(value, list) else [] if value is None else [value]
        current = found
    return current


def record_matcher(node, fields: Mapping[str, Callable[[str, str], object]]) -> Callable[[Mapping], bool]:
    """A test of one record against the parsed filter; ``fields`` maps each field to how its filter values parse."""
    if isinstance(node, Predicate):
        convert = fields.get(node.field)
        if convert is None:
            raise _refuse(node.field, f"no such field here; filter on one of {', '.join(sorted(fields))}.")
        if node.op == "~" and convert is not as_text:
            raise _refuse(node.field, "this value is compared with = != > >= < <=, not ~.")
        wanted, path = convert(node.field, node.value), node.field.split(".")

        def test(record: Mapping) -> bool:
            values = [convert(node.field, v) for v in _values(record, path)]
            if node.op == "!=":
                return all(compare(v, "!=", wanted) for v in values)
            return any(compare(v, node.op, wanted) for v in values)

        return test
    tests = [record_matcher(part, fields) for part in node.parts]
    if isinstance(node, All):
        return lambda record: all(test(record) for test in tests)
    return lambda record: any(test(record) for test in tests)


def as_text(name: str, value: str) -> str:
    return value
