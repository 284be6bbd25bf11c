"""The page a browser sees after too many failed sign-ins (django-axes' lock-out): in the admin's look, how long the
lock lasts and until when, what to do meanwhile, and the way back to the sign-in page."""

from http import HTTPStatus

from axes.helpers import get_client_username, get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {
        "title": "Too many failed sign-ins",
        "username": get_client_username(request, credentials) or "",
        "duration": _duration(minutes) if minutes else None,
        "until": timezone.localtime() + cool_off if cool_off else None,
    }
    response = render(request, "admin/locked_out.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
