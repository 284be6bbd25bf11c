"""Registering a OneRoster client: an OAuth 2.0 confidential client (client credentials) and the scopes it may ask
for. The secret is returned once; it is stored hashed."""

from django.db import transaction
from oauth2_provider.models import get_application_model

from oneroster.models import ClientScopes


def make_client(application) -> str:
    """Makes an unsaved application a OneRoster client (confidential, client credentials); returns its secret,
    generated with it: saving keeps only its hash."""
    application.client_type = application.CLIENT_CONFIDENTIAL
    application.authorization_grant_type = application.GRANT_CLIENT_CREDENTIALS
    return application.client_secret


@transaction.atomic
def register_client(*, name: str, scopes: list[str], schools=()):
    """The new client and its secret (shown only now). It reads the records of ``schools`` (orgs), or of the whole
    district when none is named."""
    application = get_application_model()(name=name)
    secret = make_client(application)
    application.save()
    set_scopes(application=application, scopes=scopes, schools=schools)
    return application, secret


def set_scopes(*, application, scopes: list[str], schools=None) -> None:
    """The OAuth scopes the client may ask for and, when given, the schools it reads (none: the district)."""
    held, _ = ClientScopes.objects.update_or_create(application=application, defaults={"scopes": sorted(scopes)})
    if schools is not None:
        held.schools.set(schools)
