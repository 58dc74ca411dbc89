"""Persons and cases of the dataset generator (``perf.dataset``, issue #6), made in Python from a seeded
``random.Random`` and written with ``COPY`` per batch of cases, while the next batch is being made."""

import dataclasses
import datetime as dt
import itertools
import queue
import random
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from cases.models import Action, Case, CasePlan, CaseTeamMember, Detention, Goal, Intervention, Offence, OffenceType, Person, Wijk
from pga.db import copy_rows
from privacy.pseudonyms import pseudonym

from . import dataset_catalogue as cat
from .dataset_context import (
    BATCH_CASES,
    DIRECTOR,
    DIRECTOR_ACTIVE_CASES,
    PARTNER_ORGANISATION,
    Context,
    Region,
    bulk_load,
)

# --- Persons and cases ---------------------------------------------------------------------------


@dataclasses.dataclass
class _Skeleton:
    """One case decided before its rows are written (offence and action counts are spread globally)."""

    person: int
    first_of_person: bool
    status: str
    tier: str
    region: int
    opened_on: dt.date
    closed_on: dt.date | None
    director: int | None
    partner_team: str = ""  # "current" or "past" entry of PARTNER_ORGANISATION
    offences: int = 1
    actions: int = 0


def _skeletons(ctx: Context) -> list[_Skeleton]:
    """Persons in order; 20 % (cases − persons) get a closed earlier case before their current one.
    The first ``DIRECTOR_ACTIVE_CASES`` current cases are the fixed director's, active, in Utrecht."""
    rng, today, n = ctx.rng, ctx.today, ctx.sizes
    twice = set(rng.sample(range(DIRECTOR_ACTIVE_CASES, n.persons), n.cases - n.persons))
    fixed_director = ctx.user_ids[DIRECTOR]
    skeletons = []
    closed: dt.date | None
    for person in range(n.persons):
        region = 0 if person < DIRECTOR_ACTIVE_CASES or rng.random() < 0.2 else rng.randrange(len(ctx.regions))
        if person in twice:
            opened = today - dt.timedelta(days=rng.randint(900, 1900))
            closed = min(opened + dt.timedelta(days=rng.randint(120, 600)), today - dt.timedelta(days=300))
            skeletons.append(_Skeleton(person, True, "afgesloten", _tier(rng, "afgesloten"), region, opened, closed, None))
            status = rng.choices(("actief", "aangemeld", "afgesloten"), (60, 10, 30))[0]
            opened = closed + dt.timedelta(days=rng.randint(30, 250))
        else:
            status = (
                "actief"
                if person < DIRECTOR_ACTIVE_CASES
                else rng.choices(("actief", "aangemeld", "afgesloten"), (55, 12, 33))[0]
            )
            ago = {"actief": (14, 900), "aangemeld": (0, 60), "afgesloten": (400, 1900)}[status]
            opened = today - dt.timedelta(days=rng.randint(*ago))
        opened = min(opened, today)
        closed = None
        if status == "afgesloten":
            closed = min(opened + dt.timedelta(days=rng.randint(60, 700)), today - dt.timedelta(days=1))
            if closed < opened:  # opened today: cannot be closed before tomorrow
                status, closed = "actief", None
        tier = "lokale_pga" if person < DIRECTOR_ACTIVE_CASES else _tier(rng, status)
        director = fixed_director if person < DIRECTOR_ACTIVE_CASES else None
        skeletons.append(_Skeleton(person, person not in twice, status, tier, region, opened, closed, director))
    for skeleton in skeletons:
        if skeleton.director is None and skeleton.tier != "basisinzet":
            skeleton.director = rng.choice(ctx.regions[skeleton.region].directors)
    _spread(ctx, skeletons)
    return skeletons


def _tier(rng: random.Random, status: str) -> str:
    if status == "aangemeld":
        return rng.choices(("basisinzet", "lokale_pga"), (40, 60))[0]
    return rng.choices(("basisinzet", "lokale_pga", "zvhru"), (25, 55, 20))[0]


