"""Making, listing and revoking API tokens: what the admin, ``drf_create_token`` and the owners' API all call.

A token's key is returned once, by ``create_token``; only its digest is stored. Who may make a token for whom is
decided here too: anyone for themselves, and only a superuser for another account (a token acts with all of its
account's rights, so making one for a more powerful account would be a way to gain them).
"""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from knox.settings import knox_settings

from accounts.models import ApiToken
from config.exceptions import DomainError

_DEFAULT = object()


class TokenForbidden(DomainError):
    status = 403
    code = "permission_denied"


def may_make_token_for(*, maker: AbstractBaseUser, owner: AbstractBaseUser) -> bool:
    return maker.pk == owner.pk or maker.is_superuser


@transaction.atomic
def create_token(
    *,
    user: AbstractBaseUser,
    name: str = "",
    lifetime: dt.timedelta | object | None = _DEFAULT,
    created_by: AbstractBaseUser | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key (shown once). ``lifetime`` ``None`` never expires; by default the
    configured ``API_TOKEN_DAYS``. ``created_by`` (staff in the admin) must be allowed to make it. The user's expired
    tokens are deleted on the way."""
    if created_by is not None and not may_make_token_for(maker=created_by, owner=user):
        raise TokenForbidden("Only a superuser may make a token for another account.")
    ApiToken.objects.filter(user=user).expired().delete()
    expiry = knox_settings.TOKEN_TTL if lifetime is _DEFAULT else lifetime
    return ApiToken.objects.create(user, expiry=expiry, name=name, created_by=created_by or user)


def tokens_of(*, user: AbstractBaseUser) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (expired ones included until they are cleaned up)."""
    return ApiToken.objects.filter(user=user)


def revoke(*, user: AbstractBaseUser, token_id: int) -> bool:
    """Deletes one of the user's own tokens; whether there was such a token."""
    deleted, _ = ApiToken.objects.filter(user=user, id=token_id).delete()
    return deleted > 0


def revoke_all(*, user: AbstractBaseUser) -> int:
    """Deletes every token of the user (as when an account is compromised); how many there were."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted
