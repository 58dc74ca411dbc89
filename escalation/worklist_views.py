"""De werklijst (issue #5): per director their open review flags, the proposals they decide and the
overdue actions on the cases they direct; the close form of a flag; the case page's flag panel.

Every list starts from the cases the user lists (``cases.selectors.cases_listed``), so an outsider
sees nothing of another case, and each list is one query whatever its length. What of a flag reaches
the template follows the sharing matrix (DOMAIN.md §8, issue #4): the date an exit-review flag is
about *is* the earliest exit date, derived from the last offence, so it is shown only to who may see
``FIELDS["case"]["earliest_exit_on"]`` (``justitieel``); names only to who reads ``identificatie``.
The page notes the cases, persons and categories it showed in the access log, as the caseload does.

Viewing the werklijst marks the user's in-app notifications read (``jobs.Notification``) and lists
the recent ones; they hold no personal data, only a count and a kind.
"""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases.access import Relation
from cases.forms import StyledForm
from cases.models import Case
from cases.views.common import actor, attempt, case_url, form_page
from jobs.models import JobName, Notification
from partners.models import User
from pga.validators import validate_free_text
from privacy import access_log, policy
from privacy.categories import Category

from .models import FlagKind, FlagStatus, ReviewFlag
from .review_services import NOTE_MAX_LENGTH, NOTE_REQUIRED, NOTE_TOO_LONG, review_flag_close
from .selectors import flags_handled_by, handles, open_proposals_for_director, overdue_actions, worklist_flags

RECENT_NOTIFICATIONS = 10
BACK_CHOICES = [("werklijst", "werklijst"), ("casus", "casus")]

# What ``ReviewFlag.basis_on`` means per kind (the label of the date shown).
BASIS_LABELS = {
    FlagKind.UITSTROOM: "Vroegste uitstroomdatum",
    FlagKind.PERIODIEK: "Toetsing nodig sinds",
    FlagKind.STAGNATIE: "Zonder besluit sinds",
}
# The job that raises each kind of flag (``escalation.reviews``), for the notifications' links.
KIND_OF_JOB = {
    JobName.EXIT_REVIEW: FlagKind.UITSTROOM,
    JobName.PERIODIC_REVIEW: FlagKind.PERIODIEK,
    JobName.STAGNATION: FlagKind.STAGNATIE,
}


# --- The close form ---------------------------------------------------------------------------------


class NoteField(forms.CharField):
    """A textarea's text with CRLF line breaks as LF, so its length is what the user sees (a browser
    counts a line break as one character against ``maxlength`` and sends two)."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n")


class FlagCloseForm(StyledForm):
    """A short note on how the flag was handled; ``terug`` says where to go afterwards (never a URL)."""

    note = NoteField(
        label="Toelichting",
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        help_text="Kort: wat is er met dit signaal gedaan? Bijvoorbeeld het besluit of de afspraak.",
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": NOTE_REQUIRED,
            "max_length": NOTE_TOO_LONG,
        },
    )
    terug = forms.ChoiceField(choices=BACK_CHOICES, initial="werklijst", widget=forms.HiddenInput)


def close_form(flag_id: int, back: str) -> FlagCloseForm:
    """An empty close form for one flag; the prefix keeps field ids unique when a page lists many."""
    return FlagCloseForm(prefix=f"signaal-{flag_id}", initial={"terug": back})


# --- What a template gets of a flag -----------------------------------------------------------------


def basis_shown(kind: str, disclosure: policy.Disclosure) -> bool:
    """Whether the date a flag of ``kind`` is about may be shown: the exit date is ``justitieel``
    (``FIELDS["case"]["earliest_exit_on"]``); the other dates come from decisions, conferences and the
    case's start, all ``plan``."""
    if kind == FlagKind.UITSTROOM:
        return disclosure.shows("case", "earliest_exit_on")
    return disclosure.reads(Category.PLAN)


@dataclasses.dataclass(frozen=True)
class FlagShown:
    """One open flag as a template may show it: ``basis_on`` is ``None`` when the viewer may not see it;
    ``person`` is a ``policy.Shown`` (its name only for who reads ``identificatie``)."""

    pk: int
    case_id: uuid.UUID
    person_id: uuid.UUID
    person: policy.Shown
    kind: str
    kind_label: str
    reason: str
    basis_label: str
    basis_on: dt.date | None
    raised_on: dt.date
    due_on: dt.date
    overdue: bool
    conference_on: dt.date | None
    form: FlagCloseForm

    @property
    def form_url(self) -> str:
        return reverse("review_flag_close", kwargs={"flag_id": self.pk})


