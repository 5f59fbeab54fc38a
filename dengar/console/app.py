"""The console application: one factory the `dengar console` and `dengar run` commands both serve.

Pages live in ``dengar/console/views/<page>.py``, each with ``add_routes(app)``; every such module
is registered here, so a page is added by adding its file.
"""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
from pathlib import Path

from aiohttp import web
from sqlalchemy import Engine

from dengar.console import views
from dengar.console.auth import session_middleware
from dengar.console.i18n import Translations
from dengar.console.keys import CATEGORIES, ENGINE, LANG, PLACES, ROUTING, SECURE_COOKIES, SETTINGS, TRANSLATIONS
from dengar.console.places import PlaceChoices
from dengar.console.i18n import choose_language
from dengar.console.render import STATIC_DIR, error_pages, setup_templates
from dengar.console.search_catch_up import search_index_catch_up
from dengar.console.security import security_headers
from dengar.console.statistics import planner_statistics
from dengar.routing import AgencyRouting
from dengar.settings import Settings

LANG_COOKIE = "dengar_lang"
MAX_REQUEST_BYTES = 256 * 1024  # forms only; nothing an operator sends is bigger


@web.middleware
async def language(request: web.Request, handler):  # type: ignore[no-untyped-def]
    request[LANG] = choose_language(request.cookies.get(LANG_COOKIE))
    return await handler(request)


def load_categories(settings: Settings) -> dict[str, str]:
    """Category slug -> label, from the taxonomy in config/."""
    data = tomllib.loads(settings.data_file("categories.toml").read_text(encoding="utf-8"))
    table = data.get("categories", {})
    return {slug: str(entry.get("label", slug)) if isinstance(entry, dict) else slug for slug, entry in table.items()}


def page_modules() -> list[str]:
    return sorted(f"{views.__name__}.{info.name}" for info in pkgutil.iter_modules(views.__path__) if not info.name.startswith("_"))


def create_console_app(engine: Engine, settings: Settings, *, secure_cookies: bool = False) -> web.Application:
    """The console on ``engine``; ``secure_cookies`` when it is served over HTTPS (behind a proxy)."""
    app = web.Application(
        middlewares=[security_headers, language, error_pages, session_middleware],
        client_max_size=MAX_REQUEST_BYTES,
    )
    app[ENGINE] = engine
    app[SETTINGS] = settings
    app[SECURE_COOKIES] = secure_cookies
    app[TRANSLATIONS] = Translations.load()
    app[ROUTING] = AgencyRouting.from_file(settings.data_file("agencies.toml"))
    app[CATEGORIES] = load_categories(settings)
    app[PLACES] = PlaceChoices.load()
    setup_templates(app)
    app.cleanup_ctx.append(planner_statistics)
    app.cleanup_ctx.append(search_index_catch_up)
    app.router.add_static("/static/", STATIC_DIR, name="static")
    for name in page_modules():
        importlib.import_module(name).add_routes(app)
    return app
