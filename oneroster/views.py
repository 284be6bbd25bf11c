"""The rostering service's endpoints: one collection view and one record view, configured per URL with the
collection they read, the scope they need and, for the nested ones, what their parent narrows the rows to."""

import logging
import uuid
from collections.abc import Callable
from http import HTTPStatus

from django.db import InterfaceError, OperationalError
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from config.throttling import ThrottleFirst
from oneroster import filtering, paging, scoped
from oneroster.auth import ClientCredentialsAuthentication, ClientRateThrottle, HasScope
from oneroster.errors import InvalidSelectionField, OneRosterError, UnknownObject, status_info
from oneroster.school import Links
from oneroster.sources import ORG, Records, Rows, Union
from schools.models import Org

BASE_PATH = "/ims/oneroster/rostering/v1p2"
logger = logging.getLogger(__name__)

_DRF_ERRORS = {
    exceptions.NotAuthenticated: "unauthorisedrequest",
    exceptions.AuthenticationFailed: "unauthorisedrequest",
    exceptions.PermissionDenied: "forbidden",
    exceptions.Throttled: "server_busy",
    exceptions.NotFound: "unknownobject",
}


def status_info_handler(error, context):
    """Every refusal as an ``imsx_StatusInfo`` with its code minor; other exceptions go on to Django (500)."""
    if isinstance(error, OneRosterError):
        return Response(status_info(error.code_minor, error.description), status=error.status)
    if not isinstance(error, exceptions.APIException):
        return None
    minor = next((minor for kind, minor in _DRF_ERRORS.items() if isinstance(error, kind)), "invaliddata")
    major = "unsupported" if isinstance(error, exceptions.MethodNotAllowed) else "failure"
    response = Response(status_info(minor, str(error.detail), code_major=major), status=error.status_code)
    if isinstance(error, exceptions.Throttled) and error.wait is not None:
        response["Retry-After"] = str(int(error.wait))
    if getattr(error, "auth_header", None):
        response["WWW-Authenticate"] = error.auth_header
    return response


def identifier(value: str, kind: str) -> uuid.UUID:
    """Our sourcedIds are UUIDs: anything else names nothing we hold (404, as the standard asks)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise UnknownObject(f"No {kind} has the sourcedId {value!r}.") from None


class OneRosterView(ThrottleFirst, APIView):
    authentication_classes = [ClientCredentialsAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientRateThrottle]
    renderer_classes = [JSONRenderer]
    schema = None  # described by 1EdTech's OpenAPI file, not by our API's schema
    source: Rows | Records | Union | None = None
    scope = "core"

    def get_exception_handler(self):
        return status_info_handler

    def handle_exception(self, error):
        if isinstance(error, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            error.auth_header = self.get_authenticate_header(self.request)
        if isinstance(error, OperationalError | InterfaceError):  # the database is away: as the API answers it
            logger.error("database unavailable: %s", error)
            body = status_info("server_busy", "The database is unavailable; retry later.")
            return Response(body, status=HTTPStatus.SERVICE_UNAVAILABLE, headers={"Retry-After": "5"})
        if not isinstance(error, (OneRosterError, exceptions.APIException)):
            logger.exception("OneRoster request failed", exc_info=error)
            body = status_info("internal_server_error", "The request failed on our side; it is logged.")
            return Response(body, status=HTTPStatus.INTERNAL_SERVER_ERROR)
        return super().handle_exception(error)

    def links(self) -> Links:
        return Links(self.request.build_absolute_uri(BASE_PATH))

    def initial(self, request, *args, **kwargs) -> None:
        """Once the client is known, its scope is the request's: every row read below goes through it."""
        super().initial(request, *args, **kwargs)
        self.client_scope = request.user.scope
        self._scope_set = scoped.CURRENT.set(self.client_scope)

    def finalize_response(self, request, response, *args, **kwargs):
        if hasattr(self, "_scope_set"):
            scoped.CURRENT.reset(self._scope_set)
            del self._scope_set
        return super().finalize_response(request, response, *args, **kwargs)

    def visible_records(self, records: list[dict]) -> list[dict]:
        """The records (orgs, sessions: read whole, not as rows) the client's scope sees."""
        if self.client_scope.is_district or self.source.entity is not ORG:
            return records  # the district's calendar is every school's
        seen = {str(s) for s in self.client_scope.visible(Org.objects.all()).values_list("sourced_id", flat=True)}
        return [_children_in(record, seen) for record in records if record["sourcedId"] in seen]


