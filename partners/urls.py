"""Browser URLs of the partners app: sign in and sign out."""

from django.urls import path

from . import views

urlpatterns = [
    path("inloggen/", views.SignInView.as_view(), name="login"),
    path("uitloggen/", views.SignOutView.as_view(), name="logout"),
]
