"""Splits a cleaned notice along its own headings into passages a bot can quote.

A notice's structure is "一、" headings, "(一)" items under them, "1." items under those.
Each passage knows its heading path, e.g. ("二、活动安排", "(一)春风行动暨就业援助月"), and where it
comes from (the manifest's title, issuer, date and region). Text before the first heading is the
preface passage (path ``()``); the short unpunctuated lines after the last sentence (attachments,
contacts, issuer, date) are the sign-off passage (path ``("落款",)``).

Passages are paragraph-sized: a section longer than ``MAX_CHARS`` is cut between paragraphs, and a
paragraph longer than that at sentence ends; a heading stays with the text that follows it.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from bot.simplified import to_simplified
from knowledge.cleaning import CleanText
from knowledge.manifest import NoticeEntry
from knowledge.markers import (
    CLAUSE_END,
    HEADING_LEVELS,
    SENTENCE_END,
    heading_level,
    is_body_line,
)

# The passages file's layout; ``KnowledgeIndex.load`` refuses another.
PASSAGES_FORMAT = 1
MAX_CHARS = 400
# A piece shorter than this joins the piece before it.
MIN_CHARS = 60
# A heading's title ends at its first full stop, colon or space, and is never longer than this.
MAX_HEADING_CHARS = 60
SIGN_OFF = "落款"
_SIGN_OFF_LINE_CHARS = 80

_BREAK_AFTER = set(CLAUSE_END + "：:")
# Enough text after a gap to tell a heading mark ("(十一)", "12.") from a number.
_LONGEST_MARK = 8
_TITLE_END = re.compile(r"[。：:；;\s]")


@dataclass(frozen=True)
class Passage:
    """A quotable piece of one notice, with the notice's particulars for naming the source."""

    id: str
    notice: str
    headings: tuple[str, ...]
    text: str
    text_simplified: str
    title: str
    issuer: str
    date: str
    region: str

    @property
    def is_sign_off(self) -> bool:
        """Whether this is the notice's sign-off: attachments, contacts, issuer and date."""
        return self.headings[-1:] == (SIGN_OFF,)

    @property
    def source(self) -> NoticeEntry:
        """The manifest entry of the notice this passage is cut from, to name it as a source."""
        return NoticeEntry(self.notice, self.title, self.issuer, self.date, self.region)

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["headings"] = list(self.headings)
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Passage:
        return cls(**{**record, "headings": tuple(record["headings"])})


# A part ("二、") or an item under it ("(五)"), as a section names them in the campaign calendar.
_PART_OR_ITEM = re.compile("|".join(pattern.pattern for pattern in HEADING_LEVELS[:2]))


def in_section(passage: Passage, section: str) -> bool:
    """Whether ``passage`` is under one of the sections named as notices number them:
    "二、(五)" is the (五) of part 二; "一、二、四" any of three parts; "；" separates."""
    path = [_leading_mark(heading) for heading in passage.headings]
    for piece in section.split("；"):
        # "一、二、四": the last part has no 、 of its own.
        marks = _PART_OR_ITEM.findall(re.sub(r"([一二三四五六七八九十])$", r"\1、", _folded(piece)))
        parts = [mark for mark in marks if mark.endswith("、")]
        items = [mark for mark in marks if not mark.endswith("、")]
        if not path or path[0] not in parts:
            continue
        if not items or (len(path) > 1 and path[1] in items):
            return True
    return False


def names_items(section: str) -> bool:
    """Whether each piece of ``section`` names items ("二、(五)"), not only whole parts."""
    return all(
        any(not mark.endswith("、") for mark in _PART_OR_ITEM.findall(_folded(piece)))
        for piece in section.split("；")
    )


def _leading_mark(heading: str) -> str:
    found = _PART_OR_ITEM.match(_folded(heading))
    return found.group() if found else ""


def _folded(text: str) -> str:
    return to_simplified(text).strip()


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


@dataclass
class _Section:
    headings: tuple[str, ...]
    blocks: list[_Span] = field(default_factory=list)


def _blocks(text: str) -> list[_Span]:
    """Paragraphs: lines, and in a notice flattened to one line, the runs between a sentence end
    or a heading mark and the whitespace before it."""
    cuts = [0]
    for gap in re.finditer(r"\s+", text):
        start, end = gap.span()
        if (
            "\n" in gap.group()
            or (start and text[start - 1] in _BREAK_AFTER)
            or heading_level(text[end : end + _LONGEST_MARK])
        ):
            cuts.extend([start, end])
    cuts.append(len(text))
    pairs = zip(cuts[::2], cuts[1::2], strict=True)
    return [_Span(start, end) for start, end in pairs if end > start]


