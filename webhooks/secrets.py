"""Webhook signing secrets, encrypted at rest.

A signing secret cannot be stored as a hash, as API tokens and OAuth client secrets are: every delivery is signed
with it (HMAC-SHA256, Standard Webhooks), so the server must be able to read it. It is stored encrypted instead
(Fernet: AES-128-CBC with an HMAC-SHA256 tag, from the ``cryptography`` package), under a key derived (HKDF-SHA256)
from ``DJANGO_SECRET_KEY``: a copy of the database alone signs nothing. Rotating the secret key keeps the stored
secrets readable while the old key is listed in ``DJANGO_SECRET_KEY_FALLBACKS``; ``manage.py reseal_webhook_secrets``
then encrypts them all under the new key, after which the old one can go. The secret itself is shown once,
when the subscription is made.
"""

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "fernet:"


def _key(secret_key: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"enrollments", info=b"webhook signing secrets").derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(derived)


@cache
def _fernet(secret_keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_key(key)) for key in secret_keys])


def _keys() -> tuple[str, ...]:
    return (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ()))


def sealed(secret: str) -> str:
    """The secret as stored: encrypted under the current secret key."""
    return PREFIX + _fernet(_keys()).encrypt(secret.encode()).decode()


def resealed(stored: str) -> str:
    """The same secret encrypted under the current secret key (read with the current key or a fallback)."""
    return sealed(unsealed(stored))


def unsealed(stored: str) -> str:
    """The secret to sign with."""
    try:
        return _fernet(_keys()).decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A webhook signing secret cannot be decrypted: DJANGO_SECRET_KEY changed without the old key in "
            "DJANGO_SECRET_KEY_FALLBACKS."
        ) from None
