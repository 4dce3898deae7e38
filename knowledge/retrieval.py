"""Finds the notice passages that answer a question: jieba words ranked by BM25.

Questions and passages go through the same steps: Traditional → Simplified, jieba's search-mode
cut with the bot's user dictionary (so "春风行动" is a word, and so are "春风" and "行动"), and
``stopwords.txt``. A passage is indexed with its notice's title and region and its heading path,
so "湖北", a campaign's name or "攻坚季行动" finds a piece cut from the middle of a long section or
a short one like "二、行动时间".

Where the notices say the same thing, the notice that fits the asker ranks first: with no region,
national notices; with a region, that region's own (others are left out).

``Hit.confidence`` is the share of the question's words, weighted by how rare they are in the
notices (BM25's idf), that the passage contains. Words the notices never use count against it,
so a question about something else gets about 0 whatever its best passage is.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np
from rank_bm25 import BM25Okapi

from bot.jieba_dictionary import DICTIONARY
from bot.simplified import to_simplified
from knowledge.sections import PASSAGES_FORMAT, Passage

STOPWORDS = Path(__file__).resolve().parent / "stopwords.txt"
NATIONAL = "全国"
# The suffixes of administrative divisions, longest first: "四川省遂宁市" is 四川 then 遂宁.
_DIVISION = re.compile(r"特别行政区|自治区|自治州|省|市|县")
_WORD = re.compile(r"\w")
# A small lead for the notice that fits the asker: it decides near-ties, not topic.
FITTING_NOTICE_BOOST = 1.1


@lru_cache(maxsize=1)
def _segmenter() -> jieba.Tokenizer:
    # A tokenizer of our own, so Rasa's global jieba state is neither needed nor changed.
    segmenter = jieba.Tokenizer()
    segmenter.load_userdict(str(DICTIONARY))
    return segmenter


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The words dropped before ranking (``stopwords.txt``, ``#`` starts a comment)."""
    lines = STOPWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _search_words(text: str) -> Iterator[str]:
    """jieba's search-mode cut, plus the characters of a long word that none of its parts cover.

    The user dictionary makes names like "人力资源市场高校毕业生就业服务周" one word, whose parts
    in the main dictionary (人力, 资源, 高校, 就业, 服务, ...) are emitted too, as jieba's
    ``cut_for_search`` does; "周" is in none of them, yet a question's "就业服务周" has it alone.
    A stop word goes whole, parts and all ("多少钱" leaves no "钱").
    """
    segmenter = _segmenter()
    dropped = stopwords()
    for word in segmenter.cut(text):
        if word in dropped:
            continue
        covered: set[int] = set()
        for size in (2, 3):
            if len(word) <= size:
                continue
            for start in range(len(word) - size + 1):
                if segmenter.FREQ.get(word[start : start + size]):
                    covered.update(range(start, start + size))
                    yield word[start : start + size]
        if len(word) > 2:
            yield from (char for at, char in enumerate(word) if at not in covered)
        yield word


def tokenize(text: str) -> list[str]:
    """The words of ``text`` that count for ranking, in Simplified characters."""
    dropped = stopwords()
    words = _search_words(to_simplified(text).lower())
    return [word for word in words if _WORD.search(word) and word not in dropped]


def region_applies(notice_region: str, user_region: str) -> bool:
    """Whether a notice for ``notice_region`` applies to someone in ``user_region``.

    National notices apply everywhere; others when their most specific place is named:
    a 湖北省 notice applies to 湖北 and 湖北省武汉市, a 四川省遂宁市 one to 遂宁 but not to 四川.
    """
    if notice_region == NATIONAL:
        return True
    places = [place for place in _DIVISION.split(to_simplified(notice_region)) if place]
    return bool(places) and places[-1] in to_simplified(user_region)


@dataclass(frozen=True)
class Hit:
    """A passage found for a question; ``confidence`` in [0, 1] is what callers threshold."""

    passage: Passage
    score: float
    confidence: float


class KnowledgeIndex:
    """BM25 over the passages, rebuilt at load (a fraction of a second for a few hundred)."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        if not passages:
            raise ValueError("a knowledge index needs at least one passage")
        self.passages = tuple(passages)
        self._bm25 = BM25Okapi([tokenize(_indexed_text(passage)) for passage in self.passages])

    @classmethod
    def load(cls, path: Path | str) -> KnowledgeIndex:
        """The index of a passages file written by ``python -m knowledge.ingest``."""
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        if document.get("version") != PASSAGES_FORMAT:
            raise ValueError(f"{path} is not a passages file of this version: run make knowledge")
        return cls([Passage.from_dict(record) for record in document["passages"]])

    def search(self, query: str, region: str | None = None, k: int = 3) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first; none that share no word with it.

        With ``region``, only passages of notices that apply there (and national ones) count.
        """
        words = list(dict.fromkeys(tokenize(query)))
        if not words or k <= 0:
            return []
        scores = np.asarray(self._bm25.get_scores(words), dtype=float)
        scores *= [_fit(passage.region, region) for passage in self.passages]
        weights = {word: self.word_weight(word) for word in words}
        total = sum(weights.values())
        hits = []
        for index in np.argsort(-scores, kind="stable")[:k]:
            if scores[index] <= 0:
                break
            contained = self._bm25.doc_freqs[index]
            covered = sum(weight for word, weight in weights.items() if word in contained)
            hits.append(Hit(self.passages[index], float(scores[index]), covered / total))
        return hits

    def coverage(self, query: str, text: str) -> float:
        """The share of ``query``'s words, weighted as in ``Hit.confidence``, that ``text`` has."""
        weights = {word: self.word_weight(word) for word in tokenize(query)}
        total = sum(weights.values())
        if total == 0:
            return 0.0
        said = set(tokenize(text))
        return sum(weight for word, weight in weights.items() if word in said) / total

    def word_weight(self, word: str) -> float:
        """How much ``word`` tells passages apart: BM25's idf; a word no passage uses weighs as
        much as the rarest word could."""
        unseen = math.log((self._bm25.corpus_size + 0.5) / 0.5)
        return float(self._bm25.idf.get(word, unseen))


def _fit(notice_region: str, region: str | None) -> float:
    """0 for a notice that does not apply in ``region``, more for the one that fits best."""
    if region is None:
        return FITTING_NOTICE_BOOST if notice_region == NATIONAL else 1.0
    if not region_applies(notice_region, region):
        return 0.0
    return 1.0 if notice_region == NATIONAL else FITTING_NOTICE_BOOST


def _indexed_text(passage: Passage) -> str:
    return " ".join([passage.title, passage.region, *passage.headings, passage.text_simplified])
