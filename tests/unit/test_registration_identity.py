"""registration.identity: checking identity numbers, the retirement date, masking."""

from __future__ import annotations

from datetime import date

import pytest

from registration.identity import (
    IdentityNumber,
    InvalidAnswer,
    check_id_number,
    mask_id_number,
    retirement_date,
)

TODAY = date(2026, 11, 24)

# GB 11643-1999, written out again here so that a wrong table in the module fails the tests.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECKS = "10X98765432"
_FULL_WIDTH = str.maketrans("0123456789xX", "０１２３４５６７８９ｘＸ")


def with_checksum(first_17: str) -> str:
    """The 18-character number: the 17 digits and their check character."""
    assert len(first_17) == 17
    total = sum(int(digit) * weight for digit, weight in zip(first_17, _WEIGHTS, strict=True))
    return first_17 + _CHECKS[total % 11]


def id_for(born: date, sex: str = "男", region: str = "420102") -> str:
    """A valid number for someone born on `born`; the 17th digit is odd for men."""
    sex_digit = "3" if sex == "男" else "4"
    return with_checksum(f"{region}{born:%Y%m%d}12{sex_digit}")


def wrong_checksum(number: str) -> str:
    wrong = next(char for char in _CHECKS if char != number[17])
    return number[:17] + wrong


def code_of(text: str, today: date = TODAY) -> str:
    with pytest.raises(InvalidAnswer) as raised:
        check_id_number(text, today)
    return raised.value.code


def test_with_checksum_matches_the_standard_example() -> None:
    # The example number printed in GB 11643-1999.
    assert with_checksum("11010519491231002") == "11010519491231002X"


# ---- valid numbers -----------------------------------------------------------------------------

VALID = with_checksum("42010219900307123")  # a man born 1990-03-07 in Wuhan's Jiang'an district
VALID_X = "42010219900307103X"  # check character X, man born the same day
VALID_WOMAN = with_checksum("11010819850615002")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (VALID, VALID),
        (VALID_X, VALID_X),
        (VALID_X.lower(), VALID_X),
        (VALID_X.translate(_FULL_WIDTH), VALID_X),
        (VALID_X[:-1] + "ｘ", VALID_X),
        (VALID.translate(_FULL_WIDTH), VALID),
        (f"{VALID[:6]} {VALID[6:14]} {VALID[14:]}", VALID),
        (f"{VALID[:6]}-{VALID[6:14]}-{VALID[14:]}", VALID),
        (f"{VALID[:6]}\u3000{VALID[6:]}", VALID),
        (f"  {VALID}  ", VALID),
        (f"身份证号：{VALID}", VALID),
        (f"身份证号码:{VALID}", VALID),
        (f"身份证 {VALID}", VALID),
        (f"号码是{VALID}", VALID),
        (f"我的身份证号是{VALID_X.lower()}。", VALID_X),
        (f"身份證號：{VALID}", VALID),
    ],
)
def test_valid_numbers_are_normalised(text: str, number: str) -> None:
    assert check_id_number(text, TODAY).number == number


def test_what_a_number_says() -> None:
    assert check_id_number(VALID, TODAY) == IdentityNumber(
        number=VALID, birth_date=date(1990, 3, 7), sex="男", region_code="420102"
    )
    assert check_id_number(VALID_WOMAN, TODAY) == IdentityNumber(
        number=VALID_WOMAN, birth_date=date(1985, 6, 15), sex="女", region_code="110108"
    )


@pytest.mark.parametrize(
    ("digit", "sex"), [("0", "女"), ("1", "男"), ("2", "女"), ("7", "男"), ("8", "女"), ("9", "男")]
)
def test_the_17th_digit_gives_the_sex(digit: str, sex: str) -> None:
    assert check_id_number(with_checksum(f"4201021990030712{digit}"), TODAY).sex == sex


@pytest.mark.parametrize("province", "11 15 21 23 31 37 41 46 50 54 61 65 71 81 82".split())
def test_every_province_code_range_is_accepted(province: str) -> None:
    number = with_checksum(f"{province}010219900307123")
    assert check_id_number(number, TODAY).region_code == f"{province}0102"


def test_the_number_is_left_out_of_repr() -> None:
    assert VALID not in repr(check_id_number(VALID, TODAY))


# ---- reasons -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "身份证号",
        "abcdefghijklmnopqr",
        VALID[:10] + "X" + VALID[11:],  # X only as the last character
        "X" + VALID[1:],
        VALID[:17] + "Y",
        VALID[:17] + "*",
        VALID + "😀",
        f"{VALID[:6]}.{VALID[6:]}",
        f"{VALID}，谢谢",
        "٤٢٠١٠٢١٩٩٠٠٣٠٧١٢٣٤",  # Arabic-Indic digits are not ours
    ],
)
def test_other_characters(text: str) -> None:
    assert code_of(text) == "id_characters"


