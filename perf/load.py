"""S4 of issue #6: the partner API's throughput under gunicorn, measured with ``wrk`` on loopback.

Target (issue #6): at least ``TARGET_RPS`` requests/s with a p95 under ``TARGET_P95_MS`` ms and no
errors, for a partner application reading its caseload (``/api/v1/cases/``) and case details
(``/api/v1/cases/<id>/``) with an OAuth2 bearer token. A measurement, not a test; never run in CI.

The server is a real gunicorn (``pga.wsgi``, its own processes) on a free loopback port and on this
process's database, so it only sees committed data. The load comes from Debian's ``wrk`` (a light C
process) with ``perf/wrk/partner_api.lua``, bounded in time. The server's ``PGA_API_RATE`` is set far
above the load (``BENCH_API_RATE``), so S4 measures the app and not its rate limit; the limit's
counting itself still runs on every request, as in production.
"""

import contextlib
import dataclasses
import datetime as dt
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from oauthlib.common import generate_token

from cases import selectors
from partners.models import Organisation
from partners.services import partner_application_create

TARGET_RPS = 60.0
TARGET_P95_MS = 250.0
# Per second, so the throttle's window (and its history in the cache) stays about one second long.
BENCH_API_RATE = "1000000/s"
LUA_SCRIPT = Path(__file__).resolve().parent / "wrk" / "partner_api.lua"
WRK = "/usr/bin/wrk"
RESULT_PREFIX = "PGA_WRK "
ERROR_KINDS = ("connect", "read", "write", "timeout", "status")
# The readiness probe: a JSON 404 for an anonymous caller (pga/api/urls.py), once a worker has loaded Django.
READY_PATH = "/api/v1/klaar/"


# --- The server -------------------------------------------------------------------------------------


