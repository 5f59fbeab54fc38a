"""Wiring: from settings to an engine with a current schema and a ready pipeline."""

from __future__ import annotations

from sqlalchemy import Engine

from collectors.archive import ArchiveReader, all_readers
from collectors.archive.qlue import QlueMapping, QlueReportReader
from collectors.content_types import QLUE_REPORT

from dedup.rules import DEFAULT_WINDOW_HOURS, MergeRules
from dengar.pipeline import Pipeline
from dengar.routing import AgencyRouting
from dengar.privacy import AuthorPseudonyms
from dengar.settings import ConfigError, Settings
from normalizer.analyzer import CONFIG_FILES, load_analyzer
from normalizer.channels import Parser, all_parsers
from normalizer.channels.qlue import make_parser
from sink.database import ensure_schema, open_engine

ANALYZER_FILES = tuple(CONFIG_FILES.values())


def database(settings: Settings) -> Engine:
    engine = open_engine(settings.database.url)
    ensure_schema(engine)
    return engine


def merge_rules(settings: Settings) -> MergeRules:
    """The configured windows on top of dedup's own per-category defaults."""
    return MergeRules(
        window_hours={**DEFAULT_WINDOW_HOURS, **settings.dedup.window_hours},
        default_window_hours=settings.dedup.default_window_hours,
    )


def qlue_mapping(settings: Settings) -> QlueMapping:
    return QlueMapping(**settings.qlue)


def archive_readers(settings: Settings) -> list[ArchiveReader]:
    """All archive readers, the Qlue one reading with the configured field mapping."""
    mapping = qlue_mapping(settings)
    return [QlueReportReader(mapping) if isinstance(r, QlueReportReader) else r for r in all_readers()]


def channel_parsers(settings: Settings) -> dict[str, Parser]:
    return {**all_parsers(), QLUE_REPORT: make_parser(qlue_mapping(settings))}


def build_pipeline(settings: Settings, engine: Engine | None = None) -> Pipeline:
    engine = engine if engine is not None else database(settings)
    analyzer = load_analyzer(settings.data_dir_for(ANALYZER_FILES))
    route = AgencyRouting.from_file(settings.data_file("agencies.toml"))
    pseudonyms = None
    if settings.privacy.hash_authors:
        try:
            pseudonyms = AuthorPseudonyms.from_environment(settings.privacy.key_env)
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
    return Pipeline(engine, analyzer, merge_rules(settings), route, channel_parsers(settings), pseudonyms)
