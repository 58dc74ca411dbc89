"""Shared fixtures: a case with a realistic team, and the people around it."""

import logging
import re

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


# ``force_login`` skips authentication altogether, so it also skips the second factor that privacy
# officers and administrators need for /privacy/ and /beheer/ (partners/otp.py): the user gets a
# confirmed TOTP device and the session counts as verified. The second factor itself is tested with
# real password sign-in and real TOTP codes (tests/privacy/test_2fa.py).
@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch):
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from partners.otp import needs_second_factor

        if needs_second_factor(user):
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


# --- No personal data in application logs (issue #4) ---------------------------------------------
class LogWatch(logging.Handler):
    """Every log record of one test, formatted as a log file would hold it (with tracebacks), and the
    names and BSNs of the persons saved during the test (``secrets``; shorter than 4 characters are
    left out: they would match ordinary words)."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.texts: list[str] = []
        self.secrets: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.texts.append(self.format(record))
        except Exception:  # a record that cannot be formatted still counts with its raw parts
            self.texts.append(f"{record.msg} {record.args}")

    def remember(self, sender, instance, **kwargs) -> None:
        for value in (instance.surname, instance.given_names, instance.bsn):
            if value and len(value.strip()) >= 4:
                self.secrets.add(value.strip())

    def leaks(self) -> list[str]:
        text = "\n".join(self.texts)
        return sorted(s for s in self.secrets if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text))


@pytest.fixture(autouse=True)
def no_personal_data_in_logs():
    """Fails the test when a surname, given names or BSN of a person saved during it reaches a log
    (the root logger, so django.request, celery and the app's own loggers; and any logger that does
    not propagate). Yields the ``LogWatch``; tests/test_no_personal_data_in_logs.py tests it."""
    from django.db.models.signals import post_save

    from cases.models import Person

    watch = LogWatch()
    post_save.connect(watch.remember, sender=Person, weak=False, dispatch_uid="tests-log-watch")
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in loggers:
        logger.addHandler(watch)
    try:
        yield watch
    finally:
        for logger in loggers:
            logger.removeHandler(watch)
        post_save.disconnect(dispatch_uid="tests-log-watch", sender=Person)
    leaks = watch.leaks()
    if leaks:
        pytest.fail(f"Persoonsgegevens in de applicatielogs: {leaks}\n" + "\n".join(watch.texts), pytrace=False)
