"""``Authorization: Token <key>``: django-rest-knox's authentication, with the token's user read by one lean query.

Knox hashes the key it is given (SHA-512: the keys are 256 random bits, so a fast digest is the right one; a
password hash would spend CPU on every request for nothing) and compares digests. Knox's own lookup loads every
token sharing the key's first characters with their users, then the user's other tokens to clean up expired ones:
two or three queries and several model instances on every API request. Here the digest is looked up directly
(unique index) joined to the fields of the user a request needs, in one statement; an expired token is refused
saying so, and expired tokens are cleaned up when their owner gets a new one (``accounts.tokens``).
"""

import binascii

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from rest_framework import exceptions

from accounts.models import ApiToken
from config.raw_sql import fetch_one

MAX_KEY_LENGTH = 200  # ours are 68 characters, tokens made before hashing 40: anything longer is no key of ours


def request_user_fields(user_model) -> list:
    """What a request needs of its user: who it is (events record the username) and what it may do, in the model's
    field order (which ``Model.from_db`` expects). Fields a custom user model lacks are left out."""
    wanted = {user_model.USERNAME_FIELD, "is_active", "is_staff", "is_superuser"}
    return [field for field in user_model._meta.concrete_fields if field.primary_key or field.name in wanted]


def user_by_digest_sql(user_model, user_fields: list) -> str:
    """One statement reading ``user_fields`` of the user a token digest belongs to, then the token's id and
    expiry, from the tables and columns of ``user_model`` and the token model."""
    quote, users, tokens = connection.ops.quote_name, user_model._meta, ApiToken._meta
    columns = ", ".join(f"u.{quote(field.column)}" for field in user_fields)
    token_user, digest = tokens.get_field("user").column, tokens.get_field("digest").column
    return (
        f"SELECT {columns}, t.{quote(tokens.pk.column)}, t.{quote(tokens.get_field('expiry').column)} "
        f"FROM {quote(users.db_table)} u JOIN {quote(tokens.db_table)} t "
        f"ON t.{quote(token_user)} = u.{quote(users.pk.column)} WHERE t.{quote(digest)} = %s"
    )


User = get_user_model()
USER_FIELDS = request_user_fields(User)
USER_BY_DIGEST_SQL = user_by_digest_sql(User, USER_FIELDS)
ROW_FIELDS = [*USER_FIELDS, ApiToken._meta.pk, ApiToken._meta.get_field("expiry")]


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's ``Token`` scheme (header parsing, hashing, refusals), each key resolved in one query."""

    def authenticate_credentials(self, key: bytes) -> tuple[AbstractBaseUser, ApiToken]:
        try:
            text = key.decode("ascii")
            if len(text) > MAX_KEY_LENGTH or "\x00" in text:
                raise ValueError
            digest = hash_token(text)
        except (UnicodeError, ValueError, TypeError, binascii.Error):
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        row = fetch_one(USER_BY_DIGEST_SQL, [digest], fields=ROW_FIELDS)
        if row is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        *user_values, token_id, expiry = row
        if expiry is not None and expiry <= timezone.now():
            raise exceptions.AuthenticationFailed("The token has expired; ask for a new one.")
        user = User.from_db(connection.alias, [field.attname for field in USER_FIELDS], user_values)
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return user, ApiToken(id=token_id, digest=digest, user=user, expiry=expiry)
