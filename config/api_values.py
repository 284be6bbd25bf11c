"""Values as the API renders them, for code that writes a representation without a serializer (the change feed)."""

import uuid
from datetime import date, datetime
from typing import Any

from django.utils import timezone


def api_value(value: Any) -> Any:
    """A field's value as the API renders it (DRF's ISO 8601 datetimes: in the current time zone, UTC as ``Z``;
    dates as YYYY-MM-DD; UUIDs as text)."""
    if isinstance(value, datetime):
        text = timezone.localtime(value).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value
