"""``request.scope``: the scope of whoever makes the request, computed when first read (after DRF has
authenticated a token: it sets the request's user), at most once per request."""

from django.utils.functional import SimpleLazyObject

from scoping.scopes import scope_of_user


class ScopeMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_of_user(request.user))
        return self.get_response(request)
