"""docker-compose.yml and the Dockerfile, checked without a Docker engine (none runs here).

The compose file is parsed with PyYAML: the services exist, web/worker/beat/migrate share the one
`x-app` definition through a YAML anchor, every command names something that exists in the project
(manage.py and its sub-command, the WSGI module, the Celery app, the queues of CELERY_QUEUES_ALL),
and every variable handed to the containers is one the settings read.
"""

import importlib
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web", "worker", "beat")
# Read by Django/Celery themselves rather than through settings' `env`.
NOT_FROM_SETTINGS = {"DJANGO_SETTINGS_MODULE"}


def settings_env_vars() -> set[str]:
    """Every variable name the settings modules read with `env.<cast>("NAME", ...)` or, for
    secrets, `verbatim("NAME", ...)`."""
    names: set[str] = set()
    for path in (ROOT / "agri_platform" / "settings").glob("*.py"):
        names |= set(
            re.findall(r"\b(?:env(?:\.\w+)?|verbatim)\(\s*\"([A-Z0-9_]+)\"", path.read_text())
        )
    return names


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def compose_nodes() -> yaml.MappingNode:
    return yaml.compose((ROOT / "docker-compose.yml").read_text())


def node_value(mapping: yaml.MappingNode, key: str) -> yaml.Node:
    for key_node, value_node in mapping.value:
        if key_node.value == key:
            return value_node
    raise KeyError(key)


def command_argv(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def test_services(compose):
    assert set(compose["services"]) >= {"postgres", "redis", "migrate", "web", "worker", "beat"}


def test_app_services_share_one_definition_through_an_anchor(compose_nodes, compose):
    assert "x-app: &app" in (ROOT / "docker-compose.yml").read_text()
    shared = node_value(compose_nodes, "x-app")
    services = node_value(compose_nodes, "services")
    for name in APP_SERVICES:
        merged = node_value(node_value(services, name), "<<")
        assert merged is shared, f"{name} does not merge the x-app definition"
        assert compose["services"][name]["image"] == compose["x-app"]["image"]
        assert compose["services"][name]["build"] == "."


def test_manage_py_commands_exist(compose):
    available = get_commands()
    for name, service in compose["services"].items():
        if "command" not in service:
            continue
        argv = command_argv(service)
        if "manage.py" in argv:
            assert (ROOT / "manage.py").is_file()
            subcommand = argv[argv.index("manage.py") + 1]
            assert subcommand in available, f"{name}: manage.py {subcommand} does not exist"
    assert command_argv(compose["services"]["migrate"])[-2:] == ["migrate", "--noinput"]


def test_web_runs_gunicorn_on_the_wsgi_application(compose):
    argv = command_argv(compose["services"]["web"])
    assert argv[0] == "gunicorn"
    module, _, attribute = argv[1].partition(":")
    assert module == "agri_platform.wsgi"
    assert importlib.util.find_spec(module) is not None
    source = (ROOT / "agri_platform" / "wsgi.py").read_text()
    assert f"{attribute or 'application'} =" in source
    depends = compose["services"]["web"]["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert "/health/" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


def test_worker_consumes_every_queue_and_beat_uses_the_same_celery_app(compose):
    app_module = importlib.import_module("agri_platform.celery")
    assert app_module.app.main == "agri_platform"
    worker = command_argv(compose["services"]["worker"])
    beat = command_argv(compose["services"]["beat"])
    for argv in (worker, beat):
        assert argv[:3] == ["celery", "-A", "agri_platform"]
    assert "worker" in worker and "beat" in beat
    queues = worker[worker.index("-Q") + 1].split(",")
    assert sorted(queues) == sorted(settings.CELERY_QUEUES_ALL.split(","))
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} <= set(queues)
    for name in ("worker", "beat"):
        assert compose["services"][name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_environment_names_only_variables_the_settings_read(compose):
    environment = compose["x-app"]["environment"]
    read = settings_env_vars()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= set(environment)
    unknown = set(environment) - read - NOT_FROM_SETTINGS
    assert not unknown, f"compose sets variables no setting reads: {sorted(unknown)}"
    assert environment["DJANGO_SETTINGS_MODULE"] == "agri_platform.settings.production"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), "SECRET_KEY must be required"
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"].startswith("redis://redis:")


def test_backing_services_have_healthchecks_and_volumes(compose):
    for name in ("postgres", "redis", "web", "worker"):
        assert compose["services"][name]["healthcheck"]["test"], name
    for name in ("postgres", "redis", "migrate"):
        assert compose["x-app"]["depends_on"].get(name) or name == "migrate"
    assert {"postgres-data", "redis-data", "media"} <= set(compose["volumes"])


def test_configuration_doc_lists_every_variable_the_settings_read():
    doc = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(name for name in settings_env_vars() if f"`{name}`" not in doc)
    assert not missing, f"docs/configuration.md does not document: {missing}"


def test_dockerfile():
    text = (ROOT / "Dockerfile").read_text()
    instructions = [
        line.split(None, 1)
        for line in re.sub(r"\\\n", " ", text).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert instructions[0] == ["FROM", "python:3.11-slim"]
    runs = " ".join(args for op, args in instructions if op == "RUN")
    assert "uv sync --frozen" in runs and "--no-dev" in runs
    assert "manage.py collectstatic --noinput" in runs
    users = [args.strip() for op, args in instructions if op == "USER"]
    assert users and users[-1] not in {"root", "0"}
    cmd = next(args for op, args in instructions if op == "CMD")
    assert '"gunicorn", "agri_platform.wsgi:application"' in cmd
    for op, args in instructions:
        if op == "COPY" and args.split()[0] != ".":
            for source in args.split()[:-1]:
                assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored
