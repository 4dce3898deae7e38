"""Rewrites a question into the notices' words before it is looked up (``thesaurus.yml``).

"失业金能网上申请吗" becomes "失业保险金能线上申领吗": the notices never say 失业金 or 网上申请,
so without this the question shares few words with the passage that answers it. The notices' own
words are left alone, so "合同" becomes "劳动合同" but "劳动合同" stays as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.simplified import to_simplified

THESAURUS_FILE = Path(__file__).resolve().parent / "thesaurus.yml"


class Thesaurus:
    def __init__(self, terms: dict[str, list[str]]) -> None:
        self._replacement: dict[str, str] = {}
        self._official = frozenset(word for official in terms for word in official.split())
        for official, variants in terms.items():
            for word in official.split():
                self._replacement[word] = word
            for variant in variants:
                self._replacement.setdefault(to_simplified(variant), official)
        # Longest first, so at each place the longest word wins and an official word is kept whole.
        words = sorted(self._replacement, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(word) for word in words))

    @property
    def official_words(self) -> frozenset[str]:
        """The notices' words a rewrite puts in ("线上", "失业保险金")."""
        return self._official

    @property
    def words(self) -> frozenset[str]:
        """Every word it knows: the notices' words and the everyday ones ("应届生")."""
        return frozenset(self._replacement)

    def rewrite(self, text: str) -> str:
        """``text`` in Simplified characters, each way of saying replaced by the notices' words."""
        return self._pattern.sub(
            lambda match: self._replacement[match.group()], to_simplified(text)
        )


def parse_thesaurus(document: Any) -> Thesaurus:
    terms = document.get("terms") if isinstance(document, dict) else None
    if not isinstance(terms, dict) or not all(
        isinstance(variants, list) and all(isinstance(word, str) for word in variants)
        for variants in terms.values()
    ):
        raise ValueError("thesaurus: expected 'terms', each a word mapped to a list of words")
    return Thesaurus({str(official): list(variants) for official, variants in terms.items()})


@lru_cache(maxsize=1)
def load_thesaurus(path: Path = THESAURUS_FILE) -> Thesaurus:
    return parse_thesaurus(yaml.safe_load(path.read_text(encoding="utf-8")))
