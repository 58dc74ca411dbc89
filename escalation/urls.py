"""Browser URLs of the escalation app (under a case)."""

from django.urls import path

from . import views

urlpatterns = [
    path("casussen/<uuid:case_id>/voorstel/", views.proposal_add, name="proposal_add"),
    path("casussen/<uuid:case_id>/besluit/", views.decision_add, name="decision_add"),
]
