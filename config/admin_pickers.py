"""Admin pages with a two-pane picker of related objects, saved through a domain service.

Only what staff changed since the form was shown is applied; staff without ``picker_permissions`` see the picker
read-only (the admin's method named like the field shows it as text). A domain error raised while saving rolls the
whole save back and is shown as a message.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect

from config.exceptions import DomainError


def picker_changes(form, field: str) -> tuple[list[int], list[int]]:
    """What staff changed in a picker: the ids moved in, and the ids moved out, since the form was shown."""
    if field not in form.cleaned_data or field not in form.changed_data:
        return [], []
    before = {int(pk) for pk in form.fields[field].initial or []}
    after = {obj.pk for obj in form.cleaned_data[field]}
    return sorted(after - before), sorted(before - after)


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

    def can_change_picker(self, request: HttpRequest) -> bool:
        return request.user.has_perms(self.picker_permissions)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.can_change_picker(request):
            readonly += [self.picker_field, *self.picker_options]
        return readonly

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        added, removed = picker_changes(form, self.picker_field)
        if added or removed:
            self.save_picker(request, form, added=added, removed=removed)

    def save_picker(self, request: HttpRequest, form, *, added: list[int], removed: list[int]) -> None:
        raise NotImplementedError
