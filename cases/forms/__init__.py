"""Browser forms of the case app: the shape of what a user types, nothing more.

The rules (who may, which dates make sense, duplicates, status moves) live in ``cases.services``;
views call a service and map its ``ValidationError`` back onto the fields with
``apply_service_errors``. ``base`` holds the shared field helpers and Utrecht widget styling.
"""

from .base import SCORE_CHOICES, SCORE_LABELS, StyledForm, apply_service_errors, style_widgets
from .case import (
    ActionForm,
    ActionOwnerForm,
    AssessmentForm,
    BsnSearchForm,
    CaseDirectionForm,
    CaseRegistrationFields,
    DetentionForm,
    DrugNetworkForm,
    ExistingPersonRegistrationForm,
    GoalForm,
    JournalForm,
    OffenceForm,
    RegistrationForm,
    TeamMemberForm,
)
from .person import FamilyMembershipForm, PersonFields, PersonForm

__all__ = [
    "SCORE_CHOICES",
    "SCORE_LABELS",
    "ActionForm",
    "ActionOwnerForm",
    "AssessmentForm",
    "BsnSearchForm",
    "CaseDirectionForm",
    "CaseRegistrationFields",
    "DetentionForm",
    "DrugNetworkForm",
    "ExistingPersonRegistrationForm",
    "FamilyMembershipForm",
    "GoalForm",
    "JournalForm",
    "OffenceForm",
    "PersonFields",
    "PersonForm",
    "RegistrationForm",
    "StyledForm",
    "TeamMemberForm",
    "apply_service_errors",
    "style_widgets",
]
