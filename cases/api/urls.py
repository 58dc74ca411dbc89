"""API v1 routes of the cases app. Ids are UUIDs (parsed by the views, so a malformed id is a JSON 404)."""

from django.urls import path

from . import resources, views

app_name = "cases-api"

NESTED = [
    ("offences", resources.OffenceList, resources.OffenceDetail),
    ("detentions", resources.DetentionList, resources.DetentionDetail),
    ("goals", resources.GoalList, resources.GoalDetail),
    ("actions", resources.ActionList, resources.ActionDetail),
    ("assessments", resources.AssessmentList, resources.AssessmentDetail),
    ("journal", resources.JournalList, resources.JournalDetail),
    ("team", resources.TeamList, resources.TeamDetail),
]

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="case-list"),
    path("cases/<pk>/", views.CaseDetail.as_view(), name="case-detail"),
    path("persons/", views.PersonList.as_view(), name="person-list"),
    path("persons/<pk>/", views.PersonDetail.as_view(), name="person-detail"),
]
for resource, list_view, detail_view in NESTED:
    urlpatterns += [
        path(f"cases/<case_id>/{resource}/", list_view.as_view(), name=f"{resource}-list"),
        path(f"cases/<case_id>/{resource}/<pk>/", detail_view.as_view(), name=f"{resource}-detail"),
    ]
