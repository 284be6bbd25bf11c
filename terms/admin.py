"""The admin's "close the term and roll over" action on academic sessions: a page that shows the dry run, then does
it when confirmed. It extends the schools app's session admin (schools lie below the enrollment domain)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from schools.admin import AcademicSessionAdmin
from schools.models import AcademicSession, SessionType
from students.enrollment.writing import Actor
from students.models import Channel
from terms.closing import TermClosingRefused, close_term

CLOSE_PERMISSIONS = ("students.change_studentcourse", "courses.add_course", "teachers.add_assignment")


class CloseTermForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=AcademicSession.objects.none(),
        label="Roll its courses over into",
        help_text="The term its courses continue in (terms starting after this one).",
    )

    def __init__(self, *args, term: AcademicSession, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = AcademicSession.objects.filter(
            type=SessionType.TERM, start_date__gt=term.start_date
        )


class TermAdmin(AcademicSessionAdmin):
    actions = ["close_and_roll_over"]

    @admin.action(description="Close the selected term and roll its courses over…", permissions=["close"])
    def close_and_roll_over(self, request, queryset):
        if len(terms := list(queryset[:2])) != 1:
            self.message_user(request, "Choose one term to close.", messages.WARNING)
            return None
        (term,) = terms
        form = CloseTermForm(request.POST if "into" in request.POST else None, term=term)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Close {term.title}",
            "term": term,
            "form": form,
            "selected_name": helpers.ACTION_CHECKBOX_NAME,
        }
        if form.is_valid():
            apply = "apply" in request.POST
            try:
                closing = close_term(
                    term_id=term.id,
                    into_id=form.cleaned_data["into"].id,
                    actor=Actor(channel=Channel.ADMIN, user=request.user),
                    dry_run=not apply,
                )
            except TermClosingRefused as refusal:
                context["problems"] = refusal.problems
            else:
                if apply:
                    self.message_user(request, closing.summary(), messages.SUCCESS)
                    return None
                context["closing"] = closing
        return TemplateResponse(request, "admin/terms/close_term.html", context)

    def has_close_permission(self, request) -> bool:
        return request.user.has_perms(CLOSE_PERMISSIONS)


admin.site.unregister(AcademicSession)
admin.site.register(AcademicSession, TermAdmin)
