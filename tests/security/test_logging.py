"""Logs (issue #7): the request id in every line (ASVS 4.0.3 7.1.4), control characters escaped against
forged lines (7.3.1), and no secrets: passwords, TOTP codes, OAuth client secrets and bearer tokens never
reach a log (7.1.1, 7.1.2). The handler under test is built from ``settings.LOGGING`` itself."""

import http.client
import io
import logging
import logging.config
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from partners.services import partner_application_create
from perf import load
from pga.logfilters import escape_controls
from tests import factories as f
from tests.jobs.test_celery import broker, celery_worker  # noqa: F401 - the real broker and worker

pytestmark = pytest.mark.django_db
LINE_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ \[")


class Captured:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@pytest.fixture
def log() -> Iterator[Captured]:
    """The ``console`` handler exactly as ``settings.LOGGING`` configures it, writing to a string, on the root
    logger at DEBUG (so nothing a lower level would log escapes the check)."""
    stream = io.StringIO()
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": settings.LOGGING["formatters"],
        "filters": settings.LOGGING["filters"],
        "handlers": {"capture": {**settings.LOGGING["handlers"]["console"], "stream": stream}},
    }
    configurator = logging.config.DictConfigurator(config)
    configurator.configure()  # builds formatters, filters and handlers without touching the loggers
    handler = logging._handlers["capture"]  # type: ignore[attr-defined]
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield Captured(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


# --- The formatter -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a\r\nb", "a\\r\\nb"),
        ("\x1b[31mrood", "\\x1b[31mrood"),
        ("nul\x00", "nul\\x00"),
        ("nel\x85", "nel\\x85"),
        ("del\x7f", "del\\x7f"),
        ("lijn\u2028alinea\u2029", "lijn\\u2028alinea\\u2029"),
        ("omgekeerd\u202e", "omgekeerd\\u202e"),
        ("tab\t", "tab\\t"),
        ("gewoon: é ü – ✓", "gewoon: é ü – ✓"),
    ],
)
def test_escape_controls(raw, escaped):
    assert escape_controls(raw) == escaped


def test_a_message_with_crlf_stays_one_line(log):
    logging.getLogger("pga.test").warning("Gebruiker %s", "x\r\n2026-01-01 00:00:00,000 ERROR [-] pga nep")

    assert len(log.lines) == 1
    assert log.lines[0].endswith("Gebruiker x\\r\\n2026-01-01 00:00:00,000 ERROR [-] pga nep")


def test_a_traceback_keeps_its_frames_and_escapes_the_exception_texts(log):
    forged = "NEP"  # not written out in the raise lines: the traceback shows their source
    try:
        try:
            raise KeyError(f"sleutel\n{forged} 1")
        except KeyError as error:
            error.add_note(f"notitie\r\n{forged} 2")
            raise ValueError(f"waarde\r\n{forged} 3") from error
    except ValueError:
        logging.getLogger("pga.test").exception("Mislukt")

    text = log.text
    assert "Traceback (most recent call last):" in text and 'File "' in text  # frames stay readable
    for forged in ("NEP 1", "NEP 2", "NEP 3"):
        (line,) = [line for line in log.lines if forged in line]
        assert not line.startswith("NEP")
    assert "waarde\\r\\nNEP 3" in text and "notitie\\r\\nNEP 2" in text and "sleutel\\nNEP 1" in text
    assert sum(bool(LINE_START.match(line)) for line in log.lines) == 1


def test_every_handler_uses_the_safe_formatter():
    formatters = settings.LOGGING["formatters"]
    for name, handler in settings.LOGGING["handlers"].items():
        formatter = formatters[handler["formatter"]]
        assert formatter.get("class") == "pga.logfilters.SafeFormatter", name
        assert "%(correlation_id)s" in formatter["format"], name
        assert "correlation_id" in handler["filters"], name


def test_a_line_outside_a_request_has_a_dash_for_the_request_id(log):
    logging.getLogger("pga.test").info("Buiten een verzoek")
    assert " [-] pga.test Buiten een verzoek" in log.lines[0]


# --- Requests ------------------------------------------------------------------------------------


def test_the_request_id_is_in_the_log_lines_of_a_request(log):
    response = Client().get("/api/v1/bestaat-niet/")

    request_id = response["X-Request-ID"]
    lines = [line for line in log.lines if "Not Found: /api/v1/bestaat-niet/" in line]
    assert lines and all(f"[{request_id}]" in line for line in lines)


def test_a_crlf_in_a_path_cannot_forge_a_log_line(log):
    forged = "/x%0D%0A2026-01-01%2000:00:00,000%20ERROR%20[-]%20pga%20beheerder%20ingelogd"
    assert Client().get(forged).status_code == 404

    (line,) = [line for line in log.lines if "beheerder ingelogd" in line]
    assert LINE_START.match(line) and "Not Found: /x\\r\\n2026-01-01" in line


