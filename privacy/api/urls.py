"""API v1 routes of the privacy app (hit/no-hit check)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
