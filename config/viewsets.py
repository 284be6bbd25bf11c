from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from config.fields import MAX_ID
from config.throttling import ThrottleFirst


class ModelViewSet(ThrottleFirst, viewsets.ModelViewSet):
    """The API's base viewset: objects are looked up by a numeric id; an id too large to exist is not found."""

    lookup_value_regex = "[0-9]+"

    def lookup_id(self) -> int:
        value = int(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if not 1 <= value <= MAX_ID:
            raise NotFound()
        return value

    def get_object(self):
        self.lookup_id()
        return super().get_object()

    def page_of(self, queryset, serializer_class) -> Response:
        """One page of ``queryset`` (filtered by the view's filter backends), serialized."""
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(serializer_class(page, many=True).data)
