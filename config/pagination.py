from django.conf import settings
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def _small_number(value: str) -> bool:
    """ASCII digits, at most nine of them (``str.isdigit`` also takes ``²`` and other scripts' digits)."""
    return value.isascii() and value.isdigit() and len(value) <= 9


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` (from 1; past the last page is a 404) and `?page_size=` (default 50, from 1 to
    ``API_MAX_PAGE_SIZE``); a malformed page or page size is a 400."""

    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not _small_number(value) or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Must be a whole number from 1 to {self.max_page_size}."]},
                code="invalid",
            )
        return int(value)

    def get_page_number(self, request, paginator) -> str | int:
        value = request.query_params.get(self.page_query_param)
        if value is None or value in self.last_page_strings:
            return super().get_page_number(request, paginator)
        if not (value.isascii() and value.isdigit()) or value.strip("0") == "":
            raise ValidationError({self.page_query_param: ["Must be a whole number from 1."]}, code="invalid")
        return value  # any number of digits: past the last page is a 404 (Django's paginator reads it)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            elif parameter["name"] == self.page_query_param:
                parameter["schema"].update({"minimum": 1})
        return parameters
