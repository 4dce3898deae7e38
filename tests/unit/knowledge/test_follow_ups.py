"""knowledge.follow_ups: a short message that names no topic continues the one before."""

from __future__ import annotations

import pytest

from knowledge.follow_ups import asks_only_an_aspect, is_follow_up, join
from knowledge.places import load_places


@pytest.mark.parametrize(
    "text",
    [
        "那湖北呢",
        "湖北呢？",
        "那陝西的呢",
        "如果我在武汉呢",
        "需要什么材料",
        "怎么申请",
        "去哪里办",
        "有什么条件",
        "那农民工呢",
        "武汉",
    ],
)
def test_follow_ups(text: str) -> None:
    assert is_follow_up(text, load_places())


@pytest.mark.parametrize(
    "text",
    [
        "失业金怎么领",
        "创业担保贷款能贷多少",
        "春风行动几月",
        "三支一扶什么时候",
        "谢谢",
        "你好",
        "转人工",
        "",
        "那湖北的创业担保贷款贴息标准和申请条件具体是怎样规定的呢",
    ],
)
def test_new_questions_and_other_messages_are_not_follow_ups(text: str) -> None:
    assert not is_follow_up(text, load_places())


def test_a_follow_up_naming_a_place_replaces_the_place_before() -> None:
    joined = join("陕西的创业担保贷款怎么申请", "那湖北呢", load_places())
    assert "陕西" not in joined
    assert load_places().find(joined) is not None
    assert load_places().find(joined).province == "湖北省"  # type: ignore[union-attr]


def test_a_follow_up_asking_more_keeps_the_place_before() -> None:
    joined = join("湖北创业担保贷款怎么申请", "需要什么材料", load_places())
    assert joined.startswith("湖北创业担保贷款怎么申请")
    assert joined.endswith("需要什么材料")


@pytest.mark.parametrize(
    ("text", "only_an_aspect"),
    [("怎么申请", True), ("需要什么材料", True), ("那湖北呢", False), ("那农民工呢", False)],
)
def test_a_follow_up_naming_no_place_or_group_only_asks_more(
    text: str, only_an_aspect: bool
) -> None:
    assert asks_only_an_aspect(text, load_places()) is only_an_aspect
