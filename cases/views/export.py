"""Export: a case director downloads their own caseload — the cases they direct — as CSV (issue #4).

- Who: only users with role ``case_director`` (PGA-expert); anyone else gets 403 with a Dutch reason,
  and the refusal is logged. Which cases: those the user directs and may see today
  (``selectors.caseload`` narrowed to ``case_director=user``), closed ones included — the status
  column says which.
- Which columns: what the sharing policy shows this user (``privacy.policy``; DOMAIN.md §8). The
  default matrix lets a case director read every category, so they get every column; a column whose
  field the matrix does not show is left out entirely, header and all.
- Formula injection: a cell that starts with ``=``, ``+``, ``-``, ``@`` (or ``|``, ``%``) is written
  with a leading ``'`` by ``defusedcsv``, so a spreadsheet shows it as text instead of running it
  (OWASP, "CSV Injection"); cells starting with a tab or carriage return, which defusedcsv lets
  through, get the same ``'`` here.
- Logging: every export writes one access-log row with action ``exporteren``, every case id, every
  person concerned (as pseudonyms) and the categories of the columns (issue #4, NEN 7513).

The file is UTF-8 with a byte-order mark and ``;`` between cells, as Excel in a Dutch locale expects.
"""

import dataclasses
import io
from collections.abc import Callable
from typing import Any

from defusedcsv import csv as defusedcsv
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from partners.models import Role
from partners.reauth import require_recent_authentication
from privacy import access_log, policy
from privacy.models import AccessAction

from .. import selectors
from ..models import Case
from .common import actor

NOT_A_CASE_DIRECTOR = "Alleen een casusregisseur (PGA-expert) exporteert de eigen caseload."
PURPOSE = "export eigen caseload"


@dataclasses.dataclass(frozen=True)
class Column:
    """One CSV column: the policy's ``kind`` and ``field`` that decide whether it is shown, its Dutch
    header, and how to read its value from a case (annotated by ``selectors.with_case_facts``)."""

    kind: str
    field: str
    header: str
    value: Callable[[Case], Any]


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _yes_no(value: Any) -> str:
    return "ja" if value else "nee"


def _name(value: Any) -> str:
    return str(value) if value is not None else ""


COLUMNS = (
    Column("case", "id", "Casus-ID", lambda c: c.pk),
    Column("person", "bsn", "BSN", lambda c: c.person.bsn or ""),
    Column("person", "given_names", "Voornamen", lambda c: c.person.given_names),
    Column("person", "surname_prefix", "Tussenvoegsel", lambda c: c.person.surname_prefix),
    Column("person", "surname", "Achternaam", lambda c: c.person.surname),
    Column("person", "date_of_birth", "Geboortedatum", lambda c: _date(c.person.date_of_birth)),
    Column("person", "gender", "Geslacht", lambda c: c.person.get_gender_display()),
    Column("person", "wijk", "Wijk", lambda c: _name(c.person.wijk)),
    Column("person", "lvb", "LVB", lambda c: _yes_no(c.person.lvb)),
    Column("case", "tier", "Niveau", lambda c: c.get_tier_display()),
    Column("case", "status", "Status", lambda c: c.get_status_display()),
    Column("case", "target_group", "Doelgroep", lambda c: c.get_target_group_display()),
    Column("case", "case_director", "Casusregisseur", lambda c: _name(c.case_director)),
    Column("case", "process_director", "Procesregisseur", lambda c: _name(c.process_director)),
    Column("case", "registering_organisation", "Aanmeldende organisatie", lambda c: _name(c.registering_organisation)),
    Column("case", "opened_on", "Geopend op", lambda c: _date(c.opened_on)),
    Column("case", "reopened_on", "Heropend op", lambda c: _date(c.reopened_on)),
    Column("case", "closed_on", "Afgesloten op", lambda c: _date(c.closed_on)),
    Column("case", "drug_network_indication", "Netwerk in de drugswereld", lambda c: c.get_drug_network_indication_display()),
    Column("case", "last_offence_on", "Laatste delict", lambda c: _date(getattr(c, "last_offence_on", None))),
    Column("case", "earliest_exit_on", "Vroegste uitstroomdatum", lambda c: _date(selectors.exit_date_for(c))),
    Column("case", "in_detention", "In detentie", lambda c: _yes_no(getattr(c, "in_detention", None))),
    Column("case", "care_involved", "Zorg betrokken", lambda c: _yes_no(getattr(c, "care_involved", None))),
)


def neutralised(value: Any) -> Any:
    """What ``defusedcsv`` leaves alone but OWASP lists too: a leading tab or carriage return."""
    text = str(value)
    return f"'{text}" if text[:1] in ("\t", "\r") else text


def caseload_rows(user: Any) -> tuple[list[Column], list[Case]]:
    """The columns the policy shows ``user`` and the cases they direct, ordered by name."""
    disclosure = policy.disclosure_for(user)
    columns = [column for column in COLUMNS if disclosure.shows(column.kind, column.field)]
    cases = list(selectors.caseload(user, ordering="naam").filter(case_director=user))
    return columns, cases


@login_required
@require_GET
@require_recent_authentication(download=True)
def caseload_csv(request: HttpRequest) -> HttpResponse:
    """The signed-in case director's own caseload as a CSV download; 403 for every other role."""
    user = actor(request)
    if user.role != Role.CASE_DIRECTOR:
        access_log.note_denied("case")
        access_log.note(action=AccessAction.EXPORT, purpose=PURPOSE)
        raise PermissionDenied(NOT_A_CASE_DIRECTOR)
    columns, cases = caseload_rows(user)
    buffer = io.StringIO()
    writer = defusedcsv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for case in cases:
        writer.writerow([neutralised(column.value(case)) for column in columns])
    categories = {category for column in columns for category in policy.FIELDS[column.kind][column.field].categories}
    access_log.note(
        "case",
        [case.pk for case in cases],
        persons=[case.person_id for case in cases],
        categories=sorted(categories),
        purpose=PURPOSE,
        action=AccessAction.EXPORT,
    )
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    filename = f"caseload-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
