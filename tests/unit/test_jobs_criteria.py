"""What a job seeker is looking for, read from one message: pay, part-time work, "near me", city,
occupation and group, from NLU's entities first and the text after; and the criteria written out
for the conversation's slot and for subscriptions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jobs import occupations
from jobs.criteria import SearchCriteria, criteria_from, salary_floor


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value)}


# ---------------------------------------------------------------------------------------------
# Pay


@pytest.mark.parametrize(
    ("text", "floor"),
    [
        ("工资五千以上", 5000),
        ("月薪过万", 10_000),
        ("工资破万的工作", 10_000),
        ("4000到6000的客服", 4000),
        ("工资3000-5000", 3000),
        ("15k左右", 15_000),
        ("8000左右", 8000),
        ("3千", 3000),
        ("五千块", 5000),
        ("一万以上", 10_000),
        ("两万", 20_000),
        ("1.5万", 15_000),
        ("十五k", 15_000),
        ("二十五K", 25_000),
        ("3500元", 3500),
        ("我想找武汉5千以上的会计", 5000),
        ("招3个人，月薪4000", 4000),
        ("夜班12小时5000", 5000),
        # Spoken forms with the lower digit after the unit.
        ("一千五", 1500),
        ("1万5", 15_000),
    ],
)
def test_a_pay_the_user_asks_for_is_read_as_a_monthly_floor_in_yuan(text: str, floor: int) -> None:
    assert salary_floor(text) == floor


@pytest.mark.parametrize(
    "text",
    [
        "十堰的工作",
        "两班倒",
        "2025年毕业",
        "2025届毕业生",
        "50岁能干的",
        "3个人",
        "找个8小时的工作",
        "18岁",
        "五险一金",
        "离我500米以内的工作",
        "找个工作",
        "",
    ],
)
def test_numbers_that_are_not_pay_are_not_read_as_a_floor(text: str) -> None:
    assert salary_floor(text) is None


def test_a_yearly_pay_is_not_taken_for_a_monthly_one() -> None:
    # 12万 a year is 1万 a month; reading 120000 a month would rule out every posting.
    assert salary_floor("年薪12万以上") in (None, 10_000)


def test_criteria_from_carries_the_floor_read_from_the_text() -> None:
    assert criteria_from("工资五千以上", []).salary_floor == 5000
    assert criteria_from("十堰的工作", []).salary_floor is None


# ---------------------------------------------------------------------------------------------
# Part-time work and "near me"


@pytest.mark.parametrize(
    ("text", "part_time"),
    [
        ("有兼职吗", True),
        ("日结的活", True),
        ("周末能做的", True),
        ("找个小时工", True),
        ("想找全职工作", False),
        ("武汉的会计", None),
        ("只找全职，不要兼职", False),
    ],
)
def test_part_time_words_ask_for_part_time_and_full_time_words_for_full_time(
    text: str, part_time: bool | None
) -> None:
    assert criteria_from(text, []).part_time is part_time


@pytest.mark.parametrize(
    ("text", "near"),
    [
        ("附近有什么工作", True),
        ("离家近的普工", True),
        ("在家门口上班", True),
        ("周边的保洁", True),
        ("武汉的普工", False),
    ],
)
def test_near_words_ask_for_work_near_the_user(text: str, near: bool) -> None:
    assert criteria_from(text, []).near is near


# ---------------------------------------------------------------------------------------------
# City


@pytest.mark.parametrize(
    ("value", "city"),
    [
        ("武汉", "武汉"),
        ("武汉市", "武汉"),
        ("射洪", "遂宁"),  # a county-level city: its prefecture's postings
        ("北京", "北京"),
        ("北京市", "北京"),
    ],
)
def test_the_city_entity_is_read_as_the_city_postings_name(value: str, city: str) -> None:
    assert criteria_from("有什么工作", [entity("city", value)]).city == city


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("雁塔区有什么工作", "西安"),
        ("武汉市的工作", "武汉"),
        ("北京", "北京"),
        ("射洪有什么工作", "遂宁"),
        ("我在陕西西安，找个工作", "西安"),  # the province names no city; the city after it does
        ("湖北的工作", None),  # a province is not a city
        ("有什么工作", None),
    ],
)
def test_the_city_is_read_from_the_text_when_nlu_gave_none(text: str, city: str | None) -> None:
    assert criteria_from(text, []).city == city


def test_the_city_entity_comes_before_a_city_in_the_text() -> None:
    assert criteria_from("西安的工作", [entity("city", "武汉")]).city == "武汉"


def test_a_city_entity_not_in_the_places_is_kept_as_said_without_its_suffix() -> None:
    assert criteria_from("", [entity("city", "火星市")]).city == "火星"


# ---------------------------------------------------------------------------------------------
# Occupation


@pytest.mark.parametrize(
    ("value", "occupation"),
    [
        ("会计", "会计"),
        ("财务", "会计"),
        ("驾驶员", "司机"),
        ("操作工", "普工"),
        ("清洁工", "保洁"),
        (" 焊工 ", "焊工"),
        ("机械设计助理工程师", "机械设计助理工程师"),  # not in the table: kept as named
    ],
)
def test_the_occupation_entity_is_read_as_its_canonical_name(value: str, occupation: str) -> None:
    assert criteria_from("", [entity("occupation", value)]).occupation == occupation


@pytest.mark.parametrize(
    ("text", "occupation"),
    [
        ("找份财务工作", "会计"),
        ("想当司机", "司机"),
        ("找个货车司机", "货车司机"),  # the longest word wins
        ("有操作工的岗位吗", "普工"),
        ("4000到6000的客服", "客服"),
        ("幼儿园保育员", "保育员"),  # of equally long words, an occupation's own name
        ("有什么工作", None),
    ],
)
def test_the_occupation_is_read_from_the_text_when_nlu_gave_none(
    text: str, occupation: str | None
) -> None:
    assert criteria_from(text, []).occupation == occupation


def test_the_occupation_entity_comes_before_an_occupation_in_the_text() -> None:
    assert criteria_from("找个司机", [entity("occupation", "财务")]).occupation == "会计"


def test_occupations_match_the_words_titles_use_for_them() -> None:
    assert occupations.title_words("财务") == occupations.title_words("会计")
    assert "驾驶员" in occupations.title_words("司机")
    assert occupations.title_words("机械设计助理工程师") == ("机械设计助理工程师",)
    assert {"会计", "财务会计"} <= occupations.occupations_of("财务会计")
    assert occupations.occupations_of("焊工") == {"焊工"}
    assert occupations.named_in("今天天气不错") is None


# ---------------------------------------------------------------------------------------------
# Group


@pytest.mark.parametrize(
    ("text", "entities", "suits"),
    [
        ("", [entity("group", "高校毕业生")], "高校毕业生"),
        ("", [entity("group", "退役军人")], "退役军人"),
        ("适合应届生的工作", [], "高校毕业生"),
        ("大学生兼职", [], "高校毕业生"),
        ("我是退伍的", [], "退役军人"),
        ("残疾人能做的", [], "残疾人"),
        ("进城务工找活", [], "农民工"),
        # A group NLU names that postings do not use: the words still count.
        ("应届的", [entity("group", "外星人")], "高校毕业生"),
        ("武汉的会计", [], None),
    ],
)
def test_the_group_comes_from_the_entity_or_from_words_that_name_it(
    text: str, entities: list[dict[str, Any]], suits: str | None
) -> None:
    assert criteria_from(text, entities).suits == suits


def test_one_message_gives_every_criterion_it_names() -> None:
    entities = [entity("city", "武汉市"), entity("occupation", "财务")]
    assert criteria_from("武汉市附近五千以上的财务兼职，应届生", entities) == SearchCriteria(
        city="武汉",
        occupation="会计",
        salary_floor=5000,
        part_time=True,
        suits="高校毕业生",
        near=True,
    )


def test_entities_without_a_value_are_ignored() -> None:
    given: list[dict[str, Any]] = [{"entity": "city", "value": None}, {"entity": "occupation"}]
    assert criteria_from("有什么工作", given) == SearchCriteria()


# ---------------------------------------------------------------------------------------------
# Written out


FULL = SearchCriteria(
    city="武汉",
    occupation="会计",
    salary_floor=5000,
    part_time=False,
    suits="高校毕业生",
    near=True,
)


def test_the_key_is_the_same_for_the_same_criteria_and_leaves_out_near() -> None:
    same = SearchCriteria(
        suits="高校毕业生", part_time=False, salary_floor=5000, occupation="会计", city="武汉"
    )
    assert FULL.key() == same.key()
    assert "near" not in json.loads(FULL.key())
    assert "武汉" in FULL.key()  # written as read, not escaped
    assert FULL.key() != SearchCriteria(city="武汉").key()
    assert SearchCriteria(part_time=False).key() != SearchCriteria(part_time=None).key()


@pytest.mark.parametrize("criteria", [FULL, SearchCriteria(), SearchCriteria(part_time=True)])
def test_criteria_come_back_from_their_json_as_they_were(criteria: SearchCriteria) -> None:
    assert SearchCriteria.from_json(criteria.to_json()) == criteria


def test_fields_the_json_leaves_out_take_their_defaults_and_unknown_ones_are_ignored() -> None:
    assert SearchCriteria.from_json('{"city": "武汉", "extra": 1}') == SearchCriteria(city="武汉")


@pytest.mark.parametrize("text", [None, "", "garbage", "{", '{"city": ', "[]", "null", "42", '"x"'])
def test_json_that_is_not_criteria_gives_none(text: str | None) -> None:
    assert SearchCriteria.from_json(text) is None


@pytest.mark.parametrize(
    ("criteria", "words"),
    [
        (
            SearchCriteria(city="武汉", occupation="会计", salary_floor=5000),
            "武汉 · 会计 · 月薪5000元以上",
        ),
        (FULL, "武汉 · 会计 · 月薪5000元以上 · 全职 · 适合高校毕业生 · 离您50公里内"),
        (SearchCriteria(part_time=True), "兼职"),
        (SearchCriteria(), "全部岗位"),
        (SearchCriteria(near=True), "离您50公里内"),
    ],
)
def test_criteria_are_described_as_the_user_would_say_them(
    criteria: SearchCriteria, words: str
) -> None:
    assert criteria.describe() == words


def test_criteria_are_empty_when_they_name_nothing_but_near() -> None:
    assert SearchCriteria().is_empty
    assert SearchCriteria(near=True).is_empty
    assert not SearchCriteria(part_time=False).is_empty
    assert not SearchCriteria(city="武汉").is_empty
