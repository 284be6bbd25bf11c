"""API tokens: django-rest-knox's token, stored as a digest, with a name and an integer id of its own.

Only a SHA-512 digest of each key and its first characters (``token_key``, enough for staff and owners to tell one
token from another) are kept; the key itself is shown once, when the token is made, and can never be read again.
Knox's own model keeps the digest as its primary key, so staff pages and the owners' API would carry digests in
their URLs; this one keeps knox's columns and behaviour (``ApiToken.objects.create`` makes the key and digest) with
an ordinary id, a name saying what the token is for, and who made it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        return self.filter(models.Q(expiry__isnull=True) | models.Q(expiry__gt=timezone.now()))

    def expired(self) -> "ApiTokenQuerySet":
        return self.filter(expiry__lte=timezone.now())


class ApiTokenManager(AuthTokenManager.from_queryset(ApiTokenQuerySet)):
    """Knox's manager (``create(user, expiry, prefix, **fields)`` returns the token and its key) with the queries."""


class ApiToken(AbstractAuthToken):
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True, editable=False)
    token_key = models.CharField(
        "starts with",
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH,
        db_index=True,
        editable=False,
        help_text="The key's first characters: enough to recognise it, never enough to use it.",
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for (the SIS sync, a script).")
    expiry = models.DateTimeField(
        "expires", null=True, blank=True, help_text="When the token stops working; empty: never."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ApiTokenManager()

    class Meta:
        db_table = "api_tokens"
        ordering = ["-created", "-id"]
        verbose_name = "API token"
        indexes = [models.Index(fields=["user", "-created"], name="api_tokens_user_idx")]

    def __str__(self) -> str:
        return f"{self.token_key}… ({self.name or 'unnamed'})"

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
