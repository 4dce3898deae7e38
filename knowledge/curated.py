"""Curated answers for the most asked topics (``curated_answers.yml``), each part one region's rule.

A curated answer fits a question (already in the notices' words, see ``thesaurus.py``) when the
question mentions one word of each of its ``asks`` groups; with several fitting, the one with more
groups wins, then the one listed first. Its parts carry their notice, so the region and source of
each come from the manifest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.manifest import NoticeEntry, load_manifest

CURATED_FILE = Path(__file__).resolve().parent / "curated_answers.yml"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CuratedPart:
    notice: NoticeEntry
    text: str


@dataclass(frozen=True)
class CuratedAnswer:
    id: str
    asks: tuple[tuple[str, ...], ...]
    parts: tuple[CuratedPart, ...]
    note: str

    def fits(self, question: str) -> bool:
        return all(any(word in question for word in group) for group in self.asks)


class CuratedAnswers:
    def __init__(self, answers: Sequence[CuratedAnswer]) -> None:
        self.answers = tuple(answers)

    def find(self, question: str) -> CuratedAnswer | None:
        """The curated answer that fits ``question`` best, if any."""
        fitting = [answer for answer in self.answers if answer.fits(question)]
        return max(fitting, key=lambda answer: len(answer.asks)) if fitting else None


def _words(raw: Any, where: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: 'asks' must be a list of word groups")
    groups = []
    for group in raw:
        if not isinstance(group, list) or not group or not all(isinstance(w, str) for w in group):
            raise ValueError(f"{where}: each 'asks' group must be a list of words")
        groups.append(tuple(group))
    return tuple(groups)


def parse_curated(document: Any, notices: Mapping[str, NoticeEntry]) -> CuratedAnswers:
    """Curated answers from a parsed ``curated_answers.yml``; a bad entry is refused by name."""
    items = document.get("answers") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise ValueError("curated answers: expected an 'answers' list")
    answers = []
    for position, item in enumerate(items):
        where = f"curated answer {item.get('id', position) if isinstance(item, dict) else position}"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ValueError(f"{where}: needs an id")
        parts = []
        for part in item.get("parts") or []:
            notice = notices.get(part.get("notice", "")) if isinstance(part, dict) else None
            if notice is None or not isinstance(part.get("text"), str):
                raise ValueError(f"{where}: each part needs a text and a notice in the manifest")
            parts.append(CuratedPart(notice, _SPACE.sub("", part["text"])))
        if not parts:
            raise ValueError(f"{where}: needs at least one part")
        note = item.get("note", "")
        answers.append(
            CuratedAnswer(item["id"], _words(item.get("asks"), where), tuple(parts), str(note))
        )
    return CuratedAnswers(answers)


@lru_cache(maxsize=1)
def load_curated(path: Path = CURATED_FILE) -> CuratedAnswers:
    notices = {entry.file: entry for entry in load_manifest()}
    return parse_curated(yaml.safe_load(path.read_text(encoding="utf-8")), notices)
