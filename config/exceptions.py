"""The one base class of the errors a domain raises when it refuses a request (nothing has been changed then).

Each subclass carries its stable ``code``, the HTTP ``status`` the API answers with, and ``extra`` members for
clients; the API's error handler maps every one generically, and the admin and commands show ``detail``.
"""

from http import HTTPStatus


class DomainError(Exception):
    code = "error"
    status = HTTPStatus.BAD_REQUEST

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra
