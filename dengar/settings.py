"""Settings: dengar.toml validated once at start-up, with errors that name the section and field."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path
from typing import Literal

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from collectors.archive.qlue import QlueMapping

BUNDLED_CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
DEFAULT_CONFIG = BUNDLED_CONFIG_DIR / "dengar.toml"
DEFAULT_DATABASE_URL = "sqlite:///dengar.db"


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and how to fix it."""


class DatabaseSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = DEFAULT_DATABASE_URL


class ConsoleSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    # SLA targets (Jakarta's CRM): coordination within 6 hours, resolution within 7 days of the first report.
    sla_coordination_hours: float = Field(6, gt=0)
    sla_resolution_days: float = Field(7, gt=0)
    session_hours: float = Field(12, gt=0)  # how long a sign-in lasts
    login_max_failures: int = Field(5, ge=1)  # per username (and 4x that per address) within the window
    login_window_minutes: float = Field(15, gt=0)


class DedupSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default_window_hours: float = Field(72, gt=0)
    window_hours: dict[str, float] = Field(default_factory=dict)


class PrivacySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hash_authors: bool = False  # keep citizens as keyed hashes instead of handles and names
    key_env: str = "DENGAR_PSEUDONYM_KEY"  # environment variable holding the secret key


class SourceSettings(BaseModel):
    """One live source; channel-specific keys are kept as given and checked by that channel's collector."""

    model_config = ConfigDict(extra="allow")
    name: str = Field(min_length=1)
    type: Literal["twitter", "instagram", "email", "rss", "open311", "qlue"]
    enabled: bool = True
    interval: float = Field(60, gt=0)
    jitter: float = Field(0.1, ge=0, le=0.5)  # each wait is interval ± this fraction, so sources drift apart
    silence_factor: float = Field(5, ge=2)  # silent after this many usual gaps without anything new
    silence_min: float = Field(3600, ge=0)  # ... and never before this many seconds of quiet


class DaemonSettings(BaseModel):
    """`dengar run`: how batches queue for the database and how long a source stays leased to one process."""

    model_config = ConfigDict(extra="forbid")
    queue_size: int = Field(8, ge=1)  # batches waiting for the writer before collectors wait too
    lease_seconds: float = Field(300, ge=2)  # a process that dies frees its sources after this long
    instance: str | None = None  # lease owner name; default: host and process id
    database_retry_max: float = Field(30, gt=0)  # longest wait between tries while the database is away


class CrmSettings(BaseModel):
    """Where forwarded tickets go: an Open311 GeoReport v2 server (POST requests.json) or a JSON webhook."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = False
    kind: Literal["open311", "webhook"] = "open311"
    url: str | None = None  # open311: the endpoint root or its requests.json; webhook: the URL posted to
    api_key_env: str | None = None  # open311: environment variable holding the api_key
    token_env: str | None = None  # webhook: environment variable holding a bearer token
    jurisdiction_id: str | None = None
    service_code_map: dict[str, str] = Field(default_factory=dict)  # our category slug -> the CRM's service_code
    timeout: float = Field(30, gt=0, le=300)  # seconds for one whole exchange
    max_attempts: int = Field(8, ge=1, le=1000)  # then the row is marked failed and left for an operator
    poll_interval: float = Field(15, gt=0)  # seconds between looks at the outbox
    retry_base: float = Field(30, gt=0)  # first retry waits up to this; doubling per failed attempt ...
    retry_cap: float = Field(3600, gt=0)  # ... never more than this
    max_response_bytes: int = Field(1024 * 1024, gt=0)

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        return url.strip()

    @model_validator(mode="after")
    def _complete(self) -> CrmSettings:
        if self.enabled and not self.url:
            raise ValueError("url is required when enabled = true")
        if self.kind == "webhook" and (self.api_key_env or self.jurisdiction_id):
            raise ValueError("api_key_env and jurisdiction_id are for kind = \"open311\"; a webhook takes token_env")
        if self.kind == "open311" and self.token_env:
            raise ValueError("token_env is for kind = \"webhook\"; an Open311 server takes api_key_env")
        return self


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    daemon: DaemonSettings = Field(default_factory=DaemonSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    dedup: DedupSettings = Field(default_factory=DedupSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    crm: CrmSettings = Field(default_factory=CrmSettings)
    qlue: dict[str, str | None] = Field(default_factory=dict)  # QlueMapping fields to override
    sources: list[SourceSettings] = Field(default_factory=list)
    config_path: Path | None = None

    @field_validator("qlue")
    @classmethod
    def _known_qlue_fields(cls, fields: dict[str, str | None]) -> dict[str, str | None]:
        unknown = set(fields) - {f.name for f in dataclasses.fields(QlueMapping)}
        if unknown:
            raise ValueError(f"unknown field mapping key(s): {', '.join(sorted(unknown))}")
        return fields

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[SourceSettings]) -> list[SourceSettings]:
        seen: set[str] = set()
        for source in sources:
            if source.name in seen:
                raise ValueError(f"two sources are named {source.name!r}; names must be unique")
            seen.add(source.name)
        return sources

    def data_file(self, name: str) -> Path:
        """A data file beside the configuration file, else the bundled one."""
        if self.config_path is not None:
            beside = self.config_path.parent / name
            if beside.exists():
                return beside
        return BUNDLED_CONFIG_DIR / name

    def data_dir_for(self, names: tuple[str, ...]) -> Path:
        """The folder holding all of ``names``: beside the configuration when it has them all, else bundled."""
        if self.config_path is not None and all((self.config_path.parent / n).exists() for n in names):
            return self.config_path.parent
        return BUNDLED_CONFIG_DIR


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"])
        lines.append(f"  {location}: {item['msg']}")
    return "\n".join(lines)


def load_settings(config_path: str | Path | None = None, database_url: str | None = None) -> Settings:
    """Read the configuration (``--config``, else DENGAR_CONFIG, else the bundled default).

    The database URL comes from ``--db``, else DENGAR_DATABASE_URL, else the file.
    """
    path = Path(config_path or os.environ.get("DENGAR_CONFIG") or DEFAULT_CONFIG)
    if not path.is_file():
        raise ConfigError(f"configuration file {path} not found — pass --config PATH or set DENGAR_CONFIG")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    try:
        settings = Settings.model_validate({**data, "config_path": path.resolve()})
    except ValidationError as exc:
        raise ConfigError(f"{path}: invalid configuration\n{_describe(exc)}") from exc
    url = database_url or os.environ.get("DENGAR_DATABASE_URL")
    if url:
        settings.database.url = url
    unknown = set(settings.dedup.window_hours) - set(_known_categories(settings))
    if unknown:
        raise ConfigError(f"{path}: [dedup.window_hours] names unknown categories: {', '.join(sorted(unknown))}")
    unmapped = set(settings.crm.service_code_map) - set(_known_categories(settings))
    if unmapped:
        raise ConfigError(f"{path}: [crm.service_code_map] names unknown categories: {', '.join(sorted(unmapped))}")
    return settings


def _known_categories(settings: Settings) -> list[str]:
    path = settings.data_file("categories.toml")
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    categories = data.get("categories", data)
    return list(categories) if isinstance(categories, dict) else [c.get("slug") for c in categories]

