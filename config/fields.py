"""Input fields and filters shared by the API's serializers and filter sets."""

from datetime import MINYEAR, UTC, datetime

from django import forms
from django.db import models
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound

MAX_ID = 2**63 - 1  # BigAutoField
MAX_ID_DIGITS = len(str(MAX_ID))


def path_id(text: str) -> int:
    """An id from a URL: ASCII digits naming 1 to 2**63-1, else ``NotFound`` (no row can have it). Checked before it is
    read as a number: Python refuses to read an integer of more than 4,300 digits (a 500 once)."""
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS) or not 1 <= int(text) <= MAX_ID:
        raise NotFound()
    return int(text)


class IdField(serializers.IntegerField):
    """A database id: a JSON integer from 1 to 2**63-1. Strings, floats, booleans and null are refused."""

    default_error_messages = {"invalid": "An id must be a JSON integer."}

    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object's id: a JSON integer from 1 to 2**63-1 (else refused as malformed: strings, floats, booleans)
    naming a row of the queryset (else ``does_not_exist``: the API's 422 ``unknown_reference``)."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "out_of_range": "An id is a whole number from 1 to 2**63-1.",
    }

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("out_of_range")
        return super().to_internal_value(data)

    def get_queryset(self):
        """Only rows the request's scope sees: another school's id names nothing (``does_not_exist``)."""
        queryset, request = super().get_queryset(), self.context.get("request")
        return queryset if request is None else request.scope.visible(queryset)


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true`` or ``false``; strings and numbers are refused."""

    def to_internal_value(self, data):
        if type(data) is not bool:
            self.fail("invalid", input=data)
        return data


class LowerCaseEmailField(serializers.EmailField):
    """An email address (a JSON string), stored lower-case and stripped, so that uniqueness is case-insensitive."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data).strip().lower()


class StrictCharField(serializers.CharField):
    """A JSON string; numbers and booleans are refused rather than turned into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer; strings, floats and booleans are refused rather than converted."""

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("invalid")
        return super().to_internal_value(data)


class PresentWhenEmpty:
    """A query-string field for which ``?name=`` is a value, validated like any other (so refused unless blank is
    allowed), not the absence of the parameter that DRF takes it for."""

    def get_value(self, dictionary):
        if self.field_name in dictionary and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


class QueryChoiceField(PresentWhenEmpty, serializers.ChoiceField):
    """A choice of the query string; a value that is none of them is refused without being repeated (it may hold
    anything, a NUL character too, which no answer of ours carries)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.error_messages["invalid_choice"] = f"Choose one of: {', '.join(map(str, self.choices))}."


class QueryBooleanField(PresentWhenEmpty, serializers.BooleanField):
    pass


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text and integer fields take only JSON strings and integers, as the schema says."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
    }
    serializer_related_field = StrictPrimaryKeyRelatedField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """Filters on a related object's id given as a query parameter (an integer from 1 to 2**63-1)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class _PresentChoiceField(filter_fields.ChoiceField):
    def clean(self, value):
        if value == "":
            raise forms.ValidationError("Choose one of the listed values.", code="invalid_choice")
        return super().clean(value)


class PresentChoiceFilter(filters.ChoiceFilter):
    """A choice given as a query parameter; ``?name=`` (an empty value) is refused, not taken for no filter."""

    field_class = _PresentChoiceField


class _PresentDateField(forms.DateField):
    def clean(self, value):
        if value == "":
            raise forms.ValidationError("Enter a date (YYYY-MM-DD).", code="invalid")
        return super().clean(value)


class PresentDateFilter(filters.DateFilter):
    """A date given as a query parameter; ``?name=`` (an empty value) is refused, not taken for no filter."""

    field_class = _PresentDateField


class PresentIsoDateTimeField(IsoDateTimeField):
    """``?name=`` (an empty value) is a value to validate, and refused, not the absence of the parameter."""

    def clean(self, value):
        if value == "":
            raise forms.ValidationError("Enter a date and time (ISO 8601).", code="invalid")
        return super().clean(value)


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 instant, compared in UTC: any RFC 3339 offset is taken (PostgreSQL refuses offsets beyond
    ±15:59, so the value never reaches it with one), and an instant whose UTC time is before the first or after the
    last one a database can hold is that first or last one (as a bound it excludes nothing). An empty value is
    refused."""

    field_class = PresentIsoDateTimeField

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(UTC)
            except OverflowError:
                value = (datetime.min if value.year == MINYEAR else datetime.max).replace(tzinfo=UTC)
        return super().filter(qs, value)
