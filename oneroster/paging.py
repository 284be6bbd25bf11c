"""The query parameters of OneRoster's reads (``limit``, ``offset``, ``sort``, ``orderBy``, ``filter``, ``fields``)
and what a collection's answer carries beside its records (``X-Total-Count``, RFC 8288 ``Link``)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from oneroster import filtering
from oneroster.errors import InvalidData, InvalidSelectionField

DEFAULT_LIMIT = 100
PARAMETERS = ("limit", "offset", "sort", "orderBy", "filter", "fields")  # what a Link header carries over
INT32 = 2**31 - 1  # limit and offset are int32 in 1EdTech's OpenAPI file
MAX_SORT, MAX_FIELDS = 100, 1000  # characters (the filter's own bounds are in oneroster.filtering)


@dataclass(frozen=True)
class Query:
    limit: int
    offset: int
    sort: str | None
    descending: bool
    filter: object | None  # the parsed filter
    fields: tuple[str, ...] | None


def single(params, name: str, max_length: int | None) -> str | None:
    """A parameter given at most once and not absurdly long (a repeated one would be ambiguous, and each is carried
    into the Link header)."""
    values = params.getlist(name)
    if len(values) > 1:
        raise InvalidData(f"Give {name} once; it was given {len(values)} times.")
    if values and max_length is not None and len(values[0]) > max_length:
        raise InvalidData(f"{name} is {len(values[0])} characters long; at most {max_length} are taken.")
    return values[0] if values else None


def _whole_number(params, name: str, default: int, minimum: int) -> int:
    """An int32 of ASCII digits (``str.isdigit`` also takes ``²``, which ``int`` refuses)."""
    text = single(params, name, len(str(INT32)))
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or not minimum <= int(text) <= INT32:
        raise InvalidData(f"{name} must be a whole number from {minimum} to {INT32}; it is {text!r}.")
    return int(text)


def selected_fields(params, properties: tuple[str, ...]) -> tuple[str, ...] | None:
    """``fields``: a comma-separated list, or (as 1EdTech's OpenAPI file describes an array parameter) repeated."""
    given = params.getlist("fields")
    if not given:
        return None
    text = ",".join(given)
    if len(text) > MAX_FIELDS:
        raise InvalidSelectionField(f"fields is {len(text)} characters long; at most {MAX_FIELDS} are taken.")
    names = tuple(name.strip() for name in text.split(","))
    unknown = [name for name in names if name not in properties]
    if unknown:
        raise InvalidSelectionField(
            f"No such field: {', '.join(map(repr, unknown))}; select among {', '.join(properties)}."
        )
    return names


def query(params, properties: tuple[str, ...]) -> Query:
    """The parameters of a collection read; ``OneRosterError`` for any that is not as the standard writes it."""
    order = single(params, "orderBy", MAX_SORT)
    if order is None:
        order = "asc"
    elif order not in ("asc", "desc"):
        raise InvalidData(f"orderBy is 'asc' or 'desc'; it is {order!r}.")
    text = single(params, "filter", None)  # bounded by filtering.parse, which says so as the standard words it
    sort = single(params, "sort", MAX_SORT)
    if sort == "":
        raise InvalidSelectionField("sort names a field; it is empty.")
    return Query(
        limit=min(_whole_number(params, "limit", DEFAULT_LIMIT, 1), settings.ONEROSTER_MAX_LIMIT),
        offset=_whole_number(params, "offset", 0, 0),
        sort=sort,
        descending=order == "desc",
        filter=filtering.parse(text) if text is not None else None,
        fields=selected_fields(params, properties),
    )


def select(record: dict, fields: tuple[str, ...] | None) -> dict:
    return record if fields is None else {name: record[name] for name in fields if name in record}


def headers(url: str, params, q: Query, total: int) -> dict[str, str]:
    """``X-Total-Count``, and ``Link`` to the first, previous, next and last pages (the standard's other parameters
    kept, each bounded by ``query``; anything else the client sent is not echoed)."""
    kept = [(name, value) for name, values in params.lists() if name in PARAMETERS[2:] for value in values]

    def page(offset: int) -> str:
        return f"{url}?{urlencode([*kept, ('limit', q.limit), ('offset', offset)])}"

    last = max(0, (total - 1) // q.limit * q.limit)
    links = {"first": 0, "last": last}
    if q.offset > 0:
        links["prev"] = max(0, min(q.offset - q.limit, last))  # from past the end: the last page
    if q.offset + q.limit < total:
        links["next"] = q.offset + q.limit
    link = ", ".join(f'<{page(offset)}>; rel="{rel}"' for rel, offset in links.items())
    return {"X-Total-Count": str(total), "Link": link}
