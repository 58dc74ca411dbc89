"""Handling review flags (issue #5): who handles a flag, closing it by hand, settling it by a decision.

Who handles a flag (the rule ``escalation.reviews`` notifies by): the case director; for a case
without one (``basisinzet``), the user who registered it; for a Top X (``zvhru``) case also the
process director. A handler sees the flag only while they list its case (``cases.selectors.cases_listed``:
team membership, no break-the-glass), so an outsider cannot learn that a flag — or its case — exists.

- ``escalation.selectors.flags_handled_by(user)``: the flags ``user`` handles, scoped in SQL (``EXISTS``);
  the worklist, the case page's panel and the close service all read through it.
- ``review_flag_close``: a handler closes an open flag as ``afgehandeld`` with a short note, under the
  flag's row lock; anyone else gets 404, as for a case they may not see. Audited by django-auditlog
  (``escalation.audit``) with the signed-in user as actor.
- ``review_flags_settle``: a decision on a case settles its open flags (``escalation.services.decision_make``
  calls it in the decision's transaction); ``closed_by`` stays empty — the decision says who.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from cases.models import Case
from partners.models import User
from pga.validators import validate_free_text

from .models import FlagStatus, ReviewFlag
from .selectors import flags_handled_by

NOTE_MAX_LENGTH = 1000
"""A closing note is short: what was done with the signal, not a case note (those go in the journal)."""

NOTE_REQUIRED = "Schrijf kort op hoe het signaal is afgehandeld."
NOTE_TOO_LONG = f"Houd de toelichting kort (hoogstens {NOTE_MAX_LENGTH} tekens)."
ALREADY_CLOSED = "Dit signaal is al gesloten."
SETTLED_BY_DECISION = "Afgehandeld door een besluit."


def note_clean(note: str) -> str:
    """The note as stored: stripped, required, at most ``NOTE_MAX_LENGTH`` characters, no control
    characters (``pga.validators``). Raises ``ValidationError({"note": …})`` with a Dutch message."""
    # A browser counts a line break as one character and sends two (CRLF): count as the user sees it.
    text = (note or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"note": NOTE_REQUIRED})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": NOTE_TOO_LONG})
    try:
        validate_free_text(text)
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from None
    return text


@transaction.atomic
def review_flag_close(*, actor: User, flag: ReviewFlag, note: str) -> ReviewFlag:
    """Close ``flag`` as ``afgehandeld`` by ``actor`` with ``note``; returns the saved flag.

    Takes the flag's row lock first, so two handlers closing at once are serialised. Raises ``Http404``
    when ``actor`` does not handle the flag or does not list its case (never a hint it exists);
    ``ValidationError`` (Dutch, keyed ``note``) for an empty, too long or malformed note, or when the
    flag is no longer open (a job or another handler closed it). Nothing is saved on an error.
    """
    text = note_clean(note)
    locked = flags_handled_by(actor, status=None).select_for_update(of=("self",)).filter(pk=flag.pk).first()
    if locked is None:
        raise Http404
    if locked.status != FlagStatus.OPEN:
        raise ValidationError({"note": ALREADY_CLOSED})
    locked.status = FlagStatus.AFGEHANDELD
    locked.closed_on = timezone.localdate()
    locked.closed_by = actor
    locked.closing_note = text
    locked.full_clean()
    locked.save(update_fields=["status", "closed_on", "closed_by", "closing_note"])
    return locked


def review_flags_settle(case: Case, *, day: dt.date) -> int:
    """Mark every open flag of ``case`` ``afgehandeld`` on ``day`` (a Europe/Amsterdam calendar day),
    ``closed_by`` empty, note ``SETTLED_BY_DECISION``; returns how many.

    A decision is the review the flags asked for (issue #5; the periodic and stagnation jobs count a
    decision as a review too, ``escalation.reviews``). Call it inside the decision's transaction. A
    case has at most one open flag per kind, so the flags are saved one by one (each audited).
    """
    flags = list(ReviewFlag.objects.select_for_update().filter(case=case, status=FlagStatus.OPEN))
    for flag in flags:
        flag.status = FlagStatus.AFGEHANDELD
        flag.closed_on = day
        flag.closed_by = None
        flag.closing_note = SETTLED_BY_DECISION
        flag.save(update_fields=["status", "closed_on", "closed_by", "closing_note"])
    return len(flags)
