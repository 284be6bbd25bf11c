"""Admin pages with a two-pane picker of related objects, saved through a domain service.

The form carries what it showed (``picker_shown``: each related object's status and version when the page was
made), so only what staff changed on the page is applied, and a change of theirs to something another channel
changed meanwhile is not applied: the page shows what changed and asks again. Staff without ``picker_permissions``
see the picker read-only. A domain error raised while saving rolls the whole save back and is shown as a message.
"""

import json
from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.html import escape
from django.utils.safestring import mark_safe

from config.exceptions import DomainError


class TwoPaneSelect(FilteredSelectMultiple):
    """The admin's two-pane picker, its options written straight to HTML: rendering thousands of options through
    the template engine costs half a second a page; this costs milliseconds, and the page is the same. Grouped
    choices (``(label, [(value, label), …])``) are ``<optgroup>``s, which ``picker_groups.js`` keeps in both panes."""

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(js=["admin/js/SelectBox.js", "config/picker_groups.js"])  # after it

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs.update(
            {
                "class": "selectfilter" + ("stacked" if self.is_stacked else ""),
                "data-field-name": self.verbose_name,
                "data-is-stacked": int(self.is_stacked),
            }
        )
        chosen = set(self.format_value(value))

        def options(choices) -> str:
            # HTML lets an option's end tag and a numeric value's quotes go: 11 bytes of each of a district's 5,000
            return "".join(
                f'<optgroup label="{escape(choice)}">{options(label)}</optgroup>'
                if isinstance(label, list)
                else f"<option value={_attribute(choice)}{' selected' if str(choice) in chosen else ''}>{escape(label)}"
                for choice, label in choices
            )

        # wrapped, so that the script that builds the two panes puts them after the field's label, not before it
        return mark_safe(
            f'<div class="picker-wrapper"><select name="{escape(name)}" multiple{flatatt(attrs)}>'
            f"{options(self.choices)}</select></div>"
        )


def _attribute(value) -> str:
    text = str(value)
    return text if text.isascii() and text.isdigit() else f'"{escape(text)}"'


State = dict[int, tuple[str, str]]  # related id: (status, version), for every association the page's object has


class PickerForm(forms.ModelForm):
    """A model form with a picker of related ids. Subclasses name the ``picker_field``, the ``active`` statuses
    (those the picker shows as chosen), and read the state with ``picker_state`` and labels with ``picker_labels``.

    After ``clean``: ``picker_added`` and ``picker_removed`` are what staff changed on the page, and
    ``picker_expected`` the version each of those had when the page was made (for the service to check again
    under its locks).
    """

    picker_field: str
    active: tuple[str, ...]
    picker_shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def picker_state(self) -> State:
        raise NotImplementedError

    def picker_labels(self, ids: list[int]) -> dict[int, str]:
        raise NotImplementedError

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.picker_current: State = self.picker_state() if self.instance.pk else {}
        self.picker_added: list[int] = []
        self.picker_removed: list[int] = []
        self.picker_expected: dict[int, datetime | None] = {}
        if self.picker_field in self.fields:
            self.fields[self.picker_field].initial = self._chosen(self.picker_current)
            self.fields["picker_shown"].initial = self._dump(self.picker_current)

    def _chosen(self, state: State) -> list[int]:
        return sorted(pk for pk, (status, _) in state.items() if status in self.active)

    @staticmethod
    def _dump(state: State) -> str:
        return json.dumps({str(pk): list(entry) for pk, entry in sorted(state.items())})

    def _shown(self) -> State | None:
        try:
            raw = json.loads(self.data.get(self.add_prefix("picker_shown")) or "null")
            return (
                None if raw is None else {int(pk): (str(status), str(version)) for pk, (status, version) in raw.items()}
            )
        except (ValueError, TypeError, AttributeError):
            return None

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.picker_field not in self.fields or cleaned.get(self.picker_field) is None:
            return cleaned
        shown = self._shown()
        if shown is None:
            self._ask_again("This page was out of date; it now shows the current state. Check it and save again.")
            return cleaned
        before, after = set(self._chosen(shown)), {obj.pk for obj in cleaned[self.picker_field]}
        self.picker_added, self.picker_removed = sorted(after - before), sorted(before - after)
        touched = self.picker_added + self.picker_removed
        changed = [pk for pk in touched if self.picker_current.get(pk) != shown.get(pk)]
        if changed:
            labels = self.picker_labels(changed)
            news = "; ".join(self._news(labels[pk], shown.get(pk), self.picker_current.get(pk)) for pk in changed)
            self._ask_again(
                f"Changed by someone else since this page was opened: {news}. Nothing was saved; "
                "your choices are kept: check them and save again."
            )
            return cleaned
        self.picker_expected = {pk: datetime.fromisoformat(shown[pk][1]) if pk in shown else None for pk in touched}
        return cleaned

    @staticmethod
    def _news(label: str, shown: tuple[str, str] | None, current: tuple[str, str] | None) -> str:
        was, now = (entry[0] if entry else "not associated" for entry in (shown, current))
        if was != now:
            return f"{label} was {was} and is now {now}"
        when = datetime.fromisoformat(current[1]).strftime("%H:%M:%S %Z")
        return f"{label} was changed and is {now} again since {when}"

    def _ask_again(self, message: str) -> None:
        """Shows the message on the picker, and makes the page carry the current state for the next save."""
        self.add_error(self.picker_field, message)
        data = self.data.copy()
        data[self.add_prefix("picker_shown")] = self._dump(self.picker_current)
        self.data = data


class DomainErrorsAsMessages:
    """Shows a domain error raised while saving as a message, after the whole save is rolled back.

    The form checks before saving; this covers what changed in between (a seat taken by someone else).
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            messages.error(request, f"Nothing was saved: {error.detail}")
            return HttpResponseRedirect(request.get_full_path())


class PickerAdmin(DomainErrorsAsMessages):
    picker_field: str
    picker_permissions: tuple[str, ...] = ()
    picker_options: tuple[str, ...] = ()  # other form fields shown with the picker, read-only without permission

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.can_change_picker(request):
            readonly += [self.picker_field, *self.picker_options]
        return readonly

    def get_fieldsets(self, request, obj=None):
        """The page carries what it showed (``picker_shown``, hidden) only where the picker can be changed."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.can_change_picker(request):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "picker_shown"]})
            for name, options in fieldsets
        ]

    def can_change_picker(self, request: HttpRequest) -> bool:
        return request.user.has_perms(self.picker_permissions)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if form.picker_added or form.picker_removed:
            self.save_picker(request, form)

    def save_picker(self, request: HttpRequest, form: PickerForm) -> None:
        """Applies ``form.picker_added`` and ``form.picker_removed``, checking ``form.picker_expected``."""
        raise NotImplementedError
