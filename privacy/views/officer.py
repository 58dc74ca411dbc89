"""The privacy officer's pages: who accessed person X, what did user U access, and the review queue.

Issue #4, "Privacy officer (sees logs, not case content)"; NEN 7513 §5 (the log must be usable to
answer exactly these two questions) and BIO 12.4.1 (logs are reviewed). Only a privacy officer whose
organisation takes part sees these pages; everyone else gets 404 (like a page that does not exist).
The pages are also behind the second factor (``partners.otp``).

- **Wie zag persoon X** (``officer_person_log``): a BSN or a person's UUID, always by POST so a BSN never
  appears in a URL, becomes the keyed pseudonym (``privacy.pseudonyms``) and the page lists the log rows
  about it. The officer sees the person's name only as confirmation of whom they found — no case
  content — and that look-up is itself written to the access log (identification data of the person).
  A UUID of a person who has since been erased still works: the pseudonym does not need the person.
- **Wat deed gebruiker U** (``officer_user_log``): username and dates in the query string (neither is
  personal data of a person concerned), rows by the ``(user, at)`` index.
- **Beoordelingen** (``officer_reviews``): open (or judged) reviews of denied attempts and break-the-glass
  uses; the judgement goes through ``privacy.services.review_record`` (audited).

Paging is keyset paging (``na`` = the last row's position; "Volgende" only) over the indexes
``accesslog_subject_pseudonym (pseudonym, entry)`` and ``accesslog_user_at (user, at)``: each page is one
``LIMIT 26`` index range scan and there is never a ``COUNT(*)``, so a page stays fast on millions of rows.
The person page orders by entry id, which follows the time of writing (ids come from one sequence).
"""

import datetime as dt
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms.base import BsnField, StyledForm, date_field, free_text_field
from cases.models import Person
from partners.models import Role, User

from .. import access_log, services
from ..categories import Category
from ..models import AccessAction, AccessLogEntry, PrivacyReview, ReviewKind, ReviewOutcome
from ..pseudonyms import pseudonym

