from config.fields import StrictModelSerializer
from schools.models import AcademicSession, Org


class OrgSerializer(StrictModelSerializer):
    class Meta:
        model = Org
        fields = ["id", "sourced_id", "name", "type", "identifier", "parent", "created_at", "updated_at"]
        read_only_fields = fields


class AcademicSessionSerializer(StrictModelSerializer):
    class Meta:
        model = AcademicSession
        fields = [
            *("id", "sourced_id", "title", "type", "start_date", "end_date", "school_year", "parent"),
            *("created_at", "updated_at"),
        ]
        read_only_fields = fields
