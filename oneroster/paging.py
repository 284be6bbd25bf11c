"""The query parameters of OneRoster's reads (``limit``, ``offset``, ``sort``, ``orderBy``, ``filter``, ``fields``)
and what a collection's answer carries beside its records (``X-Total-Count``, RFC 8288 ``Link``)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from oneroster import filtering
from oneroster.errors import InvalidData, InvalidSelectionField

DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class Query:
    limit: int
    offset: int
    sort: str | None
    descending: bool
    filter: object | None  # the parsed filter
    fields: tuple[str, ...] | None


def _whole_number(params, name: str, default: int, minimum: int) -> int:
    text = params.get(name)
    if text is None:
        return default
    if not text.isdigit() or int(text) < minimum:
        raise InvalidData(f"{name} must be a whole number of at least {minimum}; it is {text!r}.")
    return int(text)


def selected_fields(params, properties: tuple[str, ...]) -> tuple[str, ...] | None:
    text = params.get("fields")
    if text is None:
        return None
    names = tuple(name.strip() for name in text.split(","))
    unknown = [name for name in names if name not in properties]
    if unknown:
        raise InvalidSelectionField(
            f"No such field: {', '.join(map(repr, unknown))}; select among {', '.join(properties)}."
        )
    return names


def query(params, properties: tuple[str, ...]) -> Query:
    """The parameters of a collection read; ``OneRosterError`` for any that is not as the standard writes it."""
    order = params.get("orderBy", "asc")
    if order not in ("asc", "desc"):
        raise InvalidData(f"orderBy is 'asc' or 'desc'; it is {order!r}.")
    text = params.get("filter")
    return Query(
        limit=min(_whole_number(params, "limit", DEFAULT_LIMIT, 1), settings.ONEROSTER_MAX_LIMIT),
        offset=_whole_number(params, "offset", 0, 0),
        sort=params.get("sort") or None,
        descending=order == "desc",
        filter=filtering.parse(text) if text is not None else None,
        fields=selected_fields(params, properties),
    )


def select(record: dict, fields: tuple[str, ...] | None) -> dict:
    return record if fields is None else {name: record[name] for name in fields if name in record}


def headers(url: str, params, q: Query, total: int) -> dict[str, str]:
    """``X-Total-Count``, and ``Link`` to the first, previous, next and last pages (the other parameters kept)."""

    def page(offset: int) -> str:
        kept = [(name, value) for name, value in params.items() if name not in ("limit", "offset")]
        return f"{url}?{urlencode([*kept, ('limit', q.limit), ('offset', offset)])}"

    last = max(0, (total - 1) // q.limit * q.limit)
    links = {"first": 0, "last": last}
    if q.offset > 0:
        links["prev"] = max(0, q.offset - q.limit)
    if q.offset + q.limit < total:
        links["next"] = q.offset + q.limit
    link = ", ".join(f'<{page(offset)}>; rel="{rel}"' for rel, offset in links.items())
    return {"X-Total-Count": str(total), "Link": link}
