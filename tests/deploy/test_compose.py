"""docker-compose.yml and the Dockerfile (issue #7). Docker does not run on the CI machine, so the files
are read as data and every part that can run here runs for real: the settings import with the
environment compose gives the app services, the beat health check against the local PostgreSQL and
Redis, and the Dockerfile's collectstatic step's environment.
"""

import os
import re
import secrets
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.db import connection

from .helpers import BASE_DIR, run_python

COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
APP_SERVICES = ["web", "worker", "beat"]
# A service without a health check needs its reason here (none has one now).
WITHOUT_HEALTHCHECK: dict[str, str] = {}
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|_KEY$")
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Z_][A-Z0-9_]*)(?:(?P<op>:-|:\?)(?P<arg>[^}]*))?\}")


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's interpolation of ``${NAME}``, ``${NAME:-default}``, ``${NAME:?error}`` and ``$$``;
    ``KeyError`` when a ``:?`` variable is unset or empty, as compose refuses to start then."""

    def substitute(match: re.Match[str]) -> str:
        name, op, argument = match["name"], match["op"], match["arg"]
        value = variables.get(name, "")
        if op == ":?" and not value:
            raise KeyError(f"{name}: {argument}")
        if op == ":-" and not value:
            return argument
        return value

    return INTERPOLATION.sub(substitute, value.replace("$$", "\0")).replace("\0", "$")


def env_example() -> dict[str, str]:
    """The uncommented ``NAME=value`` lines of .env.example: what an operator's .env starts from."""
    variables = {}
    for line in (BASE_DIR / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            variables[name.strip()] = value.strip()
    return variables


def filled_in_env() -> dict[str, str]:
    """.env.example with every empty value filled in as the operator does: random secrets, a host name."""
    variables = env_example()
    for name, value in variables.items():
        if not value:
            variables[name] = secrets.token_urlsafe(50)
    variables["ALLOWED_HOSTS"] = "pga.example.nl"
    return variables


def service_environment(service: str, dotenv: dict[str, str]) -> dict[str, str]:
    """The environment compose gives ``service``: its env_file (.env), overridden by ``environment``."""
    definition = SERVICES[service]
    assert definition["env_file"] == ".env"
    environment = dict(dotenv)
    for name, value in definition["environment"].items():
        environment[name] = interpolate(str(value), dotenv)
    return environment


def test_the_whole_stack_is_there():
    assert set(SERVICES) == {"web", "worker", "beat", "postgres", "redis"}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_has_a_health_check_or_a_documented_reason(service):
    if service in WITHOUT_HEALTHCHECK:
        assert WITHOUT_HEALTHCHECK[service].strip()
        return
    check = SERVICES[service].get("healthcheck")
    assert check, f"{service} has no healthcheck"
    assert check["test"][0] in ("CMD", "CMD-SHELL") and len(check["test"]) > 1
    assert {"interval", "timeout", "retries"} <= set(check)


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_app_service_runs_the_image_with_production_settings(service):
    definition = SERVICES[service]
    assert definition["image"] == "pga:latest"
    assert definition["environment"]["DJANGO_SETTINGS_MODULE"] == "pga.settings.production"
    assert definition["restart"] == "unless-stopped"
    assert definition["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert definition["depends_on"]["redis"] == {"condition": "service_healthy"}


def test_worker_and_beat_start_after_web_has_migrated():
    assert "manage.py migrate --noinput" in SERVICES["web"]["command"]
    for service in ("worker", "beat"):
        assert SERVICES[service]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_web_runs_gunicorn_with_its_config_on_loopback_only():
    command = shlex.split(SERVICES["web"]["command"].split("&&", 1)[1].strip().rstrip('"'))
    assert command[:3] == ["exec", "gunicorn", "pga.wsgi"]
    assert command[command.index("--config") + 1] == "gunicorn.conf.py"
    assert (BASE_DIR / "gunicorn.conf.py").is_file()
    # The app trusts X-Forwarded-Proto: only the reverse proxy on this host may reach it.
    assert SERVICES["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_no_secret_literals_in_the_compose_file():
    for name, definition in SERVICES.items():
        for key, value in (definition.get("environment") or {}).items():
            value = str(value)
            if SECRET_NAME.search(key):
                assert re.fullmatch(r"\$\{[A-Z_]+(:\?[^}]*)?\}", value), f"{name}.{key} holds a literal: {value!r}"
            # A URL's password must be a required variable: ${NAME:?error}, never a literal or a default.
            interpolations = [match[0] for match in INTERPOLATION.finditer(value)]
            placeholder = value
            for number, interpolation in enumerate(interpolations):
                placeholder = placeholder.replace(interpolation, f"var{number}x", 1)
            userinfo = re.search(r"://([^/@]+)@", placeholder)
            if userinfo and ":" in userinfo[1]:
                password = userinfo[1].split(":", 1)[1]
                assert re.fullmatch(r"var(\d+)x", password), f"{name}.{key} has a literal password"
                assert ":?" in interpolations[int(password[3:-1])], f"{name}.{key}: the password has a default"
    text = (BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8")
    assert "SECRET_KEY=" not in text
    assert "PGA_PSEUDONYM_KEY=" not in text


def test_compose_refuses_to_start_without_a_database_password():
    dotenv = filled_in_env()
    dotenv["POSTGRES_PASSWORD"] = ""
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD"):
        service_environment("web", dotenv)


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_and_a_filled_in_env_example_provide_what_production_requires(service):
    """The production settings start with exactly the environment compose gives the service, from a .env
    made of .env.example with its blanks filled in."""
    environment = {**service_environment(service, filled_in_env()), "PATH": os.environ.get("PATH", "")}
    assert environment["CACHE_URL"].startswith("redis://redis:")
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:")
    started = run_python(["-c", "import pga.settings.production"], environment)
    assert started.returncode == 0, started.stderr


def test_an_env_example_with_its_blanks_left_blank_does_not_start():
    unfilled = {**env_example(), "POSTGRES_PASSWORD": "x"}
    refused = run_python(["-c", "import pga.settings.production"], {**service_environment("web", unfilled), "PATH": ""})
    assert refused.returncode != 0
    assert "SECRET_KEY ontbreekt" in refused.stderr


def beat_health_check(database_url: str, broker_url: str) -> int:
    test = SERVICES["beat"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    environment = {
        **service_environment("beat", filled_in_env()),
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CACHE_URL": "redis://127.0.0.1:6379/2",
    }
    return run_python(["-c", test[3]], environment, timeout=120).returncode


@pytest.mark.django_db
def test_the_beat_health_check_passes_with_its_database_and_broker_and_fails_without_the_broker():
    database = connection.settings_dict
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    database_url = f"postgres://{database['USER']}@{host}/{database['NAME']}"
    assert beat_health_check(database_url, "redis://127.0.0.1:6379/0") == 0
    assert beat_health_check(database_url, "redis://127.0.0.1:1/0") != 0  # nothing listens on port 1


def dockerfile() -> str:
    return (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")


def test_the_image_installs_the_pinned_runtime_dependencies_only():
    text = dockerfile()
    assert "pip install -r requirements/base.txt -c requirements/constraints.txt" in text
    instructions = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert not any("dev.txt" in line for line in instructions)


def test_the_image_runs_as_a_non_root_user_with_gunicorn_conf():
    text = dockerfile()
    users = re.findall(r"^USER\s+(\S+)", text, flags=re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert '"--config", "gunicorn.conf.py"' in text


def test_the_build_steps_collectstatic_environment_satisfies_the_production_settings():
    """The Dockerfile collects static files at build time with pga.settings.production: the throwaway
    variables of that RUN step must pass its refusals, or the image does not build."""
    step = re.search(r"^RUN ((?:[A-Z_]+=\S+\s*\\\n\s*)+)python manage.py collectstatic --noinput", dockerfile(), re.MULTILINE)
    assert step, "no collectstatic step in the Dockerfile"
    variables = dict(assignment.split("=", 1) for assignment in step[1].replace("\\\n", " ").split())
    environment = {**variables, "DJANGO_SETTINGS_MODULE": "pga.settings.production", "PATH": os.environ.get("PATH", "")}
    started = run_python(["-c", "import pga.settings.production"], environment)
    assert started.returncode == 0, started.stderr


def test_the_docker_context_leaves_secrets_and_local_state_out():
    ignored = Path(BASE_DIR / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for entry in (".env", ".git/", ".venv/", "node_modules/", "db.sqlite3"):
        assert entry in ignored


def compose_cli() -> list[str] | None:
    """``docker compose`` (the plugin) or ``docker-compose`` (Debian's package), whichever can run
    ``config``, which needs no Docker daemon; None when neither is installed."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)  # noqa: S607
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.mark.skipif(compose_cli() is None, reason="no docker compose CLI on this machine")
def test_docker_compose_config_accepts_the_file_and_requires_the_database_password(tmp_path):
    (tmp_path / "docker-compose.yml").write_text((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))
    command = [*(compose_cli() or []), "config"]
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    (tmp_path / ".env").write_text("POSTGRES_PASSWORD=\n")
    refused = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    assert refused.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in refused.stderr
    (tmp_path / ".env").write_text(f"POSTGRES_PASSWORD={secrets.token_urlsafe(20)}\n")
    accepted = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    assert accepted.returncode == 0, accepted.stderr
    resolved = yaml.safe_load(accepted.stdout)
    assert resolved["services"]["beat"]["environment"]["CACHE_URL"] == "redis://redis:6379/1"
