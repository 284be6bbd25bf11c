from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _school_and_term_from_settings(sender, **kwargs) -> None:
    """After a migrate or a flush (tests' transactional cleanup) that left no org and no session."""
    from schools.models import AcademicSession, Org
    from schools.seeding import from_settings

    from_settings(Org, AcademicSession)


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools and terms"

    def ready(self) -> None:
        post_migrate.connect(_school_and_term_from_settings, sender=self)