@pytest.mark.parametrize(
    "text",
    [
        VALID[:17],
        VALID + "1",
        VALID[:-1],
        "420102900307123",  # a 15-digit card from before 1999
        "42010290030712X",
        "4",
        "42X",
    ],
)
def test_wrong_length(text: str) -> None:
    assert code_of(text) == "id_length"


@pytest.mark.parametrize(
    "first_17",
    [
        "02010219900307123",  # leading zero
        "00010219900307123",
        "10010219900307123",
        "16010219900307123",
        "20010219900307123",
        "24010219900307123",
        "30010219900307123",
        "38010219900307123",
        "40010219900307123",
        "47010219900307123",
        "49010219900307123",
        "55010219900307123",
        "60010219900307123",
        "66010219900307123",
        "70010219900307123",
        "72010219900307123",
        "80010219900307123",
        "83010219900307123",
        "91010219900307123",
        "99010219900307123",
    ],
)
def test_unknown_region(first_17: str) -> None:
    assert code_of(with_checksum(first_17)) == "id_region"


@pytest.mark.parametrize(
    "birth",
    [
        "19900230",  # no 30 February
        "19990229",  # 1999 is not a leap year
        "19000229",  # nor is 1900
        "19901301",
        "19900001",
        "19900100",
        "19900431",
        "18991231",  # before 1900
        "00000000",
        "20261125",  # tomorrow
        "20991231",
    ],
)
def test_impossible_birth_date(birth: str) -> None:
    assert code_of(with_checksum(f"420102{birth}123")) == "id_birth_date"


@pytest.mark.parametrize("number", [VALID, VALID_X, VALID_WOMAN])
def test_wrong_checksum(number: str) -> None:
    assert code_of(wrong_checksum(number)) == "id_checksum"


def test_a_lower_case_x_where_a_digit_belongs_fails_the_checksum() -> None:
    assert code_of(VALID[:17] + "x") == "id_checksum"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        # Each has a wrong check character too: the earlier, more helpful reason wins.
        (wrong_checksum(with_checksum("42010219900230123")), "id_birth_date"),
        (wrong_checksum(with_checksum("99010219900307123")), "id_region"),
        (wrong_checksum(with_checksum("42010220261125123")), "id_birth_date"),
        ("020102900307123", "id_length"),  # a 15-digit card with a bad region too
        ("0201029003071X3", "id_characters"),
    ],
)
def test_the_most_helpful_reason_wins(number: str, code: str) -> None:
    assert code_of(number) == code


def test_the_earliest_birth_date_is_accepted_as_a_date() -> None:
    # 1900-01-01 is a possible birth date; that person is long retired.
    assert code_of(id_for(date(1900, 1, 1))) == "id_retired"


def test_born_today_is_a_possible_date_but_too_young() -> None:
    assert code_of(id_for(TODAY)) == "id_too_young"


# ---- age ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "code"),
    [
        (date(2010, 11, 25), "id_too_young"),  # one day short of 16
        (date(2010, 12, 24), "id_too_young"),
        (date(2015, 6, 1), "id_too_young"),
        (date(2026, 1, 1), "id_too_young"),
        (date(1966, 6, 24), "id_retired"),  # a man who retires today
        (date(1971, 6, 24), "id_retired"),  # so does a woman born five years later
        (date(1960, 1, 1), "id_retired"),
        (date(1966, 1, 1), "id_retired"),
    ],
)
def test_age_limits(born: date, code: str) -> None:
    sex = "女" if born.year == 1971 else "男"
    assert code_of(id_for(born, sex)) == code


@pytest.mark.parametrize(
    ("born", "sex"),
    [
        (date(2010, 11, 24), "男"),  # 16 today
        (date(2010, 11, 24), "女"),
        (date(1966, 6, 25), "男"),  # retires tomorrow
        (date(1971, 6, 25), "女"),
        (date(1971, 6, 24), "男"),  # a man born when that woman was has years to go
    ],
)
def test_age_limits_accepted(born: date, sex: str) -> None:
    assert check_id_number(id_for(born, sex), TODAY).birth_date == born


def test_women_retire_earlier_than_men() -> None:
    born = date(1968, 3, 10)
    assert code_of(id_for(born, "女")) == "id_retired"
    assert check_id_number(id_for(born, "男"), TODAY).sex == "男"


def test_leap_day_birthday_is_accepted() -> None:
    identity = check_id_number(id_for(date(2000, 2, 29)), TODAY)
    assert identity.birth_date == date(2000, 2, 29)


