"""Coordinates from channel payloads, validated: a bad or missing point is None, never a guess."""

from __future__ import annotations

import math

from normalizer.types import GeoPoint


def geo_point(lat: object, lon: object) -> GeoPoint | None:
    """A point from numbers or numeric strings; None when missing, out of range, or (0, 0),
    which report apps write when the phone had no fix."""
    try:
        latitude = float(lat)  # type: ignore[arg-type]
        longitude = float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return None
    if latitude == 0.0 and longitude == 0.0:
        return None
    return GeoPoint(lat=latitude, lon=longitude)


SPOT_METRES = 1000.0  # a place box wider than this is an area, not a spot


def bbox_is_area(bbox: object, spot_metres: float = SPOT_METRES) -> bool:
    """Whether a GeoJSON bbox ``[west, south, east, north]`` spans more than a spot (its diagonal)."""
    if not isinstance(bbox, list | tuple) or len(bbox) != 4:
        return False
    try:
        west, south, east, north = (float(value) for value in bbox)
    except (TypeError, ValueError):
        return False
    height = (north - south) * 110_574.0
    width = (east - west) * 111_320.0 * math.cos(math.radians((north + south) / 2.0))
    return math.hypot(height, width) > spot_metres


def bbox_centre(bbox: object) -> GeoPoint | None:
    """The centre of a GeoJSON bbox ``[west, south, east, north]`` (X places)."""
    if not isinstance(bbox, list | tuple) or len(bbox) != 4:
        return None
    try:
        west, south, east, north = (float(value) for value in bbox)
    except (TypeError, ValueError):
        return None
    return geo_point((south + north) / 2.0, (west + east) / 2.0)
