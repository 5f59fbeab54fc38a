"""Typed keys for what the console application and each request carry."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import Engine

from dengar.console.i18n import Translations
from dengar.console.places import PlaceChoices
from dengar.routing import AgencyRouting
from dengar.settings import Settings

ENGINE = web.AppKey("engine", Engine)
SETTINGS = web.AppKey("settings", Settings)
TRANSLATIONS = web.AppKey("translations", Translations)
SECURE_COOKIES = web.AppKey("secure_cookies", bool)
ROUTING = web.AppKey("routing", AgencyRouting)
CATEGORIES = web.AppKey("categories", dict)  # slug -> label, in taxonomy order
PLACES = web.AppKey("places", PlaceChoices)

SESSION = web.RequestKey("session", object)  # sink.accounts.Session | None
LANG = web.RequestKey("lang", str)  # "id" | "en"
