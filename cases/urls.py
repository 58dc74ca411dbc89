"""Browser URLs of the case app. Only UUIDs identify anything; a BSN never appears in a URL."""

from django.urls import path

from . import views
from .views.export import caseload_csv

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("zoeken/bsn/", views.bsn_search, name="bsn_search"),
    path("export/caseload.csv", caseload_csv, name="caseload_export"),
    path("aanmelden/", views.register, name="register"),
    path("personen/<uuid:person_id>/aanmelden/", views.register_existing, name="register_existing"),
    path("casussen/<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("casussen/<uuid:case_id>/journaal/", views.journal_add, name="journal_add"),
    path("casussen/<uuid:case_id>/delicten/nieuw/", views.offence_add, name="offence_add"),
    path("casussen/<uuid:case_id>/detenties/nieuw/", views.detention_add, name="detention_add"),
    path("casussen/<uuid:case_id>/detenties/<uuid:detention_id>/", views.detention_edit, name="detention_edit"),
    path("casussen/<uuid:case_id>/beoordelingen/nieuw/", views.assessment_add, name="assessment_add"),
    path("casussen/<uuid:case_id>/netwerk/", views.drug_network_edit, name="drug_network_edit"),
    path("casussen/<uuid:case_id>/doelen/nieuw/", views.goal_add, name="goal_add"),
    path("casussen/<uuid:case_id>/doelen/<uuid:goal_id>/", views.goal_edit, name="goal_edit"),
    path("casussen/<uuid:case_id>/doelen/<uuid:goal_id>/acties/nieuw/", views.action_add, name="action_add"),
    path("casussen/<uuid:case_id>/acties/<uuid:action_id>/", views.action_edit, name="action_edit"),
    path("casussen/<uuid:case_id>/team/nieuw/", views.team_add, name="team_add"),
    path("casussen/<uuid:case_id>/team/<uuid:member_id>/beeindigen/", views.team_remove, name="team_remove"),
    path("casussen/<uuid:case_id>/regie/", views.case_direct, name="case_direct"),
    path("casussen/<uuid:case_id>/persoon/", views.person_edit, name="person_edit"),
    path("casussen/<uuid:case_id>/familie/", views.family_add, name="family_add"),
    path("families/<uuid:family_id>/", views.family_detail, name="family_detail"),
]
