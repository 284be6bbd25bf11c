"""What the domain apps call to put their changes in the feed: a model's saves and deletes, as the API shows it."""

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from changes.recording import Entry, record
from config.api_values import api_value


def representation(instance: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """The fields' values as the API shows them (a related object by its id, read from the row: no query)."""
    return {name: api_value(getattr(instance, instance._meta.get_field(name).attname)) for name in fields}


_FOLLOWED: dict[type[models.Model], tuple[str, tuple[str, ...]]] = {}


def record_saves(instances: list[models.Model], *, created: bool) -> None:
    """The entries ``follow_model`` records, for saves made without signals (``bulk_create``, ``bulk_update``)."""
    if not instances:
        return
    name, fields = _FOLLOWED[type(instances[0])]
    kind = "created" if created else "updated"
    entries = [Entry(f"{name}.{kind}", str(i.pk), representation(i, fields)) for i in instances]
    record(entries, at=timezone.now())


def follow_model(model: type[models.Model], *, name: str, fields: tuple[str, ...]) -> None:
    """Records ``<name>.created``/``.updated`` (the object's ``fields``) on every save of ``model`` and
    ``<name>.deleted`` (its id) on every delete: the admin, the API and the shell alike."""

    def saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
        if raw:  # loaddata
            return
        kind = "created" if created else "updated"
        record([Entry(f"{name}.{kind}", str(instance.pk), representation(instance, fields))], at=timezone.now())

    def deleted(sender, instance, **kwargs) -> None:
        record([Entry(f"{name}.deleted", str(instance.pk), {"id": instance.pk})], at=timezone.now())

    _FOLLOWED[model] = (name, fields)
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"changes.{name}.saved")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"changes.{name}.deleted")
