"""What a job seeker is looking for, read from one message: NLU's entities first, the text after.

NLU gives the city, the occupation and the group (``nlu_data``: lookup tables and synonyms); the
text gives what entities do not carry: a salary floor ("五千以上", "月薪过万", "4000到6000"),
part-time work ("兼职", "日结"), "near me" ("附近"), and a city, occupation or group NLU missed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from jobs import occupations
from knowledge.places import load_places

# The groups NLU names (its synonyms' canonical values), and the words postings' 适合人群 use.
GROUP_SUITS: dict[str, tuple[str, ...]] = {
    "高校毕业生": ("高校毕业生", "应届毕业生"),
    "农民工": ("农民工",),
    "残疾人": ("残疾人",),
    "退役军人": ("退役军人",),
    "脱贫劳动力": ("脱贫人口",),
    "长期失业青年": ("青年", "失业人员"),
    "退捕渔民": ("退捕渔民",),
    "低保家庭": ("就业困难人员",),
    "就业困难人员": ("就业困难人员",),
    "失业人员": ("失业人员",),
    "青年": ("青年",),
}
# Words that name a group when NLU gave none ("适合大学生的兼职").
GROUP_WORDS = (
    ("应届", "高校毕业生"),
    ("毕业生", "高校毕业生"),
    ("大学生", "高校毕业生"),
    ("农民工", "农民工"),
    ("进城务工", "农民工"),
    ("残疾", "残疾人"),
    ("退役", "退役军人"),
    ("退伍", "退役军人"),
    ("就业困难", "就业困难人员"),
)
PART_TIME_WORDS = ("兼职", "日结", "小时工", "零工", "临时工", "周末")
FULL_TIME_WORDS = ("全职",)
_NO_PART_TIME = re.compile(r"(不要|不找|不做|不考虑|不想)(做)?兼职")
NEAR_WORDS = ("附近", "周边", "周围", "离我近", "离家近", "就近", "家门口", "近一点", "近点")

_NUMERALS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"k": 1000, "千": 1000, "w": 10000, "万": 10000}
_AMOUNT = re.compile(
    r"(\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})\s*([kK千wW万])?"
    r"(?:([一二两三四五六七八九\d])(?![\d千万kKwW]))?"  # 一千五, 1万5: the next digit of the unit
)
_TEN_THOUSAND = re.compile(r"[过上破]万")
# A bare number followed by one of these is not pay ("2025年", "50岁", "3个人").
_NOT_PAY_AFTER = tuple("年岁号个天人小分点月周次位届米里公")
# An amount followed by these is a ceiling, not a floor ("3000以下").
_CEILING = ("以下", "以内", "之内", "不到", "以下的")
MIN_PAY, MAX_PAY = 500, 200_000
# "Near me" means within this many kilometres of the place the user shared.
NEAR_KM = 50.0


@dataclass(frozen=True)
class SearchCriteria:
    """One search. None (or False for ``near``) means "any"."""

    city: str | None = None
    occupation: str | None = None
    salary_floor: int | None = None
    part_time: bool | None = None
    suits: str | None = None  # a group, as NLU names it (``GROUP_SUITS``)
    near: bool = False

    @property
    def is_empty(self) -> bool:
        return self == SearchCriteria(near=self.near)

    def key(self) -> str:
        """The criteria a subscription keeps, written out the same way every time."""
        values = asdict(self)
        values.pop("near")
        return json.dumps(values, ensure_ascii=False, sort_keys=True)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> SearchCriteria | None:
        if not text:
            return None
        try:
            values = json.loads(text)
        except ValueError:
            return None
        if not isinstance(values, dict):
            return None
        try:
            found: dict[str, Any] = {name: values.get(name) for name in cls.__dataclass_fields__}
            found["near"] = bool(found["near"])
            return cls(**found)
        except TypeError:
            return None

    def describe(self) -> str:
        """The criteria as the user would say them: "武汉 · 会计 · 月薪5000元以上"."""
        parts = [
            self.city or "",
            self.occupation or "",
            f"月薪{self.salary_floor}元以上" if self.salary_floor else "",
            {True: "兼职", False: "全职", None: ""}[self.part_time],
            f"适合{self.suits}" if self.suits else "",
            f"离您{NEAR_KM:.0f}公里内" if self.near else "",
        ]
        return " · ".join(part for part in parts if part) or "全部岗位"


def criteria_from(text: str, entities: Iterable[Mapping[str, Any]]) -> SearchCriteria:
    """The criteria of one message, from NLU's ``entities`` and the message ``text``."""
    found = {entity.get("entity"): str(entity.get("value") or "") for entity in entities}
    return SearchCriteria(
        city=_city(found.get("city", ""), text),
        occupation=_occupation(found.get("occupation", ""), text),
        salary_floor=salary_floor(text),
        part_time=_part_time(text),
        suits=_group(found.get("group", ""), text),
        near=any(word in text for word in NEAR_WORDS),
    )


def _city(entity: str, text: str) -> str | None:
    """The first city the entity, else the text, names; else the entity as it is."""
    places = load_places()
    for candidate in (entity, text):
        for _words, place in places.find_all(candidate):
            if place.city_name:
                return place.city_name
    return re.sub(r"市$", "", entity) or None


def _occupation(entity: str, text: str) -> str | None:
    if entity:
        return occupations.canonical(entity)
    return occupations.named_in(text)


def _group(entity: str, text: str) -> str | None:
    if entity in GROUP_SUITS:
        return entity
    return next((group for word, group in GROUP_WORDS if word in text), None)


def _part_time(text: str) -> bool | None:
    if _NO_PART_TIME.search(text):
        return False
    if any(word in text for word in PART_TIME_WORDS):
        return True
    if any(word in text for word in FULL_TIME_WORDS):
        return False
    return None


def _number(digits: str) -> float | None:
    if digits[0].isdigit():
        return float(digits)
    if digits == "十":
        return 10
    if "十" in digits:  # 十五, 二十, 二十五
        tens, _, ones = digits.partition("十")
        return (_NUMERALS.get(tens, 1) if tens else 1) * 10 + (
            _NUMERALS.get(ones, 0) if ones else 0
        )
    return _NUMERALS.get(digits) if len(digits) == 1 else None


def salary_floor(text: str) -> int | None:
    """The lowest monthly pay asked for, in yuan: the first amount that reads as pay."""
    if _TEN_THOUSAND.search(text):
        return 10_000
    yearly = "年薪" in text
    for match in _AMOUNT.finditer(text):
        digits, unit, next_digit = match.group(1), (match.group(2) or "").lower(), match.group(3)
        number = _number(digits)
        if number is None or (not unit and not digits[0].isdigit()):
            continue  # Chinese numerals count only with a unit: 十堰, 两班倒
        after = text[match.end() : match.end() + 3]
        if not unit and after[:1] in _NOT_PAY_AFTER or after.startswith(_CEILING):
            continue
        multiplier = _UNITS.get(unit, 1)
        value = number * multiplier
        if unit and next_digit:
            value += (_number(next_digit) or 0) * multiplier / 10
        value = int(value / 12) if yearly else int(value)
        if MIN_PAY <= value <= MAX_PAY:
            return value
    return None