@pytest.mark.parametrize(
    ("today", "accepted"),
    [(date(2024, 2, 28), False), (date(2024, 2, 29), True), (date(2024, 3, 1), True)],
)
def test_leap_day_birthday_turns_16(today: date, accepted: bool) -> None:
    number = id_for(date(2008, 2, 29))
    if accepted:
        assert check_id_number(number, today).birth_date == date(2008, 2, 29)
    else:
        assert code_of(number, today) == "id_too_young"


# ---- retirement --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "sex", "retires"),
    [
        # Reached the original age before 2025: unchanged.
        (date(1964, 12, 15), "男", date(2024, 12, 15)),
        (date(1964, 2, 29), "男", date(2024, 2, 29)),
        (date(1969, 12, 10), "女", date(2024, 12, 10)),
        # The official table: men born 1965-01..04 retire at 60y1m, 1965-05..08 at 60y2m.
        (date(1965, 1, 10), "男", date(2025, 2, 10)),
        (date(1965, 4, 10), "男", date(2025, 5, 10)),
        (date(1965, 5, 10), "男", date(2025, 7, 10)),
        (date(1965, 8, 10), "男", date(2025, 10, 10)),
        (date(1965, 9, 10), "男", date(2025, 12, 10)),
        (date(1966, 6, 24), "男", date(2026, 11, 24)),
        # 1976-08 is the last month before the full raise: 62y11m; from 1976-09 on: 63.
        (date(1976, 8, 10), "男", date(2039, 7, 10)),
        (date(1976, 9, 10), "男", date(2039, 9, 10)),
        (date(1990, 1, 1), "男", date(2053, 1, 1)),
        # Women from 55: born 1970-01 retire at 55y1m, 1981-09 on at 58.
        (date(1970, 1, 10), "女", date(2025, 2, 10)),
        (date(1970, 5, 10), "女", date(2025, 7, 10)),
        (date(1971, 6, 24), "女", date(2026, 11, 24)),
        (date(1981, 8, 10), "女", date(2039, 7, 10)),
        (date(1981, 9, 10), "女", date(2039, 9, 10)),
        (date(1995, 12, 31), "女", date(2053, 12, 31)),
        # The same day of month, clamped to the month's last day.
        (date(1965, 11, 30), "男", date(2026, 2, 28)),
        (date(1965, 10, 31), "男", date(2026, 1, 31)),
        (date(1966, 3, 31), "男", date(2026, 7, 31)),
        (date(1966, 2, 28), "男", date(2026, 6, 28)),
        (date(1980, 2, 29), "男", date(2043, 2, 28)),
        (date(1984, 2, 29), "女", date(2042, 2, 28)),
        (date(1972, 2, 29), "女", date(2027, 9, 29)),
    ],
)
def test_retirement_date(born: date, sex: str, retires: date) -> None:
    assert retirement_date(born, sex) == retires


@pytest.mark.parametrize(
    ("year", "month", "sex", "age_months"),
    [
        (1965, 1, "男", 60 * 12 + 1),
        (1965, 4, "男", 60 * 12 + 1),
        (1965, 5, "男", 60 * 12 + 2),
        (1965, 8, "男", 60 * 12 + 2),
        (1965, 12, "男", 60 * 12 + 3),
        (1970, 12, "男", 61 * 12 + 6),
        (1976, 9, "男", 63 * 12),
        (1980, 1, "男", 63 * 12),
        (1970, 1, "女", 55 * 12 + 1),
        (1975, 1, "女", 55 * 12 + 16),
        (1981, 9, "女", 58 * 12),
        (2000, 6, "女", 58 * 12),
    ],
)
def test_retirement_age_follows_the_official_table(
    year: int, month: int, sex: str, age_months: int
) -> None:
    retires = retirement_date(date(year, month, 1), sex)
    assert (retires.year - year) * 12 + (retires.month - month) == age_months
    assert retires.day == 1


def test_retirement_needs_a_known_sex() -> None:
    with pytest.raises(ValueError, match="sex"):
        retirement_date(date(1970, 1, 1), "M")


# ---- masking and the error type ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("420102199003071234", "420102********1234"),
        ("42010219900307123X", "420102********123X"),
        (VALID_X, "420102********103X"),
    ],
)
def test_mask_id_number(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


@pytest.mark.parametrize("number", ["", "4201021990030712", "4201021990030712345"])
def test_mask_id_number_needs_18_characters(number: str) -> None:
    with pytest.raises(ValueError, match="18"):
        mask_id_number(number)


def test_invalid_answer_carries_its_code() -> None:
    error = InvalidAnswer("id_length")
    assert error.code == "id_length"
    assert isinstance(error, ValueError)
    assert str(error) == "id_length"
