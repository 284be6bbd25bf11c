from django.apps import AppConfig


class OneRosterConfig(AppConfig):
    name = "oneroster"
    verbose_name = "OneRoster"
