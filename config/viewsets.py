from django.db import transaction
from rest_framework import viewsets
from rest_framework.response import Response

from config.conditional import check_if_match
from config.fields import path_id
from config.throttling import ThrottleFirst

UNSAFE = ("PUT", "PATCH", "DELETE")


class ModelViewSet(ThrottleFirst, viewsets.ModelViewSet):
    """The API's base viewset: objects are looked up by a numeric id; an id too large to exist is not found."""

    lookup_value_regex = "[0-9]+"

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
