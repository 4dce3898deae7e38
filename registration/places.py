"""Where a registrant registers (city and district) and the work they want (job and city)."""

from __future__ import annotations

import re

from knowledge.places import load_places
from registration.answers import InvalidAnswer, looks_like_question, normalise, parse_free_text

_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:自治县|新区|区|县|旗|市)$")
_PLACE_FILLER = re.compile(r"我想|我要|想|要|在|到|去|登记|办理|办|的|[，,。、；;\s]+")
_WANTED_FILLER = re.compile(
    r"我想|想要|想在|想去|想到|想|希望|打算|最好是?|找份|找个|找|一份|一个|个|干|做|当|在|去|到|的?工作|"
    r"的?岗位|的?活|方面|相关|之类|都行|都可以|就行|就好|左右|附近|[，,。、；;\s]+"
)


def parse_place(text: str) -> tuple[str, str]:
    """(city, district) of "武汉市洪山区", "西安 雁塔区", "射洪" (a county-level city is its
    own district). Codes: place_unknown (no city we know), place_need_district."""
    text = normalise(text)
    if looks_like_question(text):
        raise InvalidAnswer("place_unknown")
    found = load_places().find_all(text)
    cities = [place for _words, place in found if place.city_name]
    if not cities:
        raise InvalidAnswer("place_unknown")
    city = cities[0].city_name or ""
    for words, place in found:
        if place.city_name == city and words not in (city, f"{city}市"):
            # A district the place book knows; keep its suffix when the text gave one.
            after = text[text.index(words) + len(words) :][:1]
            return city, words + after if after in "区县市旗" and after else words
    rest = text
    for words, _place in sorted(found, key=lambda item: len(item[0]), reverse=True):
        rest = re.sub(re.escape(words) + "[省市]?", " ", rest)
    for part in _PLACE_FILLER.split(rest):
        if _DISTRICT.match(part):
            return city, part
    raise InvalidAnswer("place_need_district")


def parse_wanted(text: str, default_city: str) -> tuple[str, str]:
    """(job, city) of "想在武汉找会计的工作", "司机，西安", "保安"; the city defaults to where they
    register. Codes: those of ``parse_free_text``, and wanted_job_missing."""
    text = parse_free_text(text, max_chars=50)
    if looks_like_question(text):
        raise InvalidAnswer("text_invalid")
    places = load_places()
    found = [place.city_name for _words, place in places.find_all(text) if place.city_name]
    job = _WANTED_FILLER.sub(" ", places.without_places(text)).strip()
    job = re.sub(r"\s+", "、", job)
    if len(job) < 2:
        raise InvalidAnswer("wanted_job_missing")
    return job[:50], found[0] if found else default_city
