"""Evaluation reports: per channel, category, kota or agency over a chosen period, as a page with charts and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from typing import Any

from aiohttp import web

from dengar.console.auth import EVERYONE, require_role
from dengar.console.charts import horizontal_bars
from dengar.console.db import read
from dengar.console.keys import CATEGORIES, SETTINGS
from dengar.console.render import WIB, render
from sink.reports import DIMENSIONS, Period, Report, SlaTargets, evaluation_report, report_rows

DEFAULT_DAYS = 30
MAX_DAYS = 366 * 2
CHART_ROWS = 12


def _date(value: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return fallback


def report_request(request: web.Request) -> tuple[str, date, date]:
    """Dimension and inclusive day range (Jakarta days) from the query; bad or huge ranges are clamped."""
    today = datetime.now(WIB).date()
    last = _date(request.query.get("to"), today)
    first = _date(request.query.get("from"), last - timedelta(days=DEFAULT_DAYS - 1))
    if first > last:
        first, last = last, first
    first = max(first, last - timedelta(days=MAX_DAYS))
    dimension = request.query.get("by") if request.query.get("by") in DIMENSIONS else "channel"
    return dimension, first, last


def _period(first: date, last: date) -> Period:
    start = datetime(first.year, first.month, first.day, tzinfo=WIB)
    end = datetime(last.year, last.month, last.day, tzinfo=WIB) + timedelta(days=1)
    return Period(start, end)


def _sla(request: web.Request) -> SlaTargets:
    console = request.app[SETTINGS].console
    return SlaTargets(coordination=timedelta(hours=console.sla_coordination_hours),
                      resolution=timedelta(days=console.sla_resolution_days))


async def _report(request: web.Request) -> tuple[Report, str, date, date]:
    dimension, first, last = report_request(request)
    report = await read(request, evaluation_report, dimension, _period(first, last), datetime.now(timezone.utc), _sla(request))
    return report, dimension, first, last


def _label(dimension: str, key: str, categories: dict[str, str]) -> str:
    return categories.get(key, key) if dimension == "category" else key


@require_role(*EVERYONE)
async def reports_page(request: web.Request) -> web.StreamResponse:
    report, dimension, first, last = await _report(request)
    categories = request.app[CATEGORIES]
    top = report.lines[:CHART_ROWS]
    labels = {line.key: _label(dimension, line.key, categories) for line in report.lines}
    query: dict[str, Any] = {"by": dimension, "from": first.isoformat(), "to": last.isoformat()}
    return render(request, "reports.html", {
        "report": report, "dimension": dimension, "dimensions": DIMENSIONS, "first": first, "last": last,
        "labels": labels, "query": query, "sla": _sla(request),
        "reports_chart": horizontal_bars([(labels[l.key], l.reports) for l in top], width=220),
        "reports_items": [(labels[l.key], l.reports) for l in top],
        "dup_chart": horizontal_bars([(labels[l.key], round(100 * (l.duplicate_ratio or 0))) for l in top], colour="#ff7f0e", width=220),
        "dup_items": [(labels[l.key], round(100 * (l.duplicate_ratio or 0))) for l in top],
    })


@require_role(*EVERYONE)
async def reports_csv(request: web.Request) -> web.StreamResponse:
    report, dimension, first, last = await _report(request)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(report_rows(report))
    filename = f"dengar-report-{dimension}-{first.isoformat()}-{last.isoformat()}.csv"
    return web.Response(body=buffer.getvalue().encode("utf-8-sig"), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/reports", reports_page, name="reports")
    app.router.add_get("/reports.csv", reports_csv, name="reports_csv")
