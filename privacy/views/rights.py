"""(placeholder: filled in by issue #4 work)"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
