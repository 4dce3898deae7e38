"""bot.jieba_dictionary: the committed user dictionary matches the NLU data."""

from __future__ import annotations

from pathlib import Path

import jieba

from bot.jieba_dictionary import DICTIONARY, FREQUENCY, collect_words, render


def test_committed_dictionary_is_up_to_date_with_the_nlu_data() -> None:
    committed = DICTIONARY.read_text(encoding="utf-8")

    assert committed == render(
        collect_words()
    ), "bot/jieba/userdict.txt is out of date: run `python -m bot.jieba_dictionary`"


def test_render_writes_one_word_a_line_with_its_frequency() -> None:
    assert render(["保安", "快递员"]) == f"保安 {FREQUENCY}\n快递员 {FREQUENCY}\n"
    assert render([]) == ""


def test_collect_words_reads_lookups_synonyms_and_annotations(tmp_path: Path) -> None:
    (tmp_path / "jobs.yml").write_text(
        """version: "3.1"
nlu:
- lookup: job_title
  examples: |
    - 快递员
    - 保安
    - 员
    - two words
- synonym: 外卖骑手
  examples: |
    - 外卖员
- intent: search_jobs
  examples: |
    - 我想找[仓管](job_title)的工作
    - 有没有[洗碗工]{"entity": "job_title"}
    - 找[快递员](job_title)
""",
        encoding="utf-8",
    )
    nested = tmp_path / "more"
    nested.mkdir()
    (nested / "places.yml").write_text(
        'version: "3.1"\nnlu:\n- lookup: city\n  examples: |\n    - 武汉\n', encoding="utf-8"
    )
    (tmp_path / "empty.yml").write_text("", encoding="utf-8")

    assert collect_words(tmp_path) == sorted(
        ["仓管", "保安", "外卖员", "外卖骑手", "快递员", "武汉", "洗碗工"]
    )


def test_jieba_keeps_dictionary_words_whole() -> None:
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DICTIONARY))

    assert "快递员" in tokenizer.lcut("我想找一份快递员的工作")
