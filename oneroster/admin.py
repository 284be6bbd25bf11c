"""Staff register OneRoster clients here: a name, and the client id and secret to hand to the client's operator.

Replaces django-oauth-toolkit's generic application admin: every client is confidential and uses the client
credentials grant (what OneRoster 1.2 requires), so staff choose nothing else. The secret is shown once, in the
message after saving; it is stored hashed.
"""

from django.contrib import admin, messages
from oauth2_provider.models import get_application_model, get_grant_model, get_id_token_model, get_refresh_token_model

Application = get_application_model()
admin.site.unregister(Application)
for unused in (get_grant_model(), get_id_token_model(), get_refresh_token_model()):  # other grants than ours
    admin.site.unregister(unused)


@admin.register(Application)
class OneRosterClientAdmin(admin.ModelAdmin):
    list_display = ["name", "client_id", "created", "updated"]
    search_fields = ["name", "client_id"]
    fields = ["name", "client_id", "created", "updated"]
    readonly_fields = ["client_id", "created", "updated"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.client_type = Application.CLIENT_CONFIDENTIAL
        obj.authorization_grant_type = Application.GRANT_CLIENT_CREDENTIALS
        secret = obj.client_secret  # generated with the new client; saving keeps only its hash
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            f"Client id: {obj.client_id} — client secret: {secret} — copy the secret now: it is stored hashed and "
            "will not be shown again.",
        )
