"""API v1 routes of the privacy app (hit/no-hit check)."""

from django.urls import path

from . import views

urlpatterns = [
    path("persons/check/", views.HitCheck.as_view(), name="api-person-check"),
]
