"""knowledge.spelling: a pinyin input method's wrong pick is fixed to the notices' word it
sounds like; real words and what the notices write are left alone."""

from __future__ import annotations

import pytest

from knowledge.retrieval import KnowledgeIndex, segmenter
from knowledge.spelling import SpellingFixer
from knowledge.thesaurus import load_thesaurus


@pytest.fixture(scope="module")
def fixer(shipped_index: KnowledgeIndex) -> SpellingFixer:
    words = shipped_index.words | load_thesaurus().words
    return SpellingFixer(words, shipped_index.texts, segmenter())


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("毕业档按怎么转", "毕业档案怎么转"),
        ("报到证取销了 社保怎么转", "报到证取消了 社保怎么转"),
        ("马兰花计化都培训啥", "马兰花计划都培训啥"),
        ("还没找工做", "还没找工作"),
        ("畢業檔按怎麼轉", "毕业档案怎么转"),
    ],
)
def test_a_word_typed_by_its_sound_is_fixed(fixer: SpellingFixer, typed: str, meant: str) -> None:
    assert fixer.fix(typed) == meant


@pytest.mark.parametrize(
    "text",
    [
        "事业单位招聘有年龄限制吗",  # 事业 is a word, though it sounds like 失业
        "村支书进企业这个活动是干啥的",  # 是干 could be 实干, but 是/干啥 is likelier
        "机器人说不清楚，我要找人",  # 找人 could be 招人
        "遂企智造职等你来是什么活动",  # the notices write 智造
        "畢業生檔案怎麼轉",  # no slip: returned as typed, Traditional and all
    ],
)
def test_what_is_no_slip_is_left_as_it_is(fixer: SpellingFixer, text: str) -> None:
    assert fixer.fix(text) == text
