"""The container files agree with the project: no engine runs here, so check what can be read."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from dengar.cli import build_parser


def _dockerfile(repo_root: Path) -> str:
    return (repo_root / "Dockerfile").read_text(encoding="utf-8")


def _compose(repo_root: Path) -> dict[str, Any]:
    yaml = pytest.importorskip("yaml", reason="PyYAML not installed; compose file not parsed")
    document = yaml.safe_load((repo_root / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(document, dict), "docker-compose.yml is not a mapping"
    return document


def _substitute_defaults(value: str) -> str:
    """Resolve compose's ``${NAME:-default}`` to its default, as with an empty environment."""
    return re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", value)


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: _substitute_defaults(str(value)) for key, value in environment.items()}


def test_dockerfile_installs_the_repository_in_editable_mode(repo_root: Path) -> None:
    dockerfile = _dockerfile(repo_root)
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    assert re.search(r"^WORKDIR /app$", dockerfile, re.MULTILINE)
    assert re.search(r"pip install\b[^\n]*\s-e \.", dockerfile), "config/ must resolve from /app"
    command = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert command, "the image must say what it runs"
    _assert_runs_the_daemon_reachable_from_outside(json.loads(command.group(1)))


def test_container_command_is_a_declared_console_script(repo_root: Path) -> None:
    pyproject = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "dengar" in pyproject["project"]["scripts"]


def test_docker_context_leaves_out_local_environments(repo_root: Path) -> None:
    ignored = (repo_root / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".venv" in ignored and ".git" in ignored


def test_compose_runs_dengar_after_a_healthy_postgres(repo_root: Path) -> None:
    services = _compose(repo_root)["services"]
    assert set(services) >= {"postgres", "dengar"}
    postgres, dengar = services["postgres"], services["dengar"]

    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert postgres["volumes"], "PostgreSQL data must live in a volume"

    assert dengar["build"] == "."
    assert dengar["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert any(str(port).endswith(":8080") for port in dengar["ports"])
    assert any(str(volume).split(":")[1] == "/app/config" for volume in dengar["volumes"])
    command = dengar["command"]
    _assert_runs_the_daemon_reachable_from_outside(command.split() if isinstance(command, str) else command)


def _assert_runs_the_daemon_reachable_from_outside(command: list[str]) -> None:
    """`dengar run`, parsed by the real CLI, listening on all interfaces so a published port reaches it."""
    assert command[0] == "dengar"
    args = build_parser().parse_args(command[1:])
    assert args.command == "run"
    assert args.host == "0.0.0.0"


def test_compose_database_url_matches_the_postgres_service(repo_root: Path) -> None:
    services = _compose(repo_root)["services"]
    server = _environment(services["postgres"])
    url = make_url(_environment(services["dengar"])["DENGAR_DATABASE_URL"])

    assert url.drivername == "postgresql+psycopg"
    assert url.host == "postgres"
    assert url.username == server.get("POSTGRES_USER", "postgres")
    assert url.password == server["POSTGRES_PASSWORD"]
    assert url.database == server.get("POSTGRES_DB", url.username)
    assert "${POSTGRES_PASSWORD" in (repo_root / "docker-compose.yml").read_text(encoding="utf-8")
