"""Django's database sessions with only a hash of each session key stored (``SESSION_ENGINE``).

A session key is a bearer secret like an API token: whoever holds it is signed in to the admin as its user. Django's
database backend keeps it in clear, so anyone who could read ``django_session`` (a backup, a replica, a SQL console)
could take over every signed-in staff member. Here the table holds a SHA-256 digest of each key (cut to the column's
40 characters: 160 bits) and the cookie the key; everything else is Django's backend as it is. A migration deleted
the sessions stored before (their keys in clear), which signed everyone out once.
"""

import hashlib

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone


def digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:40]


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        try:
            return self.model.objects.get(session_key=digest(self.session_key), expire_date__gt=timezone.now())
        except (self.model.DoesNotExist, SuspiciousOperation):
            self._session_key = None

    async def _aget_session_from_db(self):
        try:
            return await self.model.objects.aget(session_key=digest(self.session_key), expire_date__gt=timezone.now())
        except (self.model.DoesNotExist, SuspiciousOperation):
            self._session_key = None

    def exists(self, session_key: str) -> bool:
        return self.model.objects.filter(session_key=digest(session_key)).exists()

    async def aexists(self, session_key: str) -> bool:
        return await self.model.objects.filter(session_key=digest(session_key)).aexists()

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.session_key = digest(instance.session_key)
        return instance

    async def acreate_model_instance(self, data):
        instance = await super().acreate_model_instance(data)
        instance.session_key = digest(instance.session_key)
        return instance

    def delete(self, session_key: str | None = None) -> None:
        session_key = session_key or self.session_key
        if session_key is not None:
            self.model.objects.filter(session_key=digest(session_key)).delete()

    async def adelete(self, session_key: str | None = None) -> None:
        session_key = session_key or self.session_key
        if session_key is not None:
            await self.model.objects.filter(session_key=digest(session_key)).adelete()
