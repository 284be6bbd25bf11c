from django.apps import AppConfig


class TermsConfig(AppConfig):
    """The end of a term: closing it and rolling its courses over into the next (a command and an admin action)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "terms"
    verbose_name = "The end of a term"