def _children_in(org: dict, seen: set[str]) -> dict:
    """The org's record naming only the children ``seen`` (a district's other schools are not the client's)."""
    if "children" not in org:
        return org
    return {**org, "children": [child for child in org["children"] if child["sourcedId"] in seen]}


class Collection(OneRosterView):
    """A collection; ``within(links, **url)`` gives the rows or records its parent narrows it to (and refuses an
    unknown parent), by default all of them: for a ``Union``, the rows of each of its parts."""

    within: Callable | None = None

    def get(self, request, **url):
        q = paging.query(request.query_params, self.source.entity.properties)
        links = self.links()
        base = self.within(links, **url) if self.within else None
        scope = self.client_scope
        if isinstance(self.source, Union):
            bases = (None,) * len(self.source.parts) if base is None else base
            bases = tuple(
                scope.visible(part.rows() if rows is None else rows)
                for part, rows in zip(self.source.parts, bases, strict=True)
            )
            records, total = self.source.read(bases=bases, query=q, links=links, offset=q.offset, limit=q.limit)
        elif isinstance(self.source, Rows):
            records, total = self._rows(q, links, scope.visible(self.source.rows() if base is None else base))
        else:
            records, total = self._records(
                q, self.visible_records(self.source.records(links) if base is None else base)
            )
        body = {self.source.entity.collection: [paging.select(record, q.fields) for record in records]}
        url = request.build_absolute_uri(request.path)
        return Response(body, headers=paging.headers(url, request.query_params, q, total))

    def _rows(self, q: paging.Query, links: Links, rows) -> tuple[list[dict], int]:
        source: Rows = self.source
        if q.filter is not None:
            rows = rows.filter(filtering.to_q(q.filter, source.filter_fields()))
        ordering = ["id"]
        if q.sort:
            try:
                key = source.sort_key(q.sort)
            except KeyError:
                raise InvalidSelectionField(f"Cannot sort on {q.sort!r}: no such field here.") from None
            ordering = ["id"] if key is None else [key, "id"]
        if q.descending:
            ordering = [(k.desc() if hasattr(k, "desc") else f"-{k}") for k in ordering]
        total = rows.count()
        if q.offset >= total:  # past the end (an offset may be larger than the database can take): nothing to read
            return [], total
        page = rows.order_by(*ordering)[q.offset : q.offset + q.limit]
        return [source.record(row, links) for row in page], total

    def _records(self, q: paging.Query, records: list[dict]) -> tuple[list[dict], int]:
        kinds = self.source.filter_kinds()
        if q.filter is not None:
            matches = filtering.record_matcher(q.filter, kinds)
            records = [record for record in records if matches(record)]
        if q.sort:
            if q.sort not in kinds:
                raise InvalidSelectionField(f"Cannot sort on {q.sort!r}: no such field here.")
            records = sorted(records, key=lambda r: str(r.get(q.sort, "")), reverse=q.descending)
        elif q.descending:
            records = records[::-1]
        return records[q.offset : q.offset + q.limit], len(records)


class Record(OneRosterView):
    """One record by its sourcedId."""

    def get(self, request, sourced_id: str):
        fields = paging.selected_fields(request.query_params, self.source.entity.properties)
        entity, links = self.source.entity, self.links()
        scope = self.client_scope
        if isinstance(self.source, Union):
            record = self.source.find(identifier(sourced_id, entity.single), links, scope.visible)
        elif isinstance(self.source, Rows):
            rows = scope.visible(self.source.rows())
            row = rows.filter(**{self.source.identifier: identifier(sourced_id, entity.single)}).first()
            record = None if row is None else self.source.record(row, links)
        else:
            records = self.visible_records(self.source.records(links))
            record = next((r for r in records if r["sourcedId"] == sourced_id), None)
        if record is None:
            raise UnknownObject(f"No {entity.single} has the sourcedId {sourced_id!r}.")
        return Response({entity.single: paging.select(record, fields)}, status=HTTPStatus.OK)
