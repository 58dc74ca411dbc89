"""API v1 routes of the escalation app, under a case: the engine's advice, proposals and decisions."""

from django.urls import path

from .conferences import ConferenceItemList, ConferenceList
from .decisions import DecisionList, ProposalList
from .recommendation import RecommendationView

app_name = "escalation-api"

urlpatterns = [
    path("cases/<case_id>/recommendation/", RecommendationView.as_view(), name="recommendation"),
    path("cases/<case_id>/proposals/", ProposalList.as_view(), name="proposals"),
    path("cases/<case_id>/decisions/", DecisionList.as_view(), name="decisions"),
    path("conferences/", ConferenceList.as_view(), name="conferences"),
    path("conferences/<conference_id>/items/", ConferenceItemList.as_view(), name="conference-items"),
]
