from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from config.fields import MAX_ID
from config.throttling import ThrottleFirst


class ModelViewSet(ThrottleFirst, viewsets.ModelViewSet):
    """The API's base viewset: objects are looked up by a numeric id, and actions may narrow permissions.

    An id too large to exist is simply not found. ``permission_model``, ``permission_view_models`` and
    ``permission_methods_map`` are read by ``config.permissions.ModelPermissions``; actions set them through
    ``@action(...)`` keyword arguments.
    """

    lookup_value_regex = "[0-9]+"
    permission_model = None
    permission_view_models = ()
    permission_methods_map = None

    def lookup_id(self) -> int:
        value = int(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if not 1 <= value <= MAX_ID:
            raise NotFound()
        return value

    def get_object(self):
        self.lookup_id()
        return super().get_object()
