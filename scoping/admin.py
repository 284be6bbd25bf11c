"""Each account's scope in the admin: the user page lists its memberships (a school, an org above schools, or the
whole district when the org is left empty)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from scoping.models import Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ()
    verbose_name = "sees the records of"
    verbose_name_plural = "Scope: the schools this account sees (an empty org: the whole district; none: nothing)"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]
