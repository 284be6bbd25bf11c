from django import forms
from django.contrib import admin, messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from changes.models import ChangeType
from config.exceptions import DomainError
from webhooks import services
from webhooks.models import DeliveryAttempt, Subscription, SubscriptionStatus

RECENT_ATTEMPTS = 20


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(
        max_length=2000,
        assume_scheme="https",
        help_text="Where entries are POSTed.",
        widget=forms.URLInput(attrs={"size": 80}),
    )
    event_types = forms.MultipleChoiceField(
        choices=ChangeType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every type.",
    )
    replay_after = forms.IntegerField(
        required=False,
        min_value=0,
        label="Replay after feed position",
        help_text="Deliver again every entry after this cursor (0: the whole feed). Leave empty to carry on.",
    )

    class Meta:
        model = Subscription
        fields = ["url", "description", "event_types", "is_active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            services.check_url(url)
        except DomainError as error:
            raise forms.ValidationError(error.detail) from error
        return url


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["url", "is_active", "health", "cursor", "next_attempt_at"]
    list_filter = ["is_active", "status"]
    search_fields = ["url", "description"]
    actions = ["retry_now"]
    readonly_fields = ["health", "cursor", "failed_attempts", "next_attempt_at", "recent_attempts"]

    def get_fields(self, request, obj=None):
        editable = ["url", "description", "event_types", "is_active"]
        return editable if obj is None else [*editable, "replay_after", *self.readonly_fields]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            if form.cleaned_data.get("replay_after") is not None:
                self._replay(request, obj, form.cleaned_data["replay_after"])
            return
        created = services.create_subscription(
            url=obj.url, event_types=obj.event_types, description=obj.description, is_active=obj.is_active
        )
        obj.pk, obj.secret = created.pk, created.secret
        messages.warning(
            request,
            format_html(
                "The signing secret, shown this once (receivers verify each delivery with it): <code>{}</code>",
                created.shown_secret,
            ),
        )

    def _replay(self, request, obj: Subscription, after: int) -> None:
        try:
            services.replay(subscription_id=obj.pk, after=after)
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            messages.info(request, f"Every entry after position {after} will be delivered again.")

    @admin.action(description="Retry the selected subscriptions now", permissions=["change"])
    def retry_now(self, request, queryset) -> None:
        for subscription_id in queryset.values_list("id", flat=True):
            services.retry(subscription_id=subscription_id)
        messages.info(request, "Deliveries resume from the entry that failed.")

    @admin.display(description="Deliveries", ordering="failed_attempts")
    def health(self, obj: Subscription) -> str:
        """Healthy only while its receiver takes the deliveries: a receiver that refuses them shows as retrying
        (with when it is tried next), then failing."""
        if obj.status == SubscriptionStatus.FAILING:
            icon, text = "no", f"Failing: refused {obj.failed_attempts} times, retries exhausted; retry or replay"
        elif obj.failed_attempts:
            when = f", next try at {localtime(obj.next_attempt_at):%H:%M:%S}" if obj.next_attempt_at else ""
            icon, text = "alert", f"Retrying: the last {obj.failed_attempts} attempt(s) failed{when}"
        else:
            icon, text = "yes", "Healthy"
        if not obj.is_active:
            text += " (inactive: nothing is sent)"
        return format_html('<img src="{}" alt="{}"> {}', static(f"admin/img/icon-{icon}.svg"), icon, text)

    @admin.display(description="Recent attempts")
    def recent_attempts(self, obj: Subscription) -> str:
        attempts = obj.attempts.select_related("change")[:RECENT_ATTEMPTS]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ms</td><td>{}</td></tr>",
            (
                (
                    f"{localtime(a.attempted_at):%Y-%m-%d %H:%M:%S}",
                    a.message_id,
                    a.change.position,
                    a.status_code or "—",
                    a.latency_ms,
                    a.error,
                )
                for a in attempts
            ),
        )
        everything = reverse("admin:webhooks_deliveryattempt_changelist") + f"?subscription__id__exact={obj.pk}"
        return format_html(
            "<table><tr><th>When</th><th>webhook-id</th><th>Position</th><th>Status</th><th>Latency</th><th>Error</th>"
            '</tr>{}</table><p><a href="{}">Every attempt</a></p>',
            rows,
            everything,
        )


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(admin.ModelAdmin):
    list_display = ["attempted_at", "subscription", "message_id", "status_code", "latency_ms", "succeeded", "error"]
    list_filter = ["succeeded"]
    list_select_related = ["subscription"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
