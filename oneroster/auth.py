"""Who may read the rostering service: OAuth 2.0 clients (client credentials, django-oauth-toolkit) holding one of
the scopes an endpoint accepts; each client's requests are counted against its own rate."""

from dataclasses import dataclass

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.scopes import SettingsScopes
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from config.throttling import FailOpen, SlidingWindowRateThrottle
from scoping.scopes import DISTRICT, Scope, scope_of_orgs

SCOPE_PREFIX = "https://purl.imsglobal.org/spec/or/v1p2/scope/"
CORE = SCOPE_PREFIX + "roster-core.readonly"
ROSTER = SCOPE_PREFIX + "roster.readonly"
DEMOGRAPHICS = SCOPE_PREFIX + "roster-demographics.readonly"
# What each kind of endpoint accepts (1EdTech's OpenAPI file: the collections and single records are core, the
# nested collections need roster.readonly, demographics their own scope).
ACCEPTED = {"core": (ROSTER, CORE), "roster": (ROSTER,), "demographics": (DEMOGRAPHICS,)}
SCOPE_NAMES = {"roster-core": CORE, "roster": ROSTER, "roster-demographics": DEMOGRAPHICS}  # short names


class ClientScopesBackend(SettingsScopes):
    """A client may ask for the scopes staff gave it (``ClientScopes``), and no other: none until they do."""

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        every = super().get_available_scopes(application, request, *args, **kwargs)
        if application is None:
            return every
        from oneroster.models import ClientScopes

        allowed = ClientScopes.objects.filter(application=application).values_list("scopes", flat=True).first()
        return [scope for scope in every if scope in (allowed or [])]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        """A token asked for without a scope carries every scope the client was given (RFC 6749 §3.3 lets the
        server choose): one that carried none would be refused everywhere."""
        return self.get_available_scopes(application, request, *args, **kwargs)


EXPIRED = "The access token has expired, was revoked or is unknown: ask /oauth/token for a new one."


@dataclass(frozen=True)
class Client:
    """The OAuth client behind a request, standing where a user would (it is no account of ours), with the scope
    it reads (``scoping``: the request's scope is the client's)."""

    client_id: str
    name: str
    scope: Scope = DISTRICT
    pk = None
    is_authenticated = True
    is_active = True
    is_staff = False
    is_superuser = False
    username = ""


class ClientCredentialsAuthentication(OAuth2Authentication):
    www_authenticate_realm = "oneroster"

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            if request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer ":  # a token, and not a good one
                raise AuthenticationFailed(EXPIRED)
            return None
        _, token = found
        application = token.application
        client = Client(client_id=application.client_id, name=application.name, scope=_scope_of(application))
        return client, token


def _scope_of(application) -> Scope:
    """The schools the client was registered for (``ClientScopes.schools``); none: the whole district."""
    from oneroster.models import ClientScopes

    schools = [s for s in ClientScopes.objects.filter(application=application).values_list("schools", flat=True) if s]
    return scope_of_orgs(schools) if schools else DISTRICT


class HasScope(BasePermission):
    """The token holds one of the scopes the view's ``scope`` kind accepts."""

    message = "The access token lacks the scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None or not hasattr(token, "scope"):
            return False
        held = set(token.scope.split())
        if any(scope in held for scope in ACCEPTED[view.scope]):
            return True
        needed = " or ".join(ACCEPTED[view.scope])
        self.message = (
            f"The access token lacks the scope this endpoint needs: {needed}. Ask /oauth/token for a token with it "
            "(scope=…); staff give a client its scopes in the admin."
        )
        return False


class ClientRateThrottle(FailOpen, SlidingWindowRateThrottle):
    """``DJANGO_THROTTLE_ONEROSTER`` per client (per address before authentication)."""

    scope = "oneroster"

    def get_cache_key(self, request, view) -> str:
        client = getattr(request.user, "client_id", None)
        return f"throttle_oneroster_{client or self.get_ident(request)}"
