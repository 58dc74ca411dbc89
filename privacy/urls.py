"""Browser URLs of the privacy app under ``/privacy/``. The destruction list's names are namespaced
(``privacy:destruction_list``); the older pages keep their plain names."""

from django.urls import include, path

from .views import emergency, officer, retention, rights

urlpatterns = [
    *officer.urlpatterns,
    *rights.urlpatterns,
    *emergency.urlpatterns,
    path("", include((retention.urlpatterns, "privacy"))),
]
