from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, reads included: reading needs ``view``, writing ``add``/``change``/``delete``.

    An action may name (through ``@action(...)`` keyword arguments) a ``permission_model`` to be checked instead
    of its queryset's model, its own ``permission_methods_map``, and ``permission_view_models`` whose ``view``
    permission is needed as well: the association endpoints under a student check ``StudentCourse`` and need
    ``view`` on ``Student`` too.
    """

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
        if not user or not user.is_authenticated:
            return False
        model = getattr(view, "permission_model", None) or self._queryset(view).model
        method_perms = getattr(view, "permission_methods_map", None) or self.perms_map
        if request.method not in method_perms:
            return False
        perms = [
            perm % {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
            for perm in method_perms[request.method]
        ]
        perms += [
            f"{other._meta.app_label}.view_{other._meta.model_name}"
            for other in getattr(view, "permission_view_models", ())
        ]
        return user.has_perms(perms)
