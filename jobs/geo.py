"""Where a posting is, roughly: the centre of its district, else of its city.

Postings name a city and a district, not an address, so "near me" ranks them by the distance from
the place the user shared to that centre. The table holds the cities of the notices and their
districts (and the largest cities job seekers ask about); a posting elsewhere has no coordinates
and comes after those that have.
"""

from __future__ import annotations

import math
from typing import TypedDict

EARTH_RADIUS_KM = 6371.0

# (latitude, longitude), WGS-84 as WeChat reports a shared location, to about a kilometre.
CITY_CENTRES: dict[str, tuple[float, float]] = {
    "武汉": (30.593, 114.305),
    "宜昌": (30.692, 111.287),
    "襄阳": (32.009, 112.122),
    "十堰": (32.629, 110.798),
    "荆州": (30.335, 112.240),
    "黄冈": (30.454, 114.872),
    "孝感": (30.925, 113.917),
    "西安": (34.342, 108.940),
    "延安": (36.585, 109.490),
    "咸阳": (34.330, 108.709),
    "宝鸡": (34.362, 107.238),
    "汉中": (33.068, 107.024),
    "遂宁": (30.533, 105.593),
    "成都": (30.573, 104.067),
    "绵阳": (31.468, 104.679),
    "南充": (30.838, 106.111),
    "北京": (39.904, 116.407),
    "上海": (31.230, 121.474),
    "广州": (23.129, 113.264),
    "深圳": (22.543, 114.058),
    "重庆": (29.563, 106.551),
}
DISTRICT_CENTRES: dict[tuple[str, str], tuple[float, float]] = {
    ("武汉", "江夏区"): (30.376, 114.322),
    ("武汉", "洪山区"): (30.500, 114.344),
    ("武汉", "东西湖区"): (30.620, 114.137),
    ("武汉", "汉阳区"): (30.554, 114.218),
    ("武汉", "江岸区"): (30.600, 114.309),
    ("武汉", "江汉区"): (30.601, 114.271),
    ("武汉", "硚口区"): (30.582, 114.215),
    ("武汉", "武昌区"): (30.554, 114.316),
    ("宜昌", "西陵区"): (30.710, 111.286),
    ("宜昌", "伍家岗区"): (30.651, 111.361),
    ("宜昌", "夷陵区"): (30.770, 111.326),
    ("襄阳", "樊城区"): (32.045, 112.135),
    ("襄阳", "襄城区"): (32.010, 112.134),
    ("襄阳", "襄州区"): (32.087, 112.211),
    ("西安", "雁塔区"): (34.223, 108.949),
    ("西安", "未央区"): (34.293, 108.947),
    ("西安", "长安区"): (34.159, 108.907),
    ("西安", "高新区"): (34.230, 108.884),
    ("延安", "宝塔区"): (36.592, 109.493),
    ("延安", "安塞区"): (36.864, 109.329),
    ("遂宁", "船山区"): (30.525, 105.582),
    ("遂宁", "安居区"): (30.356, 105.456),
    ("遂宁", "射洪市"): (30.871, 105.389),
    ("遂宁", "蓬溪县"): (30.758, 105.707),
    ("成都", "武侯区"): (30.642, 104.043),
    ("成都", "高新区"): (30.588, 104.063),
    ("成都", "双流区"): (30.574, 103.923),
}


class Coordinates(TypedDict):
    latitude: float | None
    longitude: float | None


def coordinates_of(city: str, district: str | None) -> Coordinates:
    """The centre of the district, else of the city; both None when the table has neither."""
    centre = DISTRICT_CENTRES.get((city, district or "")) or CITY_CENTRES.get(city)
    if centre is None:
        return {"latitude": None, "longitude": None}
    return {"latitude": centre[0], "longitude": centre[1]}


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))
