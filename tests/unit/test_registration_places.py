"""registration.places: where a registrant registers, and the work they want."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from registration.answers import InvalidAnswer
from registration.places import parse_place, parse_wanted


def code_of(parse: Callable[..., object], *args: str) -> str:
    with pytest.raises(InvalidAnswer) as raised:
        parse(*args)
    return raised.value.code


@pytest.mark.parametrize(
    ("text", "city", "district"),
    [
        ("武汉市洪山区", "武汉", "洪山区"),
        ("西安 雁塔区", "西安", "雁塔区"),
        pytest.param("射洪", "遂宁", "射洪", id="county-level-city-alone"),
        ("射洪市", "遂宁", "射洪市"),
        ("北京朝阳区", "北京", "朝阳区"),
        ("湖北省武汉市江夏区", "武汉", "江夏区"),
        ("在成都武侯区登记", "成都", "武侯区"),
        ("上海浦东新区", "上海", "浦东新区"),
        ("  武汉市洪山区。", "武汉", "洪山区"),
        pytest.param("武汉市\u3000洪山区", "武汉", "洪山区", id="full-width-space"),
        pytest.param("武汉市\u200b洪山区", "武汉", "洪山区", id="zero-width-space"),
        pytest.param("西安市雁塔區", "西安", "雁塔区", id="traditional"),
        pytest.param("陝西省西安市雁塔區", "西安", "雁塔区", id="traditional-province"),
        pytest.param("洪山区", "武汉", "洪山区", id="district-alone"),
    ],
)
def test_a_place_gives_city_and_district(text: str, city: str, district: str) -> None:
    assert parse_place(text) == (city, district)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("湖北", "place_unknown", id="province-only"),
        pytest.param("火星", "place_unknown", id="nowhere"),
        pytest.param("", "place_unknown", id="empty"),
        pytest.param("武汉怎么登记？", "place_unknown", id="question-naming-a-city"),
        pytest.param("洪山区怎么样", "place_unknown", id="question-naming-a-district"),
        pytest.param("武汉", "place_need_district", id="city-only"),
        pytest.param("武汉市", "place_need_district", id="city-with-suffix"),
        pytest.param("武汉市abc区", "place_need_district", id="made-up-district"),
    ],
)
def test_a_place_that_cannot_be_used_is_refused(text: str, code: str) -> None:
    assert code_of(parse_place, text) == code


@pytest.mark.parametrize(
    ("text", "default_city", "wanted"),
    [
        ("想在武汉找会计的工作", "西安", ("会计", "武汉")),
        ("武汉 会计", "西安", ("会计", "武汉")),
        ("司机，西安", "武汉", ("司机", "西安")),
        pytest.param("会计", "西安", ("会计", "西安"), id="default-city"),
        pytest.param("找份普工", "遂宁", ("普工", "遂宁"), id="default-city-with-filler"),
        pytest.param("保安", "", ("保安", ""), id="no-default-city"),
        pytest.param("会计😀", "西安", ("会计", "西安"), id="emoji-dropped"),
        pytest.param("想在武漢找會計的工作", "西安", ("会计", "武汉"), id="traditional"),
        ("想在西安做电工或者焊工", "武汉", ("电工或者焊工", "西安")),
    ],
)
def test_wanted_work_gives_job_and_city(
    text: str, default_city: str, wanted: tuple[str, str]
) -> None:
    assert parse_wanted(text, default_city) == wanted


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("想找个工作", "wanted_job_missing", id="no-job"),
        pytest.param("武汉", "wanted_job_missing", id="only-a-city"),
        pytest.param("<script>alert(1)</script>", "text_invalid", id="script"),
        pytest.param("select * from jobs", "text_invalid", id="sql"),
        pytest.param("会计怎么样？", "text_invalid", id="question"),
        pytest.param("😀👍", "text_invalid", id="only-emoji"),
        pytest.param("", "text_empty", id="empty"),
        pytest.param("会计" * 30, "text_too_long", id="too-long"),
    ],
)
def test_wanted_work_that_cannot_be_used_is_refused(text: str, code: str) -> None:
    assert code_of(parse_wanted, text, "西安") == code
