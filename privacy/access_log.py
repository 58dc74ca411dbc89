"""Writing the access log: one row per request that reads or writes personal data (issue #4).

Views, serializers and selectors *note* what they disclose — ``note(...)`` for what was shown or
changed, ``note_denied(...)`` for an outsider's attempt — into a collector that lives for one request
(a context variable, so selectors need no request argument). ``AccessLogMiddleware`` runs the whole
request in one transaction and, when anything was noted, writes one ``AccessLogEntry`` (with its
``AccessLogSubject`` pseudonyms) in that same transaction before the response leaves. If the row
cannot be written, the transaction is rolled back and the user gets 503 without any personal data.

Outside a request (Celery tasks, management commands) there is no collector and ``note`` does
nothing: jobs are accounted for by django-auditlog and their own run records.

Fields follow NEN 7513: who (user, organisation, role, partner application), what (action, object
type and ids, categories), whose (pseudonyms), when (UTC), why (purpose; break-the-glass marked),
outcome, and where from (client IP, request id).
"""

import contextvars
import dataclasses
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django_guid import get_guid

from .models import AccessAction, AccessLogEntry, AccessLogSubject, Outcome
from .pseudonyms import pseudonym

logger = logging.getLogger(__name__)

UNAVAILABLE = (
    "Het toegangslog is tijdelijk niet beschikbaar. Zonder logregel tonen we geen persoonsgegevens; probeer het later opnieuw."
)


@dataclasses.dataclass
class Collector:
    """What one request disclosed or changed, gathered until the middleware writes it."""

    object_types: list[str] = dataclasses.field(default_factory=list)
    object_ids: list[str] = dataclasses.field(default_factory=list)
    persons: set[str] = dataclasses.field(default_factory=set)
    categories: set[str] = dataclasses.field(default_factory=set)
    purposes: list[str] = dataclasses.field(default_factory=list)
    action: str = ""
    query: str = ""
    break_the_glass: bool = False
    denied: bool = False

    @property
    def active(self) -> bool:
        return bool(self.object_ids or self.persons or self.denied or self.action)

    def add(self, object_type: str, ids: Iterable[Any]) -> None:
        if object_type and object_type not in self.object_types:
            self.object_types.append(object_type)
        seen = set(self.object_ids)
        for value in ids:
            text = str(value)
            if text not in seen:
                self.object_ids.append(text)
                seen.add(text)


_current: contextvars.ContextVar[Collector | None] = contextvars.ContextVar("pga_access_log", default=None)


def current() -> Collector | None:
    """The collector of the request being handled, or ``None`` outside a request."""
    return _current.get()


def note(
    object_type: str = "",
    ids: Iterable[Any] = (),
    *,
    persons: Iterable[Any] = (),
    categories: Iterable[str] = (),
    purpose: str = "",
    action: AccessAction | str = "",
    query: str = "",
    break_the_glass: bool = False,
) -> None:
    """Record that this request disclosed or changed ``ids`` of ``object_type`` about ``persons``
    (person UUIDs; pseudonymised when written) in ``categories``, for ``purpose`` (e.g. ``casus <uuid>``).
    ``query`` must already be redacted (``redacted_query``). Does nothing outside a request."""
    collector = _current.get()
    if collector is None:
        return
    collector.add(object_type, ids)
    collector.persons.update(str(person) for person in persons if person)
    collector.categories.update(str(category) for category in categories)
    if purpose and purpose not in collector.purposes:
        collector.purposes.append(purpose)
    if action:
        collector.action = str(action)
    if query:
        collector.query = query[:200]
    collector.break_the_glass |= break_the_glass


def note_denied(object_type: str, ids: Iterable[Any] = (), *, persons: Iterable[Any] = ()) -> None:
    """Record an attempt on something the user may not see or do (the response is 404 or 403).
    ``persons`` (UUIDs) are whom the attempt was about, so "who tried to see person X" finds it too;
    the user learns nothing of them."""
    collector = _current.get()
    if collector is None:
        return
    collector.add(object_type, ids)
    collector.persons.update(str(person) for person in persons if person)
    collector.denied = True


def redacted_query(**params: str) -> str:
    """A search as the log keeps it: which parameters were used and how many words, never the words.
    ``redacted_query(naam="Vincent Bakker", wijk="")`` → ``"naam=[2 woorden]"``."""
    parts = []
    for name, value in params.items():
        if value:
            words = len(str(value).split())
            parts.append(f"{name}=[{words} {'woord' if words == 1 else 'woorden'}]")
    return " ".join(parts)


def _action(request: HttpRequest, collector: Collector) -> str:
    if collector.action:
        return collector.action
    method = request.method or "GET"
    if method in ("GET", "HEAD", "OPTIONS"):
        return AccessAction.LIST if len(collector.object_ids) > 1 else AccessAction.READ
    return {"POST": AccessAction.CREATE, "DELETE": AccessAction.DELETE}.get(method, AccessAction.UPDATE)


def _write(request: HttpRequest, response: HttpResponse, collector: Collector) -> None:
    user: Any = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    token = getattr(request, "auth", None)
    application = getattr(getattr(token, "application", None), "client_id", "") if token is not None else ""
    denied = collector.denied or response.status_code in (401, 403, 404)
    match = getattr(request, "resolver_match", None)
    try:  # inside the request's transaction (AccessLogMiddleware): a failure rolls back all of it
        entry = AccessLogEntry.objects.create(
            at=timezone.now(),
            user=user if authenticated else None,
            organisation_id=getattr(user, "organisation_id", None) if authenticated else None,
            role=getattr(user, "role", "") if authenticated else "",
            application=application[:100],
            action=_action(request, collector),
            view=(match.view_name if match else "")[:100],
            object_type=",".join(collector.object_types)[:32],
            object_ids=collector.object_ids,
            categories=sorted(collector.categories),
            purpose="; ".join(collector.purposes)[:200],
            break_the_glass=collector.break_the_glass,
            outcome=Outcome.DENIED if denied else Outcome.ALLOWED,
            status_code=response.status_code,
            client_ip=request.META.get("REMOTE_ADDR") or None,
            request_id=(get_guid() or "")[:64],
            query=collector.query,
        )
        AccessLogSubject.objects.bulk_create(
            AccessLogSubject(entry=entry, pseudonym=pseudonym(person)) for person in sorted(collector.persons)
        )
    except DatabaseError as exc:
        raise AccessLogUnavailable from exc


class AccessLogUnavailable(Exception):
    """The access-log row could not be written; nothing of the request may reach the user."""


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 without personal data: JSON under ``/api/``, the Dutch error page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": UNAVAILABLE}, status=503)
    return HttpResponse(render_to_string("503.html", {"message": UNAVAILABLE}), status=503)


class AccessLogMiddleware:
    """Runs each request in one transaction and writes its access-log row inside it (see module doc).

    Placed after authentication; DRF authenticates bearer tokens inside the view and sets the user
    (and ``auth``) on the underlying request, so the row names the partner application's service user.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        collector = Collector()
        token = _current.set(collector)
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if collector.active:
                    _write(request, response, collector)
        except AccessLogUnavailable:
            logger.error("Toegangslog niet geschreven; antwoord vervangen door 503.")
            return unavailable_response(request)
        finally:
            _current.reset(token)
        return response
