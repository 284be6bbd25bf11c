"""Query-string filters shared by every list: ordering that refuses what it cannot do instead of ignoring it."""

import re

from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` with the view's ``ordering_fields``, comma-separated, each optionally ``-`` for descending. A
    term that names no such field is refused (400), not silently dropped; the schema states the grammar."""

    def _pattern(self, view) -> str:
        names = "|".join(re.escape(name) for name in view.ordering_fields)
        return f"^-?({names})(,-?({names}))*$"

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param)
        if value is None:
            return self.get_default_ordering(view)
        if not re.fullmatch(self._pattern(view), value):
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Use a comma-separated list of: {', '.join(view.ordering_fields)} (- first for descending)."
                    ]
                },
                code="invalid",
            )
        return [term.strip() for term in value.split(",")]

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["pattern"] = self._pattern(view)
        return parameters
