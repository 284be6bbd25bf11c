from django.db import transaction
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from config.conditional import check_if_match
from config.fields import path_id
from config.throttling import ThrottleFirst

UNSAFE = ("PUT", "PATCH", "DELETE")


class ModelViewSet(ThrottleFirst, viewsets.ModelViewSet):
    """The API's base viewset: objects are looked up by a numeric id; an id too large to exist is not found."""

    lookup_value_regex = "[0-9]+"
    school_scoped = False  # True once everything the viewset reads and writes goes through the request's scope
    district_writes = False  # True: its reads are scoped, its writes are the district's alone (its schools, terms)

    def initial(self, request, *args, **kwargs) -> None:
        """A viewset that is not scoped school by school answers only accounts that see the whole district (403 to
        the others), so a new resource leaks nothing until it is."""
        super().initial(request, *args, **kwargs)
        if request.scope.is_district:
            return
        if not self.school_scoped or (self.district_writes and request.method not in SAFE_METHODS):
            raise PermissionDenied("Only an account that sees the whole district may do this: yours sees some schools.")

    def get_queryset(self):
        """The rows the request's scope sees: every list, detail and write of a viewset reads through here, so an
        object of another school is not found (404)."""
        return self.request.scope.visible(super().get_queryset())

    def perform_create(self, serializer) -> None:
        """A record made by an account of one school without naming its school is that school's (not the first
        school's, which may be another's); an account of several schools names it."""
        scope = self.request.scope
        if "school" in serializer.fields and "school" not in serializer.validated_data and not scope.is_district:
            if len(scope.schools) != 1:
                raise ValidationError({"school": ["Name the school: you see several."]})
            (school,) = scope.schools
            serializer.save(school_id=school)
        else:
            serializer.save()

    def lookup_id(self) -> int:
        return path_id(self.kwargs[self.lookup_url_kwarg or self.lookup_field])

    def get_object(self):
        """The object, looked up by id. A write that names a precondition (If-Match) locks the row first, until the
        write's transaction ends, and compares the ETag of the object as GET answers it."""
        pk = self.lookup_id()
        if self.request.method in UNSAFE and "If-Match" in self.request.headers:
            model = self.get_queryset().model
            list(model.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))
        instance = super().get_object()
        if self.request.method in UNSAFE:
            check_if_match(self.request, lambda: self.get_serializer(instance).data)
        return instance

    def create(self, request, *args, **kwargs) -> Response:
        with transaction.atomic():  # the object and what records it (the change feed's entry), at once
            return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs) -> Response:
        with transaction.atomic():  # the precondition, the change and the answer, at once
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs) -> Response:
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def page_of(self, queryset, serializer_class) -> Response:
        """One page of ``queryset`` (filtered by the view's filter backends), serialized."""
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(serializer_class(page, many=True).data)
