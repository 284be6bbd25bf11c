"""OneRoster's errors: each answers with its HTTP status and an ``imsx_StatusInfo`` body carrying its code minor."""

from http import HTTPStatus


class OneRosterError(Exception):
    code_minor = "invaliddata"
    status = HTTPStatus.BAD_REQUEST

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class InvalidFilterField(OneRosterError):
    code_minor = "invalid_filter_field"


class InvalidSelectionField(OneRosterError):
    code_minor = "invalid_selection_field"


class InvalidData(OneRosterError):
    code_minor = "invaliddata"


class UnknownObject(OneRosterError):
    code_minor = "unknownobject"
    status = HTTPStatus.NOT_FOUND


def status_info(code_minor: str, description: str, *, code_major: str = "failure") -> dict:
    """The ``imsx_StatusInfo`` body of an error (OneRoster 1.2, ``imsx_StatusInfoDType``)."""
    return {
        "imsx_codeMajor": code_major,
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_CodeMinor": {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": code_minor}
            ]
        },
    }