def flags_shown(flags: Iterable[ReviewFlag], viewer: User, disclosure: policy.Disclosure, *, back: str) -> list[FlagShown]:
    """``flags`` (with ``case__person`` and ``conference`` selected) cut for ``viewer``. The casusoverleg
    a Top X flag was proposed for is named to its chair only (``escalation.selectors.conferences_visible_to``
    lets attendees see it too, but the proposal is the chair's to act on)."""
    today = timezone.localdate()
    shown = []
    for flag in flags:
        conference = flag.conference if flag.conference is not None and flag.conference.chair_id == viewer.pk else None
        shown.append(
            FlagShown(
                pk=flag.pk,
                case_id=flag.case_id,
                person_id=flag.case.person_id,
                person=policy.Shown("person", flag.case.person, disclosure),
                kind=flag.kind,
                kind_label=flag.get_kind_display(),
                reason=flag.reason,
                basis_label=BASIS_LABELS.get(FlagKind(flag.kind), "Betreft datum"),
                basis_on=flag.basis_on if basis_shown(flag.kind, disclosure) else None,
                raised_on=flag.raised_on,
                due_on=flag.due_on,
                overdue=flag.due_on < today,
                conference_on=timezone.localtime(conference.starts_at).date() if conference is not None else None,
                form=close_form(flag.pk, back),
            )
        )
    return shown


def flag_categories(flags: Iterable[FlagShown]) -> set[str]:
    """What the flags disclosed (access log): ``plan``; ``justitieel`` when an exit date was shown."""
    shown = {str(Category.PLAN)}
    if any(flag.kind == FlagKind.UITSTROOM and flag.basis_on is not None for flag in flags):
        shown.add(str(Category.JUSTITIEEL))
    return shown


@dataclasses.dataclass(frozen=True)
class FlagGroup:
    kind: str
    label: str
    flags: list[FlagShown]


def grouped(flags: list[FlagShown]) -> list[FlagGroup]:
    """The flags per kind, in ``FlagKind`` order; kinds without flags are left out."""
    groups = [FlagGroup(kind, label, [flag for flag in flags if flag.kind == kind]) for kind, label in FlagKind.choices]
    return [group for group in groups if group.flags]


# --- Reads --------------------------------------------------------------------------------------------


# --- Notifications ----------------------------------------------------------------------------------


def destruction_list_url() -> str:
    """The privacy officer's destruction list (``privacy:destruction_list``)."""
    return reverse("privacy:destruction_list")


@dataclasses.dataclass(frozen=True)
class NotificationShown:
    """One notification as listed: "3 nieuwe signalen: Uitstroomtoets — 30-11-2026" and where it leads."""

    text: str
    url: str
    new: bool


def notification_text(notification: Notification) -> str:
    day = notification.job_run.as_of if notification.job_run is not None else timezone.localdate(notification.created_at)
    count = notification.count
    noun = "nieuw signaal" if count == 1 else "nieuwe signalen"
    return f"{count} {noun}: {notification.get_kind_display()} — {day:%d-%m-%Y}"


def notification_url(kind: str) -> str:
    if kind == JobName.RETENTION:
        return destruction_list_url()
    flag_kind = KIND_OF_JOB.get(JobName(kind)) if kind in JobName.values else None
    return f"{reverse('worklist')}#signalen-{flag_kind}" if flag_kind else reverse("worklist")


def notifications_read(user: User) -> list[NotificationShown]:
    """The user's ``RECENT_NOTIFICATIONS`` latest notifications (``new``: unread until now), then all
    of theirs marked read. Two queries."""
    notifications = Notification.objects.filter(user=user).select_related("job_run").order_by("-created_at", "-id")
    recent = list(notifications[:RECENT_NOTIFICATIONS])
    shown = [NotificationShown(notification_text(n), notification_url(n.kind), n.read_at is None) for n in recent]
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    return shown


# --- Views --------------------------------------------------------------------------------------------


def _categories(flags: list[FlagShown], disclosure: policy.Disclosure) -> set[str]:
    """What a non-empty werklijst disclosed: names (``identificatie``), flags, proposals and actions
    (``plan``), and ``justitieel`` when an exit date was shown."""
    shown = flag_categories(flags)
    if disclosure.reads(Category.IDENTIFICATIE):
        shown.add(str(Category.IDENTIFICATIE))
    return shown


def _note_read(case_ids: set[uuid.UUID], person_ids: set[uuid.UUID], categories: set[str]) -> None:
    """Access log: the cases and persons the werklijst listed (nothing when it listed none)."""
    if case_ids:
        access_log.note("case", sorted(case_ids, key=str), persons=person_ids, categories=categories)


@login_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    """The werklijst of the signed-in user; a fixed number of queries whatever the number of items."""
    user = actor(request)
    disclosure = policy.disclosure_for(user)
    today = timezone.localdate()
    flags = flags_shown(worklist_flags(user), user, disclosure, back="werklijst")
    proposals = open_proposals_for_director(user, limit=100)
    actions = overdue_actions(user, day=today) if policy.rows_readable("action", disclosure) else []
    listed = [(f.case_id, f.person_id) for f in flags] + [(p.case_id, p.case.person_id) for p in proposals]
    listed += [(a.goal.plan.case_id, a.goal.plan.case.person_id) for a in actions]
    _note_read({case for case, _ in listed}, {person for _, person in listed}, _categories(flags, disclosure))
    context = {
        "flag_groups": grouped(flags),
        "flag_count": len(flags),
        "proposals": proposals,
        "actions": actions,
        "shows_names": disclosure.shows("person", "full_name"),  # flags carry their own Shown person
        "notifications": notifications_read(user),
        "today": today,
    }
    return render(request, "escalation/worklist.html", context)


