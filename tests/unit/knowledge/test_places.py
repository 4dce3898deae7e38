"""knowledge.places: a city or district in a question finds its province (and city)."""

from __future__ import annotations

import pytest

from knowledge.places import Place, load_places, parse_places


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("武汉有什么补贴", "湖北省武汉市"),
        ("我在武汉市洪山区", "湖北省武汉市"),
        ("那湖北呢", "湖北省"),
        ("湖北省的规定", "湖北省"),
        ("陝西失業金", "陕西省"),
        ("射洪县的招聘会", "四川省遂宁市"),
        ("遂寧", "四川省遂宁市"),
        ("西安市雁塔区", "陕西省西安市"),
        ("吉林市", "吉林省吉林市"),
        ("吉林", "吉林省"),
        ("广西的政策", "广西壮族自治区"),
        ("深圳", "广东省深圳市"),
        ("广州的补贴", "广东省广州市"),
        ("杭州", "浙江省杭州市"),
    ],
)
def test_a_place_is_found_with_its_province(text: str, region: str) -> None:
    place = load_places().find(text)
    assert place is not None
    assert place.region == region


@pytest.mark.parametrize("text", ["安居乐业", "创业担保贷款", "", "长安汽车招人吗", "大英博物馆"])
def test_words_that_only_look_like_places_are_not_places(text: str) -> None:
    assert load_places().find(text) is None


def test_the_first_place_named_is_the_one_found() -> None:
    found = load_places().find_all("从西安回武汉")
    assert [place.province for _, place in found] == ["陕西省", "湖北省"]
    assert load_places().find("从西安回武汉") == Place("陕西省", "西安")


def test_place_names_can_be_taken_out_of_a_text() -> None:
    assert load_places().without_places("那湖北省呢").replace(" ", "") == "那呢"


def test_a_malformed_places_file_is_refused() -> None:
    with pytest.raises(ValueError, match="provinces"):
        parse_places({"cities": []})


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("武汉市洪山区", "武汉"),
        ("射洪", "遂宁"),
        ("北京", "北京"),
        ("重庆市", "重庆"),
        ("湖北", None),
    ],
)
def test_a_place_names_its_city_as_postings_do(text: str, city: str | None) -> None:
    place = load_places().find(text)
    assert place is not None and place.city_name == city
