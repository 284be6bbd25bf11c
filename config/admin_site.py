"""The admin site: Django's, opened only to staff who see the whole district (``request.scope``) until every
admin page is filtered school by school; a school's staff use the API, which is."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class EnrollmentsAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and request.scope.is_district


class EnrollmentsAdminConfig(AdminConfig):
    default_site = "config.admin_site.EnrollmentsAdminSite"
