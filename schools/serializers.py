from django.core.exceptions import ValidationError as ModelValidationError
from rest_framework import serializers

from config.fields import StrictModelSerializer
from config.problems import INCONSISTENT
from schools.models import ORG_API_FIELDS, SESSION_API_FIELDS, AcademicSession, Org


class _Tree(StrictModelSerializer):
    """A record with a parent of its own kind: a parent that is the record itself or below it is refused."""

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        record = self.Meta.model(**{**self._current(), **attrs})
        try:
            record.clean()
        except ModelValidationError as error:
            raise serializers.ValidationError(error.message_dict, code=INCONSISTENT) from None
        return attrs

    def _current(self) -> dict:
        if self.instance is None:
            return {}
        fields = [f.name for f in self.Meta.model._meta.concrete_fields]
        return {name: getattr(self.instance, name) for name in fields}


class OrgSerializer(_Tree):
    class Meta:
        model = Org
        fields = list(ORG_API_FIELDS)
        read_only_fields = ["id", "sourced_id", "created_at", "updated_at"]
        extra_kwargs = {"parent": {"help_text": "The org above it (a school's district); empty for the top."}}


class AcademicSessionSerializer(_Tree):
    class Meta:
        model = AcademicSession
        fields = list(SESSION_API_FIELDS)
        read_only_fields = ["id", "sourced_id", "created_at", "updated_at"]
        extra_kwargs = {
            "end_date": {"help_text": "The day after the last one (exclusive, as OneRoster has it)."},
            "parent": {"help_text": "The session it is part of (a term's school year); empty for a school year."},
        }

    def validate(self, attrs: dict) -> dict:
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end <= start:
            raise serializers.ValidationError(
                {"end_date": ["A session ends after it starts: its end date is the day after its last day."]},
                code=INCONSISTENT,
            )
        return super().validate(attrs)