def _spread(ctx: Context, skeletons: list[_Skeleton]) -> None:
    """Exactly ``sizes.offences`` offences (each case at least one, more for higher tiers) and
    ``sizes.actions`` actions (more in active cases); the partner organisation's teams."""
    rng, n = ctx.rng, ctx.sizes
    offence_weight = {"basisinzet": 1.0, "lokale_pga": 2.0, "zvhru": 3.5}
    action_weight = {"aangemeld": 0.15, "actief": 1.5, "afgesloten": 1.0}
    for name, total, weight, base in (
        ("offences", n.offences - len(skeletons), lambda s: offence_weight[s.tier], 1),
        ("actions", n.actions, lambda s: action_weight[s.status] * (1.5 if s.tier == "zvhru" else 1.0), 0),
    ):
        cumulative = list(itertools.accumulate(weight(s) for s in skeletons))
        counts = [base] * len(skeletons)
        for index in rng.choices(range(len(skeletons)), cum_weights=cumulative, k=total):
            counts[index] += 1
        for skeleton, count in zip(skeletons, counts, strict=True):
            setattr(skeleton, name, count)
    open_cases = [i for i, s in enumerate(skeletons) if s.status != "afgesloten"]
    if len(open_cases) < n.partner_teams:
        raise ValueError("De schaal is te klein voor het aantal teams van de vaste partnerorganisatie.")
    for index in rng.sample(open_cases, n.partner_teams):
        skeletons[index].partner_team = "current"
    closed = [i for i, s in enumerate(skeletons) if s.status == "afgesloten"]
    for index in rng.sample(closed, min(len(closed), n.partner_teams // 5)):
        skeletons[index].partner_team = "past"


TABLES: dict[str, type[Model]] = {
    "personen": Person,
    "casussen": Case,
    "plannen van aanpak": CasePlan,
    "delicten": Offence,
    "detenties": Detention,
    "doelen": Goal,
    "acties": Action,
    "casusteams": CaseTeamMember,
}


def write(ctx: Context) -> None:
    """Persons, cases, plans, offences, detentions, goals, actions and teams: made in a second thread
    (``_batches``) while this one writes the previous batch with ``COPY``, one commit per batch, with
    the tables' secondary indexes and foreign keys off (``bulk_load``)."""
    started = time.perf_counter()
    skeletons = _skeletons(ctx)
    ctx.step("verdeling (Python)", 0, started)
    seconds = dict.fromkeys(TABLES, 0.0)
    written = dict.fromkeys(TABLES, 0)
    began = time.perf_counter()
    with bulk_load(list(TABLES.values())):
        for rows in _prefetched(_batches(_CaseRows(ctx), skeletons)):
            with transaction.atomic():
                for name, model in TABLES.items():
                    copy_started = time.perf_counter()
                    written[name] += copy_rows(model, rows[name], ctx.now)
                    seconds[name] += time.perf_counter() - copy_started
        ctx.record("casustabellen: maken en COPY (samen)", 0, time.perf_counter() - began)
        for name in TABLES:
            ctx.record(f"{name} (COPY)", written[name], seconds[name])
        began = time.perf_counter()
    ctx.step("casustabellen: indexen en sleutels terug", 0, began)


def _batches(maker: "_CaseRows", skeletons: list[_Skeleton]) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """The rows of ``BATCH_CASES`` cases at a time. Runs in the worker thread: no database use here
    (``maker`` read its reference data in the caller's thread, whose transaction may hold locks)."""
    for start in range(0, len(skeletons), BATCH_CASES):
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        for skeleton in skeletons[start : start + BATCH_CASES]:
            maker.case(skeleton, rows)
        yield rows


_DONE = object()


def _prefetched(batches: Iterator[Any]) -> Iterator[Any]:
    """``batches``, made one ahead in a worker thread (no database use there); its error re-raised here."""
    handoff: queue.Queue[Any] = queue.Queue(maxsize=1)
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            for batch in batches:
                handoff.put(batch)
        except BaseException as error:  # handed to the consumer
            failure.append(error)
        finally:
            handoff.put(_DONE)

    worker = threading.Thread(target=produce, daemon=True)
    worker.start()
    while (batch := handoff.get()) is not _DONE:
        yield batch
    worker.join()
    if failure:
        raise failure[0]


class _CaseRows:
    """Turns a ``_Skeleton`` into rows of every case table (and remembers the access-log pairs)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.wijken = list(Wijk.objects.order_by("pk").values_list("pk", flat=True))
        types = list(OffenceType.objects.order_by("pk").values_list("pk", "drug_related"))
        self.types = [pk for pk, _ in types]
        self.type_weights = [4.0 if drug else 1.0 for _, drug in types]
        self.interventions = list(Intervention.objects.order_by("pk").values_list("pk", flat=True))
        self.om = ctx.org_ids["openbaar-ministerie"]
        self.dji = ctx.org_ids["dji"]
        self.partner_org = ctx.org_ids[PARTNER_ORGANISATION]
        self.persons: dict[int, tuple[uuid.UUID, dt.date, str]] = {}
        self.bsn_numbers = iter(_bsns(ctx.rng))

    def _day(self, low: dt.date, high: dt.date) -> dt.date:
        if high <= low:
            return low
        return low + dt.timedelta(days=self.rng.randint(0, (high - low).days))

    def _stamp(self, day: dt.date) -> dt.datetime:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=self.rng.randint(0, 600)))
        return min(moment, self.ctx.now)

    def case(self, s: _Skeleton, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Append the rows of case ``s`` (and of its person, on the person's first case) to ``rows``,
        keyed by the names of ``TABLES``; note the case's workers in ``ctx.pairs``."""
        ctx, rng = self.ctx, self.rng
        region = ctx.regions[s.region]
        if s.first_of_person or s.person not in self.persons:
            self._person(s, rows)
        person_id, dob, alias = self.persons[s.person]
        case_id, plan_id = ctx.uuid(), ctx.uuid()
        by_politie = rng.random() < 0.25 and ctx.users_by_org.get(region.politie)
        registrar_org = region.politie if by_politie else region.gemeente
        registrar = rng.choice(ctx.users_by_org[region.politie]) if by_politie else (s.director or rng.choice(region.directors))
        process = rng.choice(region.process_directors) if s.tier == "zvhru" else None
        end = s.closed_on or ctx.today
        created = self._stamp(s.opened_on)
        rows["casussen"].append(
            {
                "id": case_id,
                "person_id": person_id,
                "tier": s.tier,
                "target_group": _target_group(rng, s.tier),
                "status": s.status,
                "registering_organisation_id": registrar_org,
                "registered_by_id": registrar,
                "case_director_id": s.director,
                "process_director_id": process,
                "drug_network_indication": rng.choice(("ja", "ja", "nee", "onbekend")),
                "opened_on": s.opened_on,
                "reopened_on": None,
                "closed_on": s.closed_on,
                "closing_reason": rng.choices(cat.CLOSING_REASONS, cat.CLOSING_WEIGHTS)[0] if s.closed_on else "",
                "closing_note": "",
                "created_at": created,
                "updated_at": self._stamp(end) if s.closed_on else created,
            }
        )
        rows["plannen van aanpak"].append({"id": plan_id, "case_id": case_id, "created_at": created, "updated_at": created})
        author = s.director or registrar
        team = self._team(s, case_id, region, author, rows)
        self._offences(s, case_id, dob, region, registrar, rows)
        self._detention(s, case_id, registrar, rows)
        self._plan(s, plan_id, team or [region.politie], author, rows)
        for user in (s.director, process):
            if user is not None:
                ctx.pairs.append((case_id, person_id, alias, user))

    def _person(self, s: _Skeleton, rows: dict[str, list[dict[str, Any]]]) -> None:
        rng, ctx = self.rng, self.ctx
        person_id = ctx.uuid()
        age_days = round(rng.triangular(12 * 365, 27 * 365, 17 * 365))
        dob = s.opened_on - dt.timedelta(days=age_days)
        informed = rng.random() < 0.85
        gender = rng.choices(("man", "vrouw", "onbekend"), (82, 16, 2))[0]
        given = rng.choice(cat.GIVEN_NAMES_F if gender == "vrouw" else cat.GIVEN_NAMES)
        prefix, surname = rng.choice(cat.PERSON_SURNAMES)
        rows["personen"].append(
            {
                "id": person_id,
                "bsn": next(self.bsn_numbers) if rng.random() < 0.08 else None,
                "given_names": given,
                "surname_prefix": prefix,
                "surname": surname,
                "date_of_birth": dob,
                "gender": gender,
                "wijk_id": rng.choice(self.wijken) if s.region == 0 and self.wijken else None,
                "lvb": rng.random() < 0.12,
                "informed_on": self._day(s.opened_on, min(s.opened_on + dt.timedelta(days=30), ctx.today)) if informed else None,
                "not_informed_reason": "" if informed else rng.choice(cat.NOT_INFORMED),
                "created_at": self._stamp(s.opened_on),
                "updated_at": self._stamp(s.opened_on),
            }
        )
        self.persons[s.person] = (person_id, dob, pseudonym(person_id))

    def _team(self, s: _Skeleton, case_id: uuid.UUID, region: Region, author: int, rows: dict[str, list]) -> list[int]:
        ctx, rng = self.ctx, self.rng
        organisations = rng.sample(region.partners, min(len(region.partners), rng.randint(2, 5)))
        entries: list[tuple[int | None, int | None, bool]] = [(org, None, False) for org in organisations]
        if s.partner_team:
            entries.append((self.partner_org, None, s.partner_team == "current"))
        candidates = [org for org in organisations if ctx.users_by_org.get(org)]
        if candidates and rng.random() < 0.3:
            entries.append((None, rng.choice(ctx.users_by_org[rng.choice(candidates)]), False))
        for organisation, user, keep in entries:
            starts = min(self._day(s.opened_on, s.opened_on + dt.timedelta(days=30)), s.closed_on or ctx.today)
            ends = s.closed_on
            if ends is None and not keep and starts < ctx.today and rng.random() < 0.1:
                ends = self._day(starts, ctx.today - dt.timedelta(days=1))
            rows["casusteams"].append(
                {
                    "id": ctx.uuid(),
                    "case_id": case_id,
                    "organisation_id": organisation,
                    "user_id": user,
                    "starts_on": starts,
                    "ends_on": ends,
                    "added_by_id": author,
                    "created_at": self._stamp(starts),
                }
            )
            person_id, _, alias = self.persons[s.person]
            workers = ctx.users_by_org.get(organisation, []) if organisation is not None else []
            viewer = user or (rng.choice(workers) if workers else None)
            if viewer is not None:
                ctx.pairs.append((case_id, person_id, alias, viewer))
        return organisations

    def _offences(self, s: _Skeleton, case_id: uuid.UUID, dob: dt.date, region: Region, registrar: int, rows: dict) -> None:
        rng, ctx = self.rng, self.ctx
        earliest = max(dob + dt.timedelta(days=12 * 365 + 3), s.opened_on - dt.timedelta(days=1000))
        end = s.closed_on or ctx.today
        types = rng.choices(self.types, self.type_weights, k=s.offences)
        for offence_type in types:
            committed = self._day(earliest, end)
            old = (ctx.today - committed).days > 365
            outcome = rng.choices(cat.OUTCOMES, cat.OUTCOME_WEIGHTS_OLD if old else cat.OUTCOME_WEIGHTS_RECENT)[0]
            source = region.politie if rng.random() < 0.85 else self.om
            recorded = self._stamp(min(committed + dt.timedelta(days=rng.randint(1, 30)), ctx.today))
            recorders = ctx.users_by_org.get(source)
            rows["delicten"].append(
                {
                    "id": ctx.uuid(),
                    "case_id": case_id,
                    "committed_on": committed,
                    "offence_type_id": offence_type,
                    "outcome": outcome,
                    "description": "",
                    "source_organisation_id": source,
                    "recorded_by_id": rng.choice(recorders) if recorders else registrar,
                    "recorded_at": recorded,
                    "updated_at": recorded,
                    "legal_basis": "",
                }
            )

    def _detention(self, s: _Skeleton, case_id: uuid.UUID, registrar: int, rows: dict) -> None:
        rng, ctx = self.rng, self.ctx
        if s.status == "aangemeld" or rng.random() >= 0.08:
            return
        end = s.closed_on or ctx.today
        started = self._day(s.opened_on, end)
        current = s.closed_on is None and rng.random() < 0.4
        released = None if current else self._day(started, end)
        expected = ctx.today + dt.timedelta(days=rng.randint(7, 400)) if current else None
        recorders = ctx.users_by_org.get(self.dji)
        rows["detenties"].append(
            {
                "id": ctx.uuid(),
                "case_id": case_id,
                "institution": rng.choice(cat.INSTITUTIONS),
                "started_on": started,
                "expected_release_on": expected,
                "released_on": released,
                "source_organisation_id": self.dji,
                "recorded_by_id": rng.choice(recorders) if recorders else registrar,
                "recorded_at": self._stamp(started),
                "legal_basis": "",
            }
        )

    def _plan(self, s: _Skeleton, plan_id: uuid.UUID, team: list[int], author: int, rows: dict) -> None:
        rng, ctx = self.rng, self.ctx
        goals = min(s.actions, rng.randint(1, 3)) if s.actions else (1 if s.status != "aangemeld" and rng.random() < 0.3 else 0)
        goal_ids = []
        for leefgebied in rng.sample(cat.LEEFGEBIEDEN, goals):
            goal_ids.append((ctx.uuid(), leefgebied))
            created = self._stamp(self._day(s.opened_on, min(s.opened_on + dt.timedelta(days=60), ctx.today)))
            rows["doelen"].append(
                {
                    "id": goal_ids[-1][0],
                    "plan_id": plan_id,
                    "leefgebied": leefgebied,
                    "description": rng.choice(cat.GOALS[leefgebied]),
                    "achieved": s.status == "afgesloten" and rng.random() < 0.6,
                    "created_by_id": author,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        for number in range(s.actions):
            goal_id, leefgebied = goal_ids[number % len(goal_ids)]
            owner = rng.choice(team)
            users = ctx.users_by_org.get(owner)
            description, kind = rng.choice(cat.ACTIONS[leefgebied])
            status = _action_status(rng, s.status)
            created = self._stamp(self._day(s.opened_on, s.closed_on or ctx.today))
            rows["acties"].append(
                {
                    "id": ctx.uuid(),
                    "goal_id": goal_id,
                    "description": description,
                    "owning_organisation_id": owner,
                    "responsible_user_id": rng.choice(users) if users and rng.random() < 0.4 else None,
                    "due_on": created.date() + dt.timedelta(days=rng.randint(14, 240)),
                    "status": status,
                    "kind": kind,
                    "intervention_id": rng.choice(self.interventions) if self.interventions and rng.random() < 0.3 else None,
                    "created_by_id": author,
                    "created_at": created,
                    "updated_at": created,
                }
            )


def _target_group(rng: random.Random, tier: str) -> str:
    if tier == "basisinzet":
        return rng.choices(("jonge_aanwas", "doorgroeier"), (60, 40))[0]
    if tier == "lokale_pga":
        return rng.choices(("doorgroeier", "crimineel_systeem"), (90, 10))[0]
    return rng.choices(("top_x", "crimineel_systeem"), (85, 15))[0]


def _action_status(rng: random.Random, case_status: str) -> str:
    if case_status == "afgesloten":
        return rng.choices(("afgerond", "vervallen"), (75, 25))[0]
    if case_status == "aangemeld":
        return "open"
    return rng.choices(("open", "lopend", "afgerond", "vervallen"), (30, 35, 28, 7))[0]


def _bsns(rng: random.Random) -> Iterator[str]:
    """Unique nine-digit numbers starting 9999 that pass the eleven-check (the last digit is the check)."""
    for stem in range(99_990_000, 100_000_000):
        digits = [int(d) for d in f"{stem:08d}"]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            yield f"{stem:08d}{check}"
    raise ValueError("Geen proef-BSN's meer over.")
