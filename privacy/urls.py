"""Browser URLs of the privacy app under ``/privacy/``."""

from .views import emergency, officer, rights

urlpatterns = [*officer.urlpatterns, *rights.urlpatterns, *emergency.urlpatterns]