def test_a_crlf_in_a_username_cannot_forge_a_log_line(log):
    username = "nep\r\n2026-01-01 00:00:00,000 ERROR [-] pga beheerder ingelogd"
    Client().post("/inloggen/", {"username": username, "password": "fout"})

    for line in log.lines:
        assert not line.startswith("2026-01-01 00:00:00,000 ERROR [-] pga beheerder"), line


# --- Secrets -------------------------------------------------------------------------------------


def test_passwords_and_totp_codes_never_reach_the_logs(log):
    officer = f.UserFactory(privacy_officer=True)
    device = TOTPDevice.objects.create(user=officer, name="telefoon", confirmed=True)
    client = Client()
    wrong_password = "Fout-wachtwoord-9876"
    client.post("/inloggen/", {"username": officer.username, "password": wrong_password})
    client.post("/inloggen/", {"username": officer.username, "password": f.PASSWORD})
    token = str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)
    wrong_token = str((int(token) + 1) % 1_000_000).zfill(6)
    client.post("/inloggen/tweede-stap/", {"token": wrong_token, "next": "/privacy/toezicht/"})
    client.post("/inloggen/tweede-stap/", {"token": token, "next": "/privacy/toezicht/"})

    for secret in (f.PASSWORD, wrong_password, token, wrong_token, device.key):
        assert secret not in log.text, secret


def test_client_secrets_and_bearer_tokens_never_reach_the_logs(log):
    application, secret = partner_application_create(organisation=f.organisation("politie-midden-nederland"), name="Test")
    client = APIClient()
    issued = client.post(
        "/oauth/token/", {"grant_type": "client_credentials", "client_id": application.client_id, "client_secret": secret}
    )
    assert issued.status_code == 200
    bearer = issued.json()["access_token"]
    refused = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "client_id": application.client_id, "client_secret": secret + "x"},
    )
    assert refused.status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {bearer}")
    client.get("/api/v1/cases/")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {bearer}nep")
    assert client.get("/api/v1/cases/").status_code == 401

    assert "Unauthorized: /oauth/token/" in log.text and "Unauthorized: /api/v1/cases/" in log.text  # seen
    for value in (secret, bearer, secret + "x"):
        assert value not in log.text


# --- Celery --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_celery_worker_logs_with_the_request_id_of_the_request_that_queued_the_task(broker, tmp_path):  # noqa: F811
    """A real ``celery -A pga worker`` (tests/jobs/test_celery.py) logs through ``settings.LOGGING``
    (django-guid's Celery integration): its lines carry the queuing request's id, and a task's result line
    (Celery logs it at INFO) holds counts only."""
    from django_guid import clear_guid, set_guid

    from privacy import tasks

    request_id = uuid.uuid4().hex
    set_guid(request_id)  # as the middleware does for a request
    try:
        tasks.review_sweep.delay()
    finally:
        clear_guid()
    with celery_worker(broker, tmp_path) as worker:
        line = worker.wait_for(
            lambda: next((line for line in worker.output().splitlines() if "succeeded in" in line), None),
            "the task's result line",
        )

    assert LINE_START.match(line)
    assert f"[{request_id}] celery.app.trace Task privacy.review_sweep[" in line
    assert re.search(r"succeeded in [0-9.]+s: \d+$", line)


def test_a_traceback_another_formatter_cached_is_escaped_all_the_same(log):
    """``logging.Formatter`` caches the traceback on the record: a plain formatter that ran first must not
    decide what our handler writes."""
    plain = logging.StreamHandler(io.StringIO())
    root = logging.getLogger()
    root.handlers.insert(0, plain)  # runs before ours
    forged = "NEP"
    try:
        try:
            raise ValueError(f"waarde\r\n{forged} 4")
        except ValueError:
            logging.getLogger("pga.test").exception("Mislukt")
    finally:
        root.removeHandler(plain)

    assert "\nNEP 4" in plain.stream.getvalue()  # the plain formatter did cache the raw text
    assert "waarde\\r\\nNEP 4" in log.text
    assert not any(line.startswith("NEP") for line in log.lines)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_crlf_in_a_path_cannot_forge_a_gunicorn_access_log_line(tmp_path):
    """A real gunicorn with ``gunicorn.conf.py`` (its ``SafeLogger``) and an access log: gunicorn logs the
    path unquoted, so ``%0d%0a`` arrives as a real CR LF."""
    access_log = tmp_path / "access.log"
    port = load.free_port()
    command = [sys.executable, "-m", "gunicorn", "pga.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    command += ["--access-logfile", str(access_log)]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE, "DATABASE_URL": load.database_url()}
    server = subprocess.Popen(command, env=environment, cwd=settings.BASE_DIR)  # noqa: S603 - our own interpreter
    try:
        load.wait_for(port, server)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/bestaat-niet%0d%0a10.0.0.1%20-%20GEVOELIG%0d%0a")
        connection.getresponse().read()
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

    lines = access_log.read_text().splitlines()
    forged = [line for line in lines if "bestaat-niet" in line]
    assert len(forged) == 1, lines
    assert "/bestaat-niet\\r\\n10.0.0.1 - GEVOELIG\\r\\n" in forged[0]
    assert not any(line.startswith("10.0.0.1 - GEVOELIG") for line in lines)