PAGE_SIZE = 25
LOG_PURPOSE = "toezicht privacyfunctionaris"


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the sign-in page) and a privacy officer with access today (else 404)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.is_privacy_officer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _officer(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- Forms -----------------------------------------------------------------------------------


class PeriodForm(StyledForm):
    """An optional period; both bounds are whole local days and inclusive."""

    date_from = date_field("Vanaf", required=False)
    date_until = date_field("Tot en met", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_until")
        if start and end and end < start:
            self.add_error("date_until", "De einddatum ligt vóór de begindatum.")
        return data

    def period(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """``(from, until)`` as aware datetimes: ``at >= from`` and ``at < until``."""
        tz = timezone.get_current_timezone()
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_until")
        lower = dt.datetime.combine(start, dt.time(), tzinfo=tz) if start else None
        upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz) if end else None
        return lower, upper


class PersonLogForm(PeriodForm):
    """BSN or person UUID (one of the two) and a period. Sent by POST only."""

    bsn = BsnField(required=False, help_text="Negen cijfers. Of vul hieronder het persoonsnummer in.")
    person_id = forms.UUIDField(
        label="Persoonsnummer (UUID)",
        required=False,
        help_text="Het nummer van de persoon in PGA, ook als de persoon inmiddels is verwijderd.",
    )
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    field_order = ["bsn", "person_id", "date_from", "date_until"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("bsn")) == bool(data.get("person_id")) and not self.has_error("bsn"):
            raise ValidationError("Vul een BSN óf een persoonsnummer in.")
        return data


class UserLogForm(PeriodForm):
    username = forms.CharField(label="Gebruikersnaam", max_length=150)
    after = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    field_order = ["username", "date_from", "date_until"]

    def clean_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise ValidationError("Er is geen gebruiker met deze gebruikersnaam.")
        return user

    def clean_after(self) -> tuple[dt.datetime, int] | None:
        value = self.cleaned_data.get("after") or ""
        if not value:
            return None
        try:
            at_text, id_text = value.rsplit("_", 1)
            return dt.datetime.fromisoformat(at_text), int(id_text)
        except ValueError:
            raise ValidationError("Ongeldige paginaverwijzing.") from None


class ReviewForm(StyledForm):
    outcome = forms.ChoiceField(
        label="Oordeel",
        choices=[
            (ReviewOutcome.JUSTIFIED, ReviewOutcome.JUSTIFIED.label),
            (ReviewOutcome.NOT_JUSTIFIED, ReviewOutcome.NOT_JUSTIFIED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = free_text_field("Toelichting", required=False, rows=3, help_text="Verplicht bij niet gerechtvaardigd.")


# --- Queries ---------------------------------------------------------------------------------


def _entries() -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.select_related("user", "organisation")


def _labelled(rows: list[AccessLogEntry]) -> list[AccessLogEntry]:
    """Give each row its role's Dutch label (the log keeps the role's code, as it was at the time)."""
    labels = dict(Role.choices)
    for row in rows:
        row.role_label = labels.get(row.role, row.role)  # type: ignore[attr-defined]
    return rows


def _in_period(rows: QuerySet[AccessLogEntry], lower: dt.datetime | None, upper: dt.datetime | None) -> QuerySet[AccessLogEntry]:
    if lower:
        rows = rows.filter(at__gte=lower)
    if upper:
        rows = rows.filter(at__lt=upper)
    return rows


def person_log(
    value: str, *, lower: dt.datetime | None = None, upper: dt.datetime | None = None, after: int | None = None
) -> tuple[list[AccessLogEntry], bool]:
    """A page of the log rows about the person with pseudonym ``value``, newest first; and whether there is more."""
    rows = _in_period(_entries().filter(subjects__pseudonym=value), lower, upper)
    if after:
        rows = rows.filter(id__lt=after)
    page = list(rows.order_by("-id")[: PAGE_SIZE + 1])
    return _labelled(page[:PAGE_SIZE]), len(page) > PAGE_SIZE


def user_log(
    user: User,
    *,
    lower: dt.datetime | None = None,
    upper: dt.datetime | None = None,
    after: tuple[dt.datetime, int] | None = None,
) -> tuple[list[AccessLogEntry], bool]:
    """A page of the log rows written for ``user``, newest first; and whether there is more."""
    rows = _in_period(_entries().filter(user=user), lower, upper)
    if after:
        at, entry_id = after
        rows = rows.filter(at__lte=at).filter(Q(at__lt=at) | Q(id__lt=entry_id))
    page = list(rows.order_by("-at", "-id")[: PAGE_SIZE + 1])
    return _labelled(page[:PAGE_SIZE]), len(page) > PAGE_SIZE


# --- Views -----------------------------------------------------------------------------------


@officer_required
def officer_home(request: HttpRequest) -> HttpResponse:
    open_reviews = PrivacyReview.objects.filter(outcome=ReviewOutcome.OPEN)[: PAGE_SIZE + 1].count()
    return render(
        request,
        "privacy/officer/home.html",
        {"open_reviews": open_reviews, "more_reviews": open_reviews > PAGE_SIZE, "page_size": PAGE_SIZE},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def officer_person_log(request: HttpRequest) -> HttpResponse:
    """Who saw person X (POST: a BSN never in a URL)."""
    if request.method != "POST":
        return render(request, "privacy/officer/person_log.html", {"form": PersonLogForm()})
    form = PersonLogForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/officer/person_log.html", {"form": form})
    bsn, person_id = form.cleaned_data["bsn"], form.cleaned_data["person_id"]
    person = Person.objects.filter(bsn=bsn).first() if bsn else Person.objects.filter(pk=person_id).first()
    if person is None and bsn:
        form.add_error("bsn", "Er is geen persoon met dit BSN. Een verwijderde persoon zoekt u op persoonsnummer.")
        access_log.note(action=AccessAction.SEARCH, query=access_log.redacted_query(bsn=bsn), purpose=LOG_PURPOSE)
        return render(request, "privacy/officer/person_log.html", {"form": form})
    subject: uuid.UUID = person.pk if person is not None else person_id
    if person is not None:  # the name shown as confirmation is identification data: logged
        access_log.note(
            "person",
            [person.pk],
            persons=[person.pk],
            categories=[Category.IDENTIFICATIE],
            purpose=LOG_PURPOSE,
            action=AccessAction.SEARCH,
            query=access_log.redacted_query(bsn=bsn or "", persoonsnummer=str(person_id or "")),
        )
    lower, upper = form.period()
    rows, more = person_log(pseudonym(subject), lower=lower, upper=upper, after=form.cleaned_data.get("after"))
    context = {
        "form": form,
        "searched": True,
        "person": person,
        "subject_id": subject,
        "rows": rows,
        "more": more,
        "next_after": rows[-1].pk if rows and more else None,
        "first_page": not form.cleaned_data.get("after"),
        "date_from": form.cleaned_data.get("date_from"),
        "date_until": form.cleaned_data.get("date_until"),
    }
    return render(request, "privacy/officer/person_log.html", context)


@officer_required
def officer_user_log(request: HttpRequest) -> HttpResponse:
    """What did user U access (GET: a username and dates are not personal data of a person concerned)."""
    if "username" not in request.GET:
        return render(request, "privacy/officer/user_log.html", {"form": UserLogForm()})
    form = UserLogForm(request.GET)
    if not form.is_valid():
        return render(request, "privacy/officer/user_log.html", {"form": form})
    lower, upper = form.period()
    rows, more = user_log(form.cleaned_data["username"], lower=lower, upper=upper, after=form.cleaned_data.get("after"))
    next_after = f"{rows[-1].at.isoformat()}_{rows[-1].pk}" if rows and more else None
    context = {
        "form": form,
        "searched": True,
        "subject_user": form.cleaned_data["username"],
        "rows": rows,
        "more": more,
        "next_after": next_after,
        "first_page": not form.cleaned_data.get("after"),
    }
    return render(request, "privacy/officer/user_log.html", context)


@officer_required
def officer_reviews(request: HttpRequest) -> HttpResponse:
    """The review queue: open reviews (oldest first), or the judged ones (newest first); ``pagina`` pages.

    Denied attempts are swept into the queue first (idempotent), so the queue is current even where
    no beat runs (the embedded demo); the periodic sweep stays the backstop."""
    judged = request.GET.get("status") == "beoordeeld"
    if not judged:
        services.review_sweep_denied()
    try:
        page_number = max(int(request.GET.get("pagina", "1")), 1)
    except ValueError:
        page_number = 1
    reviews = PrivacyReview.objects.select_related(
        "entry__user", "entry__organisation", "grant__user__organisation", "reviewed_by"
    )
    if judged:
        reviews = reviews.exclude(outcome=ReviewOutcome.OPEN).order_by("-reviewed_at", "-id")
    else:
        reviews = reviews.filter(outcome=ReviewOutcome.OPEN).order_by("created_at", "id")
    offset = (page_number - 1) * PAGE_SIZE
    page = list(reviews[offset : offset + PAGE_SIZE + 1])  # no COUNT(*): one more row says there is a next page
    items = [(review, ReviewForm(prefix=str(review.pk))) for review in page[:PAGE_SIZE]]
    context = {
        "items": items,
        "judged": judged,
        "page_number": page_number,
        "has_next": len(page) > PAGE_SIZE,
        "kinds": ReviewKind,
    }
    return render(request, "privacy/officer/reviews.html", context)


@officer_required
@require_POST
def officer_review_record(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    review = get_object_or_404(PrivacyReview.objects.select_related("entry__user", "grant__user"), pk=review_id)
    form = ReviewForm(request.POST, prefix=str(review.pk))
    if form.is_valid():
        try:
            services.review_record(
                actor=_officer(request), review=review, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Het oordeel is vastgelegd.")
            return redirect("officer_reviews")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for problem in errors:
                messages.error(request, f"{label}: {problem}" if label else str(problem))
    return redirect("officer_reviews")


urlpatterns = [
    path("toezicht/", officer_home, name="officer_home"),
    path("toezicht/persoon/", officer_person_log, name="officer_person_log"),
    path("toezicht/gebruiker/", officer_user_log, name="officer_user_log"),
    path("toezicht/beoordelingen/", officer_reviews, name="officer_reviews"),
    path("toezicht/beoordelingen/<uuid:review_id>/", officer_review_record, name="officer_review_record"),
]
