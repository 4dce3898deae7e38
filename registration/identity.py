"""Resident identity numbers (居民身份证号码, GB 11643) and the statutory retirement date.

`check_id_number` takes what a job seeker typed and either returns the number with what it says
(birth date, sex, region) or raises `InvalidAnswer` naming the most helpful reason.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from bot.simplified import to_simplified


class InvalidAnswer(ValueError):
    """An answer the form cannot take; `code` names why (a response `utter_invalid_<code>` explains
    it to the user)."""

    code: str

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class IdentityNumber:
    """A checked 18-character identity number and what it encodes."""

    # Kept out of repr so that logging the object never logs the number.
    number: str = field(repr=False)
    birth_date: date
    sex: str
    region_code: str


MALE = "男"
FEMALE = "女"
MINIMUM_AGE = 16

# GB 11643-1999: weights of the first 17 digits and the check character for (sum mod 11).
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"

# The first two digits: provinces, autonomous regions, municipalities, Taiwan, Hong Kong, Macao.
_PROVINCE_RANGES = ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 82))
_PROVINCE_CODES = frozenset(code for low, high in _PROVINCE_RANGES for code in range(low, high + 1))

# Words people type around the number; longest first so "身份证号码" goes before "身份证".
_LABEL_WORDS = ("身份证号码", "身份证号", "身份证", "号码", "我的", "是", ":")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")
_TRAILING_PUNCTUATION = re.compile(r"[。.!！]+$")
_DIGITS_THEN_CHECK = re.compile(r"[0-9]+X?")

# The gradual raise of the retirement age decided in September 2024 starts in January 2025.
_ORIGINAL_AGE = {MALE: 60, FEMALE: 55}
_RAISE_START_YEAR = 2025
_MONTHS_PER_STEP = 4
_MAXIMUM_DELAY_MONTHS = 36


def add_months(day: date, months: int) -> date:
    """`day` moved by `months`, on the same day of month clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retirement_date(birth_date: date, sex: str) -> date:
    """The statutory retirement date, with the gradual raise that began on 2025-01-01.

    Women count from 55 (not 50): we cannot tell a worker's post, and 55 is the permissive choice.
    """
    if sex not in _ORIGINAL_AGE:
        raise ValueError(f"sex must be {MALE!r} or {FEMALE!r}")
    original_months = _ORIGINAL_AGE[sex] * 12
    original = add_months(birth_date, original_months)
    months_since = (original.year - _RAISE_START_YEAR) * 12 + (original.month - 1)
    if months_since < 0:
        return original
    delay = min(months_since // _MONTHS_PER_STEP + 1, _MAXIMUM_DELAY_MONTHS)
    # From the birth date, so a 31st or 29 February clamps only in the final month.
    return add_months(birth_date, original_months + delay)


def check_character(first_17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first_17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def _clean(text: str) -> str:
    cleaned = to_simplified(unicodedata.normalize("NFKC", text))
    for word in _LABEL_WORDS:
        cleaned = cleaned.replace(word, "")
    cleaned = _SEPARATORS.sub("", cleaned)
    cleaned = _TRAILING_PUNCTUATION.sub("", cleaned)
    return cleaned.replace("x", "X")


def _birth_date(number: str, today: date) -> date:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidAnswer("id_birth_date") from None
    if born < date(1900, 1, 1) or born > today:
        raise InvalidAnswer("id_birth_date")
    return born


def check_id_number(text: str, today: date) -> IdentityNumber:
    """The identity number in `text`, checked on `today`; raises `InvalidAnswer` if unusable.

    Codes, in the order they are checked: id_characters, id_length, id_region, id_birth_date,
    id_checksum, id_too_young, id_retired.
    """
    number = _clean(text)
    if not _DIGITS_THEN_CHECK.fullmatch(number):
        raise InvalidAnswer("id_characters")
    if len(number) != 18:
        raise InvalidAnswer("id_length")
    # No province code starts with 0, so this also rejects a leading zero.
    if int(number[:2]) not in _PROVINCE_CODES:
        raise InvalidAnswer("id_region")
    born = _birth_date(number, today)
    if check_character(number[:17]) != number[17]:
        raise InvalidAnswer("id_checksum")
    sex = MALE if int(number[16]) % 2 == 1 else FEMALE
    if today < add_months(born, MINIMUM_AGE * 12):
        raise InvalidAnswer("id_too_young")
    if today >= retirement_date(born, sex):
        raise InvalidAnswer("id_retired")
    return IdentityNumber(number=number, birth_date=born, sex=sex, region_code=number[:6])


def mask_id_number(number: str) -> str:
    """The first 6 and last 4 characters with 8 stars between: "420102********123X"."""
    if len(number) != 18:
        raise ValueError("an identity number has 18 characters")
    return f"{number[:6]}{'*' * 8}{number[-4:]}"
