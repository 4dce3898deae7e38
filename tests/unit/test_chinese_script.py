"""bot.chinese_script.to_simplified: one script and ASCII digits before tokenising."""

from __future__ import annotations

import pytest

from bot.chinese_script import to_simplified


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("這個職位薪水多少", "这个职位薪水多少"),
        ("我想辦理失業登記", "我想办理失业登记"),
        ("髮型師", "发型师"),
        ("一隻", "一只"),
        ("後台開發者", "后台开发者"),
        ("找工作", "找工作"),
    ],
)
def test_traditional_becomes_simplified(text: str, expected: str) -> None:
    assert to_simplified(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１２３４５", "12345"),
        ("电话１３８００１３８０００", "电话13800138000"),
        ("ＡＢＣａｂｃ", "ABCabc"),
        ("月薪５０００元", "月薪5000元"),
        ("\u3000", " "),
    ],
)
def test_full_width_letters_and_digits_become_ascii(text: str, expected: str) -> None:
    assert to_simplified(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "這個職位薪水多少",
        "１２３４５",
        "㎡",  # NFKC would make two characters: kept as it is
        "😀職業",
        "在臺灣當保安員，月薪３００００",
        "",
        "ｶﾞ",  # half-width katakana with a voiced mark
        "乾隆皇帝的頭髮",
    ],
)
def test_length_is_preserved(text: str) -> None:
    assert len(to_simplified(text)) == len(text)


def test_characters_that_would_change_length_are_kept() -> None:
    assert to_simplified("面积100㎡") == "面积100㎡"


def test_simplified_text_is_unchanged() -> None:
    text = "我想找一份快递员的工作在武汉市江汉区"
    assert to_simplified(text) == text
