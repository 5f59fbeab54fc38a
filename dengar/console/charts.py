"""Charts as inline SVG drawn on the server: no chart library, no CDN, nothing for the page's script policy to allow.

Each function turns numbers into shapes with coordinates; the templates only place them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sink.monitor import HourlyVolume

# Colour per channel, readable on white and told apart by people with the common colour blindnesses.
CHANNEL_COLOURS = {
    "twitter": "#1f77b4", "instagram": "#d62728", "email": "#ff7f0e",
    "rss": "#2ca02c", "open311": "#9467bd", "qlue": "#8c564b",
}
OTHER_COLOUR = "#7f7f7f"


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # the tooltip: what this bar counts


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    legend: list[tuple[str, str]]  # (label, colour)
    plot_left: float
    plot_bottom: float
    plot_right: float


def channel_colour(channel: str) -> str:
    return CHANNEL_COLOURS.get(channel, OTHER_COLOUR)


def _nice_ceiling(value: int) -> int:
    """The axis top: 1, 2, 5 × a power of ten, at least ``value``."""
    if value <= 5:
        return max(value, 1)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def hourly_stacked_bars(volume: HourlyVolume, width: int = 760, height: int = 220) -> Chart:
    """Messages per hour of the day, one stacked bar per hour, one colour per channel."""
    left, right, top, bottom = 36.0, width - 8.0, 10.0, height - 24.0
    hours = len(next(iter(volume.channels.values()))) if volume.channels else 24
    totals = [sum(counts[h] for counts in volume.channels.values()) for h in range(hours)]
    ceiling = _nice_ceiling(max(totals, default=0))
    slot = (right - left) / hours
    scale = (bottom - top) / ceiling
    bars: list[Bar] = []
    for hour in range(hours):
        stacked = 0
        for channel, counts in volume.channels.items():
            count = counts[hour]
            if not count:
                continue
            y = bottom - (stacked + count) * scale
            bars.append(Bar(round(left + hour * slot + 1, 1), round(y, 1), round(slot - 2, 1), round(count * scale, 1),
                            channel_colour(channel), f"{hour:02d}:00 {channel}: {count}"))
            stacked += count
    x_ticks = [Tick(round(left + hour * slot + slot / 2, 1), f"{hour:02d}") for hour in range(0, hours, 3)]
    y_ticks = [Tick(round(bottom - value * scale, 1), str(value)) for value in sorted({0, ceiling // 2, ceiling})]
    legend = [(channel, channel_colour(channel)) for channel in volume.channels]
    return Chart(width, height, bars, x_ticks, y_ticks, legend, left, bottom, right)


def horizontal_bars(items: Sequence[tuple[str, float]], colour: str = "#0b5cad", width: int = 360,
                    row_height: int = 22) -> Chart:
    """One bar per (label, value), longest first as given; labels are drawn by the template beside the chart."""
    peak = max((value for _, value in items), default=0) or 1
    bars = [Bar(0, index * row_height + 3, round(max(value / peak * width, 1 if value else 0), 1), row_height - 6,
                colour, f"{label}: {value:g}") for index, (label, value) in enumerate(items)]
    return Chart(width, max(len(items), 1) * row_height, bars, [], [], [], 0, 0, width)


__all__ = ["Bar", "Chart", "Tick", "channel_colour", "hourly_stacked_bars", "horizontal_bars"]
