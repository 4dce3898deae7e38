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
and a word of theirs cut from one they lack stands for nothing (居住证 is no 证 of theirs), so a
question about something else gets about 0 whatever its best passage is; lone characters in
common ("退", "打") are no answer by themselves; pronouns and
particles ("自己", "啥") are not words here at all, and adverbs and counts the notices never use
("到底", "几个") only phrase the question.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg
import numpy as np
from rank_bm25 import BM25Okapi

from bot.jieba_dictionary import DICTIONARY
from bot.simplified import to_simplified
from knowledge.sections import PASSAGES_FORMAT, Passage
from knowledge.thesaurus import load_thesaurus

STOPWORDS = Path(__file__).resolve().parent / "stopwords.txt"
NATIONAL = "全国"
# The suffixes of administrative divisions, longest first: "四川省遂宁市" is 四川 then 遂宁.
_DIVISION = re.compile(r"特别行政区|自治区|自治州|省|市|县")
_WORD = re.compile(r"\w")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# A small lead for the notice that fits the asker: it decides near-ties, not topic.
FITTING_NOTICE_BOOST = 1.1
# jieba's part-of-speech tags of words that never tell passages apart: pronouns ("自己", "啥"),
# conjunctions, prepositions, particles, modal words, interjections and onomatopoeia.
FUNCTION_TAGS = frozenset({"r", "c", "p", "u", "uj", "ul", "uz", "ud", "ug", "uv", "y", "e", "o"})
# Tags of words that only phrase a question when the notices lack them: adverbs ("到底",
# "最少") and numerals or measure words ("几个", "多久", "一场"). One the notices use ("至少",
# "一次") counts.
PHRASING_TAGS = frozenset({"d", "m", "mq", "q"})
# Particles that end a question ("有人审吗"); jieba may glue one to a word it does not know.
SENTENCE_PARTICLES = frozenset("吗呢吧啊呀嘛么")
# A lone character is mostly a piece of a word jieba did not know ("靠谱" cut as 靠/谱, "找个工"
# as 找/个/工) or a typo, whether or not the notices have it alone: it counts this share of what
# a whole word as rare would.
LONE_CHARACTER_SHARE = 0.5
# How many of the notices' longer words stand for a word they lack ("退捕" → "退捕渔民").
MAX_LONGER_WORDS = 5


@lru_cache(maxsize=1)
def segmenter() -> jieba.Tokenizer:
    # A tokenizer of our own, so Rasa's global jieba state is neither needed nor changed.
    segmenter = jieba.Tokenizer()
    segmenter.load_userdict(str(DICTIONARY))
    for word in _added_words():
        if not segmenter.FREQ.get(word):
            segmenter.add_word(word)
    return segmenter


@lru_cache(maxsize=1)
def _added_words() -> frozenset[str]:
    """Words cut whole besides the dictionaries' own. A stop word, so it goes whole: "人社能" is
    人社/能, not 人/社能. A word the thesaurus puts into a question, so that "能在线上参加" is
    能/在/线上/参加, not 能线/上, and "长期失业青年" has "长期失业" as one of its parts."""
    words = stopwords() | load_thesaurus().official_words
    return frozenset(word for word in words if len(word) > 1)


