"""The OAuth 2.0 endpoints OneRoster clients call: ``/oauth/token`` (client credentials) and ``/oauth/revoke``.

django-oauth-toolkit's views, with two things in front of them. Every request is counted, before any secret is
checked, per client address and per client id (``DJANGO_THROTTLE_OAUTH``): checking a secret costs a PBKDF2 hash
(about a quarter of a second of CPU), so an unthrottled endpoint let anyone burn the server's CPU with wrong
secrets. And only the client credentials grant reaches the toolkit (OneRoster needs no other): the others are
refused as ``unsupported_grant_type``, so that no code path of a grant we do not use (the device flow raised a
``KeyError`` on a request without ``device_code``) can be reached from outside. Every answer is the RFC 6749 JSON
error shape; ``429`` carries ``Retry-After``.
"""

import base64
import binascii
import hashlib
import json
from http import HTTPStatus
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import get_scopes_backend
from oauth2_provider.views import RevokeTokenView, TokenView

from config.throttling import refused_for

CLIENT_CREDENTIALS = "client_credentials"
MAX_CLIENT_ID = 100  # the toolkit's column; anything longer names no client


def oauth_error(status: int, error: str, description: str, **headers: str) -> HttpResponse:
    """An RFC 6749 §5.2 error answer."""
    body = json.dumps({"error": error, "error_description": description})
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name] = value
    return response


def client_id_of(request: HttpRequest) -> str:
    """The client id the request names (HTTP Basic, or the ``client_id`` parameter), whether or not it exists."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return ""
        return unquote(decoded.partition(":")[0])[:MAX_CLIENT_ID]
    return request.POST.get("client_id", "")[:MAX_CLIENT_ID]


def too_many(request: HttpRequest) -> HttpResponse | None:
    """The 429 answer when the request's address or client id is over its rate, else ``None`` (the request is
    counted under both either way)."""
    rate = settings.OAUTH_THROTTLE_RATE
    waits = [refused_for(f"oauth_address_{request.META.get('REMOTE_ADDR', '')}", rate)]
    if client := client_id_of(request):
        waits.append(refused_for(f"oauth_client_{hashlib.sha256(client.encode()).hexdigest()[:32]}", rate))
    wait = max((w for w in waits if w is not None), default=None)
    if wait is None:
        return None
    return oauth_error(
        HTTPStatus.TOO_MANY_REQUESTS,
        "slow_down",
        f"Too many token requests from this address or for this client; retry in {wait} seconds.",
        **{"Retry-After": str(wait)},
    )


class ScopedValidator(OAuth2Validator):
    """A token carries the scopes asked for that the client was given, and says so in the answer's ``scope``
    (RFC 6749 §3.3 lets the server narrow a request): a client that asks for rostering and gradebook scopes in one
    request, as Google Classroom's OneRoster check does, gets its rostering ones. When none of them was given (or the
    client was given none), the answer is ``invalid_scope``, never a token every endpoint refuses."""

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs) -> bool:
        available = set(get_scopes_backend().get_available_scopes(application=client, request=request))
        granted = [scope for scope in scopes if scope in available]
        if not granted:
            return False
        request.scopes = granted
        return True


class ClientCredentialsTokenView(TokenView):
    """``POST /oauth/token``: a bearer token for a client's id and secret (client credentials only)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if refused := too_many(request):
            return refused
        if request.POST.get("grant_type") != CLIENT_CREDENTIALS:
            return oauth_error(
                HTTPStatus.BAD_REQUEST,
                "unsupported_grant_type",
                "This server issues tokens for the client credentials grant only (grant_type=client_credentials).",
            )
        return self.authorization_flow_token_response(request)


class ThrottledRevokeTokenView(RevokeTokenView):
    """``POST /oauth/revoke``: a client revokes one of its tokens (it authenticates as at ``/oauth/token``)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return too_many(request) or super().post(request, *args, **kwargs)
