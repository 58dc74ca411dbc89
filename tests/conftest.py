"""Shared fixtures: a case with a realistic team, and the people around it."""

import pytest

from cases.models import Case
from partners.models import User
from tests import factories as f


@pytest.fixture
def case_director(db) -> User:
    return f.UserFactory(case_director=True)


@pytest.fixture
def politie_user(db) -> User:
    return f.UserFactory(politie=True)


@pytest.fixture
def altrecht_user(db) -> User:
    return f.UserFactory(altrecht=True)


@pytest.fixture
def outsider(db) -> User:
    """A partner whose organisation is in no team of ``case``."""
    return f.UserFactory(jou=True)


@pytest.fixture
def case(db, case_director) -> Case:
    """A lokale-PGA case directed by ``case_director`` with Politie Midden-Nederland in its team."""
    case = f.CaseFactory(lokale_pga=True, case_director=case_director)
    f.TeamMemberFactory(case=case, organisation=f.organisation("politie-midden-nederland"), added_by=case_director)
    return case


# Transactional tests (threads, live server) must use ``serialized_rollback=True``: the reference data
# (organisations, wijken, offence types, rule set v1) comes from data migrations, which a flush would
# delete, and mixing serialized and plain flushes duplicates content types.
def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(f"{item.nodeid}: transactional tests need serialized_rollback=True (tests/conftest.py)")