def _heading_end(text: str) -> int:
    found = _TITLE_END.search(text)
    return min(found.start() if found else len(text), MAX_HEADING_CHARS)


def _title_only(simplified: str, block: _Span) -> bool:
    """Whether a heading block is its title and nothing more."""
    return _heading_end(simplified[block.start : block.end]) == block.end - block.start


def _sections(original: str, simplified: str, blocks: list[_Span]) -> list[_Section]:
    preface = _Section(())
    sections = [preface]
    path: list[tuple[int, str]] = []
    for block in blocks:
        level = heading_level(simplified[block.start : block.end])
        if level:
            while path and path[-1][0] >= level:
                path.pop()
            end = block.start + _heading_end(simplified[block.start : block.end])
            path.append((level, original[block.start : end]))
            sections.append(_Section(tuple(heading for _, heading in path)))
        sections[-1].blocks.append(block)
    return sections


def _split_sign_off(simplified: str, sections: list[_Section]) -> _Section:
    """Moves the short unpunctuated lines after the last sentence into their own section."""
    last = sections[-1]
    first_body = 0
    if last.headings:
        # A heading with nothing after its title keeps at least one line as its text.
        first_body = 2 if _title_only(simplified, last.blocks[0]) else 1
    cut = len(last.blocks)
    while cut > first_body:
        line = simplified[last.blocks[cut - 1].start : last.blocks[cut - 1].end]
        if len(line) > _SIGN_OFF_LINE_CHARS or is_body_line(line):
            break
        cut -= 1
    sign_off = _Section((SIGN_OFF,), last.blocks[cut:])
    del last.blocks[cut:]
    return sign_off


def _sentence_pieces(text: str, span: _Span) -> list[_Span]:
    """A long paragraph cut at sentence ends into pieces of about equal length."""
    length = span.end - span.start
    if length <= MAX_CHARS:
        return [span]
    for ends in (SENTENCE_END, CLAUSE_END):
        candidates = [i + 1 for i in range(span.start, span.end - 1) if text[i] in ends]
        if candidates:
            break
    count = math.ceil(length / MAX_CHARS)
    cuts: list[int] = []
    for k in range(1, count):
        target = span.start + k * length / count
        later = [c for c in candidates if not cuts or c > cuts[-1]]
        if later:
            cuts.append(min(later, key=lambda c: abs(c - target)))
    bounds = [span.start, *sorted(set(cuts)), span.end]
    return [_Span(a, b) for a, b in pairwise(bounds) if b > a]


def _pack(text: str, blocks: list[_Span]) -> list[_Span]:
    """Paragraphs joined while they fit in ``MAX_CHARS``; a short last piece joins the previous."""
    pieces = [piece for block in blocks for piece in _sentence_pieces(text, block)]
    chunks: list[_Span] = []
    for piece in pieces:
        if chunks and piece.end - chunks[-1].start <= MAX_CHARS:
            chunks[-1] = _Span(chunks[-1].start, piece.end)
        else:
            chunks.append(piece)
    if len(chunks) > 1 and chunks[-1].end - chunks[-1].start < MIN_CHARS:
        tail = chunks.pop()
        chunks[-1] = _Span(chunks[-1].start, tail.end)
    return chunks


def _is_bare_parent(section: _Section, following: _Section | None, simplified: str) -> bool:
    """A heading line alone whose items follow: its title lives on in their heading paths."""
    if following is None or len(section.blocks) != 1 or not section.headings:
        return False
    return (
        _title_only(simplified, section.blocks[0])
        and following.headings[: len(section.headings)] == section.headings
    )


def split_notice(entry: NoticeEntry, notice: CleanText) -> list[Passage]:
    """The notice's passages in reading order."""
    original, simplified = notice.original, notice.simplified
    sections = _sections(original, simplified, _blocks(simplified))
    sections.append(_split_sign_off(simplified, sections))
    passages: list[Passage] = []
    for position, section in enumerate(sections):
        following = sections[position + 1] if position + 1 < len(sections) else None
        if not section.blocks or _is_bare_parent(section, following, simplified):
            continue
        for chunk in _pack(simplified, section.blocks):
            passages.append(
                Passage(
                    id=f"{Path(entry.file).stem}:{len(passages)}",
                    notice=entry.file,
                    headings=section.headings,
                    text=original[chunk.start : chunk.end],
                    text_simplified=simplified[chunk.start : chunk.end],
                    title=entry.title,
                    issuer=entry.issuer,
                    date=entry.date,
                    region=entry.region,
                )
            )
    return passages
