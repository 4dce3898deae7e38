"""Which province and city a text names, so "武汉" finds 湖北省's notice and "射洪" 遂宁's.

The places are data (``places.yml``). A place is found by its name with or without its suffix
("武汉", "武汉市"; "湖北", "湖北省"), in either script, the longest name first, so "吉林市" is
the city and "吉林" the province.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.simplified import to_simplified

PLACES_FILE = Path(__file__).resolve().parent / "places.yml"
# Province-level suffixes, longest first: "广西壮族自治区" is called "广西".
_PROVINCE_SUFFIX = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市)$")
# Only 市 comes off a city's name, and a name without one of these gets 市: "广州" is 广州市.
_CITY_SUFFIX = re.compile(r"市$")
_CITY_DIVISION = re.compile(r"(市|区|县|自治州|地区|盟)$")


@dataclass(frozen=True)
class Place:
    """A place a text names: always its province, and its city when the text is that precise."""

    province: str
    city: str | None = None

    @property
    def province_name(self) -> str:
        """The province as people and notices say it: "陕西省" → "陕西"."""
        return _PROVINCE_SUFFIX.sub("", self.province)

    @property
    def city_name(self) -> str | None:
        """The city as postings name it: the city, or a city that is a province (北京, 上海);
        None for a province."""
        if self.city is not None:
            return self.city
        if self.province.endswith("市"):
            return self.province_name
        return None

    @property
    def region(self) -> str:
        """The place as notices name regions: "湖北省", "湖北省武汉市", "四川省遂宁市"."""
        if self.city is None:
            return self.province
        city = self.city if _CITY_DIVISION.search(self.city) else f"{self.city}市"
        return f"{self.province}{city}"


class PlaceBook:
    """Finds places in texts; build it with ``load_places``."""

    def __init__(self, names: dict[str, Place]) -> None:
        self._names = names
        self._pattern = re.compile(
            "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        )

    def find_all(self, text: str) -> list[tuple[str, Place]]:
        """Every place named in ``text``, in order, each with the words that named it."""
        return [(match.group(), self._names[match.group()]) for match in self._find(text)]

    def find(self, text: str) -> Place | None:
        """The first place ``text`` names, if any."""
        found = self.find_all(text)
        return found[0][1] if found else None

    def without_places(self, text: str) -> str:
        """``text`` (Simplified) with the place names taken out."""
        return self._pattern.sub(" ", to_simplified(text))

    def _find(self, text: str) -> list[re.Match[str]]:
        return list(self._pattern.finditer(to_simplified(text)))


def _names(place: str, suffix: re.Pattern[str]) -> list[str]:
    bare = suffix.sub("", place)
    return [place, bare] if len(bare) >= 2 and bare != place else [place]


def parse_places(document: Any) -> PlaceBook:
    """The place book of a ``places.yml`` document: province → list of cities, or → mapping of
    city → list of its districts and counties. A province is also known without its suffix."""
    if not isinstance(document, dict) or not isinstance(document.get("provinces"), dict):
        raise ValueError("places: expected a 'provinces' mapping")
    names: dict[str, Place] = {}
    for province, cities in document["provinces"].items():
        for name in _names(province, _PROVINCE_SUFFIX):
            names[name] = Place(province)
        if isinstance(cities, list):
            cities = {city: [] for city in cities}
        for city, districts in (cities or {}).items():
            city_place = Place(province, _CITY_SUFFIX.sub("", city) or city)
            # A name listed with its suffix is only known that way ("吉林市", "安居区").
            names.setdefault(city, city_place)
            for district in districts or []:
                names.setdefault(district, city_place)
    return PlaceBook(names)


@lru_cache(maxsize=1)
def load_places(path: Path = PLACES_FILE) -> PlaceBook:
    return parse_places(yaml.safe_load(path.read_text(encoding="utf-8")))
