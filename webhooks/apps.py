from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from changes.recording import recorded
        from webhooks.dispatch import changes_committed

        recorded.connect(changes_committed, dispatch_uid="webhooks.changes_committed")
