"""Plain snapshots and rule sets for the tests without a database.

``snapshot()`` is a case on ``DAY`` that meets both escalation criteria of rule set version 1 unless
told otherwise: age 20, three counting offences in the last 24 months of which one serious and two
drug-related, drug network ``ja``, two leefgebieden at 1–2, last offence five months ago.
"""

import dataclasses
import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from escalation.parameters import VERSION_1, Rules, parameters_parse
from escalation.snapshot import CaseSnapshot, OffenceFact

DAY = dt.date(2026, 6, 15)
RULES = Rules(version=1, parameters=parameters_parse(VERSION_1))
PARAMETERS = RULES.parameters


def offence(
    on: dt.date, statute: str = "Sr 310", *, serious: bool = False, drug: bool = False, violent: bool = False
) -> OffenceFact:
    return OffenceFact(on, statute, serious, drug, violent)


def months_ago(months: int, days: int = 0) -> dt.date:
    return DAY - relativedelta(months=months) - dt.timedelta(days=days)


SCORES = {"dagbesteding": 3, "zorg": 4, "huisvesting": 3, "identiteitsbewijs": 4, "inkomen": 2, "motivatie": 2}
OFFENCES = (
    offence(months_ago(5), "Sr 285", violent=True),
    offence(months_ago(9), "Sr 312 lid 1", serious=True, violent=True),
    offence(months_ago(16), "Opiumwet 10 lid 3", serious=True, drug=True),
)


def scores(**overrides: int) -> tuple[tuple[str, int], ...]:
    return tuple({**SCORES, **overrides}.items())


def snapshot(**overrides: Any) -> CaseSnapshot:
    base = CaseSnapshot(
        reference_date=DAY,
        age=20,
        current_tier="lokale_pga",
        status="actief",
        drug_network_indication="ja",
        offences=OFFENCES,
        scores=scores(),
        assessed_on=DAY - dt.timedelta(days=10),
        started_on=DAY - relativedelta(months=14),
        in_detention=False,
    )
    return dataclasses.replace(base, **overrides)


def rules(**sections: dict[str, Any]) -> Rules:
    """Version 1 with some parameters changed: ``rules(top_x={"age_max": 27})``."""
    document = {**VERSION_1, **{name: {**VERSION_1[name], **values} for name, values in sections.items()}}
    return Rules(version=2, parameters=parameters_parse(document))
