"""Browser URLs of the escalation app: under a case, the casusoverleg and the werklijst."""

from django.urls import path

from . import conference_views as conf
from . import views, whatif_views, worklist_views

urlpatterns = [
    path("casussen/<uuid:case_id>/voorstel/", views.proposal_add, name="proposal_add"),
    path("casussen/<uuid:case_id>/besluit/", views.decision_add, name="decision_add"),
    path("werklijst/", worklist_views.worklist, name="worklist"),
    path("werklijst/signalen/<int:flag_id>/afhandelen/", worklist_views.flag_close, name="review_flag_close"),
    path("proefberekeningen/", whatif_views.whatif_list, name="whatif_list"),
    path("proefberekeningen/<uuid:run_id>/", whatif_views.whatif_detail, name="whatif_detail"),
    path("casusoverleg/", conf.conference_list, name="conference_list"),
    path("casusoverleg/nieuw/", conf.conference_create, name="conference_create"),
    path("casusoverleg/<uuid:conference_id>/", conf.conference_detail, name="conference_detail"),
    path("casusoverleg/<uuid:conference_id>/agenda-voorstellen/", conf.agenda_propose, name="conference_propose"),
    path("casusoverleg/<uuid:conference_id>/agendapunt/", conf.item_add, name="conference_item_add"),
    path("casusoverleg/<uuid:conference_id>/vaststellen/", conf.conference_finalise, name="conference_finalise"),
    path("casusoverleg/<uuid:conference_id>/aanvulling/", conf.addendum_add, name="conference_addendum"),
    path("casusoverleg/<uuid:conference_id>/<uuid:item_id>/verwijderen/", conf.item_remove, name="conference_item_remove"),
    path("casusoverleg/<uuid:conference_id>/<uuid:item_id>/omhoog/", conf.item_move, {"up": True}, name="conference_item_up"),
    path("casusoverleg/<uuid:conference_id>/<uuid:item_id>/omlaag/", conf.item_move, {"up": False}, name="conference_item_down"),
    path("casusoverleg/<uuid:conference_id>/<uuid:item_id>/notities/", conf.item_notes, name="conference_item_notes"),
    path("casusoverleg/<uuid:conference_id>/<uuid:item_id>/besluit/", conf.item_decision, name="conference_item_decision"),
    path("casusoverleg/<uuid:conference_id>/<uuid:item_id>/afspraak/", conf.item_action, name="conference_item_action"),
]
