from django.apps import AppConfig


class ScopingConfig(AppConfig):
    name = "scoping"
    verbose_name = "Scopes"

    def ready(self) -> None:
        from scoping.rules import register_all

        register_all()
