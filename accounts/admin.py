"""API tokens in the admin: staff see which tokens exist (whose, what for, when made, until when), never a key;
they make tokens, whose key is shown once in the message after saving, and revoke them (deleting is revoking).

Who may make a token for whom is the service's rule (``accounts.tokens``): staff for themselves, superusers for
anyone. Knox's own admin is not used: it lists digests and lets anyone with the add permission make a token for
any account, a superuser's included.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils import timezone
from knox.settings import knox_settings

from accounts import tokens
from accounts.models import ApiToken

MAX_DAYS = 3650


def _default_days() -> int | None:
    ttl = knox_settings.TOKEN_TTL
    return None if ttl is None else ttl.days


class NewTokenForm(forms.ModelForm):
    days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=MAX_DAYS,
        help_text="Empty: the token never expires (prefer a lifetime; a token can be revoked at any time).",
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def __init__(self, *args, maker, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.maker = maker
        self.fields["days"].initial = _default_days()
        self.fields["user"].initial = maker.pk
        if not maker.is_superuser:  # staff make tokens for themselves only
            self.fields["user"].queryset = get_user_model().objects.filter(pk=maker.pk)
            self.fields["user"].help_text = "Only a superuser may make a token for another account."

    def clean(self):
        cleaned = super().clean()
        owner = cleaned.get("user")
        if owner is not None and not tokens.may_make_token_for(maker=self.maker, owner=owner):
            raise forms.ValidationError("Only a superuser may make a token for another account.")
        return cleaned


class TokenStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("usable", "usable"), ("expired", "expired")]

    def queryset(self, request, queryset):
        if self.value() == "usable":
            return queryset.usable()
        if self.value() == "expired":
            return queryset.expired()
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["token_key", "name", "user", "created", "expiry", "state", "created_by"]
    list_filter = [TokenStateFilter]
    list_select_related = ["user", "created_by"]
    search_fields = ["name", "token_key", "user__username", "user__email"]
    fields = ["token_key", "user", "name", "created", "expiry", "created_by"]
    readonly_fields = ["token_key", "user", "created", "created_by"]
    actions = ["revoke"]

    @admin.display(description="state")
    def state(self, token: ApiToken) -> str:
        return "expired" if token.is_expired else "usable"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "Revoke" says what deleting a token does
        return actions

    @admin.action(description="Revoke the selected tokens", permissions=["delete"])
    def revoke(self, request, queryset) -> None:
        count, _ = queryset.delete()
        messages.success(request, f"{count} token(s) revoked: they no longer authenticate anyone.")

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, **kwargs)
        form = NewTokenForm

        class ForMaker(form):
            def __init__(self, *args, **kw) -> None:
                super().__init__(*args, maker=request.user, **kw)

        return ForMaker

    def get_fields(self, request, obj=None):
        return ["user", "name", "days"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        days = form.cleaned_data.get("days")
        token, key = tokens.create_token(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            lifetime=dt.timedelta(days=days) if days else None,
            created_by=request.user,
        )
        obj.pk, obj.created = token.pk, token.created
        expires = f"expires {timezone.localtime(token.expiry):%Y-%m-%d %H:%M}" if token.expiry else "never expires"
        messages.warning(
            request,
            f"The new token for {token.user} ({expires}): {key} — copy it now: only its digest is stored, "
            "so it will not be shown again.",
        )
