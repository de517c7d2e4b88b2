"""Great-circle distances, and points on the unit sphere for nearest-neighbour queries.

The chord between two points on the sphere grows with their great-circle distance, so a k-d tree over
3-D unit vectors returns exactly the great-circle nearest neighbours, anywhere on Earth.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088  # the IUGG mean radius

Floats = NDArray[np.float64]


def haversine_km(lng1: Floats | float, lat1: Floats | float, lng2: Floats | float, lat2: Floats | float) -> Floats:
    """Great-circle distance in km between points given in degrees (arrays broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(np.subtract(lng2, lng1)) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=np.float64)


def unit_vectors(lng: Floats, lat: Floats) -> Floats:
    """Points as 3-D unit vectors (rows of x, y, z)."""
    lo, la = np.radians(lng), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def chord_to_km(chord: Floats) -> Floats:
    """The great-circle distance of a chord of the unit sphere."""
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2, 0.0, 1.0)), dtype=np.float64)


def distance_matrix(a: Floats, b: Floats) -> Floats:
    """Great-circle km between every row of `a` and every row of `b` (unit vectors): one matrix product."""
    dot = a @ b.T
    np.clip(dot, -1.0, 1.0, out=dot)
    # chord² = 2 − 2·cos; d = 2R·asin(chord / 2), in place to keep one matrix alive
    np.subtract(1.0, dot, out=dot)
    np.multiply(dot, 0.5, out=dot)
    np.sqrt(dot, out=dot)
    np.arcsin(dot, out=dot)
    np.multiply(dot, 2 * EARTH_RADIUS_KM, out=dot)
    return dot


def plane(lng: Floats, lat: Floats) -> Floats:
    """Local planar coordinates (km, equirectangular about the mean latitude): for cutting space into blocks."""
    lat0 = np.radians(float(np.mean(lat))) if len(lat) else 0.0
    return np.column_stack([np.radians(lng) * np.cos(lat0), np.radians(lat)]) * EARTH_RADIUS_KM