def database_url(server_options: str = "") -> str:
    """The URL of this process's database connection (the test database under pytest), with
    ``server_options`` (``-c name=value …``) for the server's PostgreSQL sessions when given."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    query = f"?options={quote(server_options)}" if server_options else ""
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}{query}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclasses.dataclass(frozen=True)
class ServerConfig:
    """How gunicorn runs: ``workers`` processes of ``worker_class`` (``sync`` or ``gthread`` with
    ``threads`` threads each; ``None``: as ``gunicorn.conf.py`` has it for production), PostgreSQL
    ``server_options`` and extra environment ``env`` (wins over this process's environment;
    ``production_env()`` runs the server with the production settings)."""

    workers: int = 2
    worker_class: str | None = None  # None: as gunicorn.conf.py (production)
    threads: int | None = None
    server_options: str = ""
    env: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def label(self) -> str:
        if self.worker_class is None:
            return f"{self.workers} workers zoals gunicorn.conf.py"
        threads = f" × {self.threads} threads" if self.worker_class == "gthread" and self.threads else ""
        return f"{self.workers} {self.worker_class}-workers{threads}"


def production_env(cache_url: str = "redis://127.0.0.1:6379/1?key_prefix=pga-bench") -> dict[str, str]:
    """Server environment for ``pga.settings.production`` on loopback: throwaway secret and pseudonym
    keys (new each call, never stored), plain HTTP, the rate-limit counters in Redis at ``cache_url``
    as in production, Celery not eager, and ``PGA_DEMO_SKIP_2FA`` off (``pga.settings.local`` puts it
    in this process's environment, and production refuses to start with it)."""
    return {
        "DJANGO_SETTINGS_MODULE": "pga.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PGA_PSEUDONYM_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CACHE_URL": cache_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PGA_DEMO_SKIP_2FA": "false",
    }


@contextlib.contextmanager
def gunicorn_server(config: ServerConfig | None = None) -> Iterator[int]:
    """Run ``python -m gunicorn pga.wsgi`` (reads ./gunicorn.conf.py) with ``config`` on a free
    loopback port, on this database and settings module; yields the port once it accepts connections.
    Raises ``RuntimeError`` when gunicorn exits or does not listen within 60 s; stops it on exit."""
    config = config or ServerConfig()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
        "DATABASE_URL": database_url(config.server_options),
        **config.env,
    }
    command = [sys.executable, "-m", "gunicorn", "pga.wsgi", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    command += ["--workers", str(config.workers)]
    if config.worker_class is not None:
        command += ["--worker-class", config.worker_class]
    if config.threads is not None:
        command += ["--threads", str(config.threads)]
    server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603 - our own interpreter and module
    try:
        wait_for(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(port: int, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Return once the app on ``127.0.0.1:port`` answers HTTP (any status: a worker has loaded
    Django; the master alone already accepts connections); ``RuntimeError`` when ``server`` exits
    first or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopte met code {server.returncode}")
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=max(1.0, deadline - time.monotonic()))
        with contextlib.suppress(OSError, http.client.HTTPException):
            probe.request("GET", READY_PATH)
            probe.getresponse().read()
            probe.close()
            return
        probe.close()
        time.sleep(0.2)
    raise RuntimeError("gunicorn startte niet op tijd")


# --- The partner's token ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PartnerToken:
    """A bearer token of a partner application acting for ``application.user`` (its service user)."""

    token: str
    application: Application
    expires: dt.datetime


def partner_token(organisation: Organisation, *, scope: str = "read", name: str = "Belastingtest") -> PartnerToken:
    """A new partner application of ``organisation`` (``partners.services.partner_application_create``:
    its service user and client-credentials ``Application``) and an ``AccessToken`` for it with
    ``scope`` ("read" for the GETs of S4; "read write" to write too), as ``/oauth/token/`` issues it
    (``partners.oauth``: the token acts as the application's user; lifetime
    ``ACCESS_TOKEN_EXPIRE_SECONDS``). Committed unless the caller is inside a transaction.
    Raises ``ValidationError`` when the organisation does not take part."""
    application, _secret = partner_application_create(organisation=organisation, name=name)
    lifetime = settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"]
    expires = timezone.now() + dt.timedelta(seconds=lifetime)
    token = AccessToken.objects.create(
        user=application.user, application=application, token=generate_token(), expires=expires, scope=scope
    )
    return PartnerToken(token.token, application, expires)


# --- wrk and its result -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LoadResult:
    """One wrk run: ``requests`` completed in ``seconds``, latency percentiles in milliseconds, and
    errors by kind (``ERROR_KINDS``; ``status`` is every answer outside 2xx)."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: dict[str, int]
    label: str = ""

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def meets_target(self) -> bool:
        """Issue #6 S4: ≥ ``TARGET_RPS`` requests/s, p95 < ``TARGET_P95_MS`` ms, no errors."""
        return self.requests_per_s >= TARGET_RPS and self.p95_ms < TARGET_P95_MS and self.error_count == 0

    def line(self) -> str:
        errors = ", ".join(f"{kind} {count}" for kind, count in self.errors.items() if count) or "geen"
        return (
            f"{self.label}: {self.requests_per_s:.1f} verzoeken/s ({self.requests} in {self.seconds:.1f} s), "
            f"p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, fouten: {errors}"
        )


def parse_wrk_output(output: str, label: str = "") -> LoadResult:
    """The ``PGA_WRK {json}`` line that ``perf/wrk/partner_api.lua`` prints in ``done()``, from wrk's
    whole standard output. Raises ``ValueError`` when the line is missing or incomplete."""
    match = re.search(rf"^{re.escape(RESULT_PREFIX)}(\{{.*\}})\s*$", output, flags=re.MULTILINE)
    if match is None:
        raise ValueError("geen PGA_WRK-regel in de uitvoer van wrk")
    try:
        data = json.loads(match.group(1))
        latency = data["latency_ms"]
        errors = {kind: int(data["errors"][kind]) for kind in ERROR_KINDS}
        return LoadResult(
            int(data["requests"]), float(data["duration_s"]), latency["p50"], latency["p95"], latency["p99"], errors, label
        )
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise ValueError(f"onvolledige PGA_WRK-regel: {error}") from None


@dataclasses.dataclass(frozen=True)
class LoadShape:
    """wrk's load: ``seconds`` long, ``threads`` threads, ``connections`` open connections, a share
    ``list_share`` (0..1) of caseload-list requests spread over pages 1..``list_pages`` (pages that exist:
    a page past the end answers 404, an error), the rest details."""

    seconds: int = 20
    threads: int = 2
    connections: int = 8
    list_share: float = 0.2
    list_pages: int = 5
    timeout_s: int = 5


def run_wrk(port: int, token: str, case_ids: list[str], shape: LoadShape | None = None, label: str = "") -> LoadResult:
    """Run wrk with ``perf/wrk/partner_api.lua`` against ``127.0.0.1:port`` for ``shape.seconds``,
    with ``token`` as bearer token and details of ``case_ids``. Raises ``RuntimeError`` when wrk is
    missing or fails, ``subprocess.TimeoutExpired`` when it outlives its duration by 60 s."""
    shape = shape or LoadShape()
    if not case_ids:
        raise RuntimeError("geen casussen om op te vragen")
    wrk = shutil.which(WRK) or shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk ontbreekt (Debian: apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="pga-case-ids-") as ids:
        ids.write("\n".join(case_ids) + "\n")
        ids.flush()
        env = {
            **os.environ,
            "PGA_BEARER_TOKEN": token,
            "PGA_CASE_IDS_FILE": ids.name,
            "PGA_LIST_SHARE": str(shape.list_share),
            "PGA_LIST_PAGES": str(shape.list_pages),
        }
        command = [wrk, "-t", str(shape.threads), "-c", str(shape.connections), "-d", f"{shape.seconds}s"]
        command += ["--timeout", f"{shape.timeout_s}s", "--latency", "-s", str(LUA_SCRIPT), f"http://127.0.0.1:{port}"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=shape.seconds + 60, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"wrk stopte met code {done.returncode}: {done.stderr.strip()[:500]}")
    return parse_wrk_output(done.stdout, label)


# --- S4 ------------------------------------------------------------------------------------------------


def visible_case_ids(bearer: PartnerToken, limit: int = 500) -> list[str]:
    """Up to ``limit`` ids of cases the token's application may see (``cases.selectors``), as strings."""
    user = bearer.application.user
    ids = selectors.cases_visible_to(user).order_by("?").values_list("pk", flat=True)[:limit]
    return [str(pk) for pk in ids]


def throughput(
    organisation: Organisation,
    *,
    server: ServerConfig | None = None,
    shape: LoadShape | None = None,
    warmup_s: int = 5,
) -> LoadResult:
    """S4: give ``organisation`` a partner application with a read token, start gunicorn (``server``,
    default 2 workers as gunicorn.conf.py runs them; ``PGA_API_RATE`` set to ``BENCH_API_RATE`` unless ``server.env`` sets it)
    and load it with wrk (``shape``, default 20 s, 2 threads, 8 connections) after ``warmup_s``
    seconds of unmeasured load. The application and its token stay (a benchmark database is dropped
    afterwards). Raises ``RuntimeError`` when the organisation sees no cases, or gunicorn or wrk fail."""
    server = server or ServerConfig()
    shape = shape or LoadShape()
    bearer = partner_token(organisation)
    case_ids = visible_case_ids(bearer)
    config = dataclasses.replace(server, env={"PGA_API_RATE": BENCH_API_RATE, **server.env})
    with gunicorn_server(config) as port:
        if warmup_s:
            run_wrk(port, bearer.token, case_ids, dataclasses.replace(shape, seconds=warmup_s))
        return run_wrk(port, bearer.token, case_ids, shape, label=config.label())
