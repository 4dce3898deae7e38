"""Fixes the slips of a pinyin input method: a word typed by its sound with a wrong character
picked ("档按" for 档案, "报到证取销了" for 取消, "找工做" for 找工作).

A slip leaves characters that make no word: jieba cuts them into single characters ("档/按") or
glues them into a word no dictionary has ("取销"). Only such characters are fixed, into a word
the notices or the thesaurus use that sounds the same (pypinyin, tones left out) and differs by
one character, and only when the fixed text is far likelier Chinese by jieba's word frequencies
("档案" is, "是干啥" → "实干啥" is not). A real word is never touched ("事业" stays 事业 although
it sounds like 失业), nor is anything the notices write ("遂企智造").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

import jieba
from pypinyin import lazy_pinyin

from bot.simplified import to_simplified

_HAN = re.compile(r"[\u4e00-\u9fff]+")
# Words of two to four characters are fixed; a longer name is too rare to be typed wrong alike.
SHORTEST, LONGEST = 2, 4
# How much likelier (natural log of jieba's best-cut probability) a fix must make its piece.
MIN_GAIN = 4.0


def _sound(text: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(text))


class SpellingFixer:
    def __init__(
        self, words: Iterable[str], texts: Iterable[str], segmenter: jieba.Tokenizer
    ) -> None:
        """``words`` to fix into, ``texts`` (the notices, in Simplified characters) whose words
        are never fixed, and the ``segmenter`` whose dictionary and frequencies judge."""
        self._segmenter = segmenter
        self._written = "\n".join(texts)
        self._words = frozenset(
            word for word in words if SHORTEST <= len(word) <= LONGEST and _HAN.fullmatch(word)
        )
        self._by_sound: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for word in sorted(self._words):
            self._by_sound[_sound(word)].append(word)

    def fix(self, text: str) -> str:
        """``text`` in Simplified characters with each slip replaced by the word it was meant
        to be; ``text`` itself when it has none."""
        pieces = list(self._pieces(to_simplified(text)))
        fixed = [self._fixed(piece) if self._is_unworded(piece) else piece for piece in pieces]
        return "".join(fixed) if fixed != pieces else text

    def _pieces(self, text: str) -> Iterator[str]:
        """``text`` cut into jieba's words, with each run of single Han characters and words no
        dictionary has kept together ("档/按", "找工/做"): a slip spoils a word into them."""
        run = ""
        for word in self._segmenter.cut(text, HMM=True):
            if _HAN.fullmatch(word) and (len(word) == 1 or self._is_unworded(word)):
                run += word
                continue
            if run:
                yield run
                run = ""
            yield word
        if run:
            yield run

    def _is_unworded(self, piece: str) -> bool:
        """Whether ``piece`` is Han characters that make no word of the dictionaries."""
        return (
            len(piece) >= SHORTEST
            and bool(_HAN.fullmatch(piece))
            and piece not in self._words
            and not self._segmenter.FREQ.get(piece)
        )

    def _fixed(self, piece: str) -> str:
        """``piece`` with the stretch that sounds like a known word but for one character
        replaced by that word, where that makes it likeliest and likely enough; else as it is."""
        fixes = [
            piece[:start] + meant + piece[start + size :]
            for size in range(SHORTEST, min(LONGEST, len(piece)) + 1)
            for start in range(len(piece) - size + 1)
            if (meant := self._meant(piece[start : start + size])) is not None
        ]
        typed = self._likelihood(piece)
        best = max(fixes, key=self._likelihood, default=piece)
        return best if self._likelihood(best) - typed >= MIN_GAIN else piece

    def _meant(self, typed: str) -> str | None:
        """The one known word that sounds like ``typed`` and differs from it in one character,
        unless ``typed`` is a word or the notices write it."""
        if typed in self._words or self._segmenter.FREQ.get(typed) or typed in self._written:
            return None
        candidates = [
            word
            for word in self._by_sound.get(_sound(typed), ())
            if sum(a != b for a, b in zip(word, typed, strict=True)) == 1
        ]
        return candidates[0] if len(candidates) == 1 else None

    def _likelihood(self, text: str) -> float:
        """The log probability of jieba's best cut of ``text``."""
        route: dict[int, tuple[float, int]] = {}
        self._segmenter.calc(text, self._segmenter.get_DAG(text), route)
        return route[0][0]