@lru_cache(maxsize=1)
def _tagger() -> jieba.posseg.POSTokenizer:
    return jieba.posseg.POSTokenizer(segmenter())


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The words dropped before ranking (``stopwords.txt``, ``#`` starts a comment)."""
    lines = STOPWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Token:
    """A word that counts for ranking; ``part_of`` is the longer word it was cut from, if any,
    and ``tag`` jieba's part of speech of a whole word."""

    word: str
    part_of: str | None = None
    tag: str | None = None


def _meaningful_words(text: str) -> Iterator[Token]:
    """jieba's search-mode cut, without the words that carry no meaning of their own.

    The user dictionary makes names like "人力资源市场高校毕业生就业服务周" one word, whose parts
    in the main dictionary (人力, 资源, 高校, 就业, 服务, ...) are emitted too, as jieba's
    ``cut_for_search`` does; "周" is in none of them, yet a question's "就业服务周" has it alone.
    A stop word goes whole, parts and all ("多少钱" leaves no "钱"), and so do pronouns,
    conjunctions, prepositions and particles ("自己", "啥", "但是", "在"), whatever the list says.
    """
    dictionary = segmenter().FREQ
    dropped = stopwords()
    added = _added_words()
    for pair in _tagger().cut(text):
        word, tag = pair.word, pair.flag
        if len(word) > 1 and word not in dictionary and word[-1] in SENTENCE_PARTICLES:
            # A word jieba made up with a final particle ("审吗"): the word is what comes first.
            word = word[:-1]
        if word in dropped or tag in FUNCTION_TAGS:
            continue
        covered: set[int] = set()
        for size in range(2, len(word)):
            for start in range(len(word) - size + 1):
                piece = word[start : start + size]
                if (size <= 3 and dictionary.get(piece)) or piece in added:
                    covered.update(range(start, start + size))
                    yield Token(piece, word)
        if len(word) > 2:
            for at, char in enumerate(word):
                if at not in covered and _HAN.match(char):
                    yield Token(char, word)
        yield Token(word, tag=tag)


def tokens_of(text: str) -> list[Token]:
    """The words of ``text`` that count for ranking, in Simplified characters."""
    dropped = stopwords()
    return [
        token
        for token in _meaningful_words(to_simplified(text).lower())
        if _WORD.search(token.word) and token.word not in dropped
    ]


def tokenize(text: str) -> list[str]:
    """The words of ``text`` that count for ranking, in Simplified characters."""
    return [token.word for token in tokens_of(text)]


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
class QueryTerm:
    """One thing a question asks for: any of ``words`` in a passage gives it ``weight``."""

    words: tuple[str, ...]
    weight: float
    # A phrase of the notices that is no word of theirs ("创业培训"): found in the text itself.
    phrase: str | None = None

    def found_in(self, words: Collection[str], text: str) -> bool:
        if self.phrase is not None:
            return self.phrase in text
        return any(word in words for word in self.words)


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
        self._texts = [to_simplified(_indexed_text(passage)) for passage in self.passages]
        self._bm25 = BM25Okapi([tokenize(text) for text in self._texts])
        self._passage_words: dict[str, frozenset[str]] = {}

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
        terms = self.query_terms(query)
        if not terms or k <= 0:
            return []
        words = [word for term in terms for word in term.words]
        scores = np.asarray(self._bm25.get_scores(words), dtype=float)
        scores *= [_fit(passage.region, region) for passage in self.passages]
        total = sum(term.weight for term in terms)
        hits = []
        for index in np.argsort(-scores, kind="stable")[:k]:
            if scores[index] <= 0:
                break
            contained = self._bm25.doc_freqs[index]
            text = self._texts[index]
            found = [term for term in terms if term.found_in(contained, text)]
            # Lone characters in common ("退", "打") are no sign that a passage is on the topic.
            covered = sum(term.weight for term in found) if any(map(_is_word, found)) else 0.0
            hits.append(Hit(self.passages[index], float(scores[index]), covered / total))
        return hits

    def coverage(self, query: str, text: str) -> float:
        """The share of ``query``'s words, weighted as in ``Hit.confidence``, that ``text`` has."""
        terms = self.query_terms(query)
        total = sum(term.weight for term in terms)
        if total == 0:
            return 0.0
        said = set(tokenize(text))
        text = to_simplified(text)
        return sum(term.weight for term in terms if term.found_in(said, text)) / total

    def query_terms(self, query: str) -> list[QueryTerm]:
        """What of ``query`` a passage should have, each with its weight (``word_weight``).

        A word the notices lack is looked for in the longer words they have ("退捕" in "退捕渔民");
        one whose parts they have is a phrase of theirs when their text has it ("创业培训"), else
        left to its parts ("培训班" to "培训" and "班"); a part they lack is left to its whole,
        and a word with a part of two characters they lack ("居住证": 居住) is not left to its
        other parts. An adverb or a count they lack in any form ("到底", "几个") only phrases the
        question: it is left out.
        """
        tokens = tokens_of(query)
        # A word with a part of two characters or more the notices lack ("机器人": 机器) is not
        # left to its parts: what it means is not in them.
        lacking = {
            token.part_of
            for token in tokens
            if token.part_of is not None and len(token.word) > 1 and not self.knows(token.word)
        }
        known_parts: dict[str, float] = {}
        for token in tokens:
            part_of = token.part_of
            if part_of is not None and part_of not in lacking and token.word in self._bm25.idf:
                weight = self.word_weight(token.word)
                known_parts[part_of] = max(known_parts.get(part_of, 0.0), weight)
        terms: dict[str, QueryTerm] = {}
        for token in tokens:
            word = token.word
            if word in terms or token.part_of in lacking or self._says_nothing(word):
                continue
            if word in self._bm25.idf:
                terms[word] = QueryTerm((word,), self.word_weight(word))
            elif word in known_parts:
                if any(word in text for text in self._texts):
                    terms[word] = QueryTerm((), known_parts[word], phrase=word)
            elif token.part_of is None:
                longer = self._longer_words(word)
                if longer:
                    terms[word] = QueryTerm(longer, max(map(self.word_weight, longer)))
                elif token.tag not in PHRASING_TAGS:
                    terms[word] = QueryTerm((word,), self.word_weight(word))
        return list(terms.values())

    def passage_words(self, passage: Passage) -> frozenset[str]:
        """The words of ``passage``'s text (without its title and headings), cut once and kept."""
        words = self._passage_words.get(passage.id)
        if words is None:
            words = self._passage_words[passage.id] = frozenset(tokenize(passage.text_simplified))
        return words

    def _says_nothing(self, word: str) -> bool:
        """Whether ``word`` is one jieba made of stop words that the notices lack ("还给" of
        "还给求职的人提供", "不了" of "去不了"): it says no more than its parts."""
        dropped = stopwords()
        return len(word) > 1 and word not in self._bm25.idf and all(c in dropped for c in word)

    @property
    def words(self) -> frozenset[str]:
        """The words the notices use."""
        return frozenset(self._bm25.idf)

    @property
    def texts(self) -> tuple[str, ...]:
        """Each passage's text as indexed, in Simplified characters."""
        return tuple(self._texts)

    def knows(self, word: str) -> bool:
        """Whether the notices use ``word`` as a word of their own."""
        return to_simplified(word) in self._bm25.idf

    def query_weights(self, query: str) -> dict[str, float]:
        """Each word a passage may match for ``query``, with its term's weight."""
        return {word: term.weight for term in self.query_terms(query) for word in term.words}

    def _longer_words(self, word: str) -> tuple[str, ...]:
        """The notices' words that contain ``word``, most telling first, a few at most."""
        if len(word) < 2:
            return ()
        found = [each for each in self._bm25.idf if word in each]
        found.sort(key=lambda each: -self._bm25.idf[each])
        return tuple(found[:MAX_LONGER_WORDS])

    def word_weight(self, word: str) -> float:
        """How much ``word`` tells passages apart: BM25's idf; a word no passage uses weighs as
        much as the rarest word could; a lone Han character ``LONE_CHARACTER_SHARE`` of that."""
        idf = self._bm25.idf.get(word)
        weight = math.log((self._bm25.corpus_size + 0.5) / 0.5) if idf is None else float(idf)
        return weight * LONE_CHARACTER_SHARE if len(word) == 1 and _HAN.match(word) else weight


def _is_word(term: QueryTerm) -> bool:
    """Whether ``term`` is more than a lone character."""
    return term.phrase is not None or any(len(word) > 1 for word in term.words)


def _fit(notice_region: str, region: str | None) -> float:
    """0 for a notice that does not apply in ``region``, more for the one that fits best."""
    if region is None:
        return FITTING_NOTICE_BOOST if notice_region == NATIONAL else 1.0
    if not region_applies(notice_region, region):
        return 0.0
    return 1.0 if notice_region == NATIONAL else FITTING_NOTICE_BOOST


def _indexed_text(passage: Passage) -> str:
    return " ".join([passage.title, passage.region, *passage.headings, passage.text_simplified])