def _flag_for(request: HttpRequest, flag_id: int) -> ReviewFlag:
    """The flag if the user handles it and lists its case (any status); else ``Http404`` (logged as denied)."""
    flag = flags_handled_by(actor(request), status=None).select_related("case__person").filter(pk=flag_id).first()
    if flag is None:
        access_log.note_denied("review_flag", [flag_id])
        raise Http404
    return flag


def _back(flag: ReviewFlag, back: str) -> str:
    return case_url(flag.case, "signalen") if back == "casus" else f"{reverse('worklist')}#signalen"


@login_required
@require_http_methods(["GET", "POST"])
def flag_close(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Close a flag as ``afgehandeld`` with a note (``review_services.review_flag_close``). The werklijst
    and the case page post here; a refused note comes back on this page with its error. 404 for
    anyone who does not handle the flag."""
    flag = _flag_for(request, flag_id)
    initial = {"terug": request.GET.get("terug", "werklijst")}
    data = request.POST if request.method == "POST" else None
    form = FlagCloseForm(data, prefix=f"signaal-{flag.pk}", initial=initial)
    back = form.data.get(form.add_prefix("terug")) if form.is_bound else form.initial["terug"]
    if flag.status != FlagStatus.OPEN and request.method == "GET":
        messages.info(request, "Dit signaal is al gesloten.")
        return redirect(_back(flag, str(back)))
    if request.method == "POST" and form.is_valid():
        closed = attempt(form, review_flag_close, actor=actor(request), flag=flag, note=form.cleaned_data["note"])
        if closed is not None:
            access_log.note("case", [flag.case_id], persons=[flag.case.person_id], categories=[Category.PLAN])
            messages.success(request, f"Signaal ‘{flag.get_kind_display()}’ afgehandeld.")
            return redirect(_back(flag, form.cleaned_data["terug"]))
    return _close_page(request, flag, form, _back(flag, str(back)))


def _close_page(request: HttpRequest, flag: ReviewFlag, form: FlagCloseForm, cancel_url: str) -> HttpResponse:
    """The form page of one flag: its reason, and its date where the viewer may see it (``basis_shown``)."""
    intro = flag.reason
    if basis_shown(flag.kind, policy.disclosure_for(actor(request))):
        intro = f"{flag.reason} {BASIS_LABELS[FlagKind(flag.kind)]}: {flag.basis_on:%d-%m-%Y}."
    title = f"Signaal afhandelen: {flag.get_kind_display()}"
    return form_page(request, case=flag.case, form=form, title=title, submit="Afhandelen", intro=intro, cancel_url=cancel_url)


# --- The case page's panel (cases.panels) ---------------------------------------------------------------


def review_flags_panel(request: HttpRequest, case: Case, rel: Relation) -> dict[str, Any]:
    """Context of ``escalation/_review_flags_panel.html``: the case's open flags with their close forms,
    for the people who handle them (a member of the team who handles them; break-the-glass is read
    only). Flags are the directors' signals, so others get no panel (one query for handlers only)."""
    if not (rel.is_member and handles(rel.user, case)):
        return {"review_flags": [], "closed_flags": []}
    disclosure = policy.disclosure_for(rel.user)
    flags = ReviewFlag.objects.filter(case=case, status=FlagStatus.OPEN).select_related("case__person", "conference")
    shown = flags_shown(flags.order_by("due_on", "id"), rel.user, disclosure, back="casus")
    closed = ReviewFlag.objects.filter(case=case).exclude(status=FlagStatus.OPEN).select_related("closed_by")
    closed_shown = [
        ClosedFlagShown(
            kind=flag.kind,
            kind_label=flag.get_kind_display(),
            status_label=flag.get_status_display(),
            basis_label=BASIS_LABELS.get(FlagKind(flag.kind), "Betreft datum"),
            basis_on=flag.basis_on if basis_shown(flag.kind, disclosure) else None,
            closed_on=flag.closed_on,
            closed_by=str(flag.closed_by) if flag.closed_by is not None else "",
            note=flag.closing_note,
        )
        for flag in closed.order_by("-closed_on", "-id")[:CLOSED_FLAGS_SHOWN]
    ]
    if shown or closed_shown:
        exit_dates = any(flag.basis_on is not None and flag.kind == FlagKind.UITSTROOM for flag in closed_shown)
        categories = flag_categories(shown) | ({str(Category.JUSTITIEEL)} if exit_dates else set())
        access_log.note(categories=categories)
    return {"review_flags": shown, "closed_flags": closed_shown}


CLOSED_FLAGS_SHOWN = 10  # the case page shows the latest closed signals; the inzage export holds them all


@dataclasses.dataclass(frozen=True)
class ClosedFlagShown:
    """A handled or withdrawn flag on the case page: how and when it was closed, and by whom (empty when
    a job or a decision closed it — the note says which)."""

    kind: str
    kind_label: str
    status_label: str
    basis_label: str
    basis_on: dt.date | None
    closed_on: dt.date | None
    closed_by: str
    note: str
