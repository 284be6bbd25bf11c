from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, reads included: reading needs ``view``, writing ``add``/``change``/``delete``.

    A subclass may name the ``model`` to check instead of the view's queryset's, its own ``perms_map``, and
    ``also_view``: models whose ``view`` permission is needed as well. Actions pass such small named classes with
    ``permission_classes=`` where they are declared.
    """

    model = None
    also_view: tuple = ()
    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated or request.method not in self.perms_map:
            return False
        model = self.model or self._queryset(view).model
        names = {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
        perms = [perm % names for perm in self.perms_map[request.method]]
        perms += [f"{other._meta.app_label}.view_{other._meta.model_name}" for other in self.also_view]
        return user.has_perms(perms)


class DistrictScope(ModelPermissions):
    """Model permissions, for an account that sees the whole district (``request.scope``): what spans every
    school and is not yet filtered school by school (the change feed) answers no one else (403)."""

    message = "Only an account that sees the whole district may do this."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.scope.is_district
