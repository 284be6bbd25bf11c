"""Staff register OneRoster clients here, and follow imports.

OneRoster clients: a name, and the client id and secret to hand to the client's operator.

Replaces django-oauth-toolkit's generic application admin: every client is confidential and uses the client
credentials grant (what OneRoster 1.2 requires), so staff choose nothing else. The secret is shown once, in the
message after saving; it is stored hashed.
"""

from django import forms
from django.contrib import admin, messages
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from oneroster import admin_imports, clients  # noqa: F401 (admin_imports registers the imports' pages)
from oneroster.auth import SCOPE_NAMES
from oneroster.models import Client, ClientScopes, IssuedToken
from schools.models import Org

# the toolkit's own admin pages (its applications and tokens under "Django OAuth Toolkit", and other grants than
# ours): staff find OneRoster's clients and tokens under OneRoster instead
for unused in (
    get_application_model(),
    get_access_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_refresh_token_model(),
):
    admin.site.unregister(unused)


class ClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=[(scope, f"{short}.readonly") for short, scope in SCOPE_NAMES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What it may read: roster-core the collections and records, roster everything but demographics.",
    )

    schools = forms.ModelMultipleChoiceField(
        queryset=Org.objects.all(),
        required=False,
        help_text="The schools (or orgs above schools) whose records it reads; none: the whole district's.",
    )

    class Meta:
        model = Client
        fields = ["name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        held = ClientScopes.objects.filter(application_id=self.instance.pk).first()
        self.fields["scopes"].initial = held.scopes if held else [SCOPE_NAMES["roster-core"]]
        self.fields["schools"].initial = list(held.schools.all()) if held else []


@admin.register(Client)
class OneRosterClientAdmin(admin.ModelAdmin):
    form = ClientForm
    view_on_site = False  # the toolkit's own pages for an application are not served here
    list_display = ["name", "client_id", "scope_list", "created", "updated"]
    list_select_related = ["oneroster_scopes"]
    search_fields = ["name", "client_id"]
    fields = ["name", "scopes", "schools", "client_id", "created", "updated"]
    readonly_fields = ["client_id", "created", "updated"]

    @admin.display(description="scopes")
    def scope_list(self, application) -> str:
        held = getattr(getattr(application, "oneroster_scopes", None), "scopes", [])
        return ", ".join(short for short, scope in SCOPE_NAMES.items() if scope in held) or "none"

    def save_model(self, request, obj, form, change) -> None:
        secret = None if change else clients.make_client(obj)
        super().save_model(request, obj, form, change)
        clients.set_scopes(application=obj, scopes=form.cleaned_data["scopes"], schools=form.cleaned_data["schools"])
        if secret is None:
            return
        messages.warning(
            request,
            f"Client id: {obj.client_id} — client secret: {secret} — copy the secret now: it is stored hashed and "
            "will not be shown again.",
        )


@admin.register(IssuedToken)
class IssuedTokenAdmin(admin.ModelAdmin):
    """The tokens OneRoster clients hold: read-only; deleting one revokes it at once (the client asks for another)."""

    list_display = ["application", "scope", "expires", "created"]
    list_select_related = ["application"]
    list_filter = ["application"]
    fields = ["application", "scope", "expires", "created"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
