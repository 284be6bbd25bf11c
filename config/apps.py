from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The platform as an app only for what needs one: its management commands (the task worker)."""

    name = "config"
    label = "platform"
    verbose_name = "Platform"
