from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import healthz
from oneroster.oauth import ClientCredentialsTokenView, ThrottledRevokeTokenView

urlpatterns = [
    path("", TemplateView.as_view(template_name="landing.html"), name="landing"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    re_path(r"^api/v1/schema/?$", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^api/v1/docs/?$", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/", include("config.api_router")),
    path("oauth/token", ClientCredentialsTokenView.as_view(), name="oauth-token"),  # OneRoster's clients
    path("oauth/revoke", ThrottledRevokeTokenView.as_view(), name="oauth-revoke"),
    path("ims/oneroster/rostering/v1p2/", include("oneroster.urls")),
]

handler404 = "config.error_pages.page_not_found"
handler500 = "config.error_pages.server_error"
