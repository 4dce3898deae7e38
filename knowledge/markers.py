"""The marks that give a notice its shape, shared by cleaning and sectioning.

Patterns run on the Simplified, width-folded twin of a notice (``to_simplified``), so one pattern
serves both scripts and both "（一）" and "(一)".
"""

from __future__ import annotations

import re

_NUMERALS = "一二三四五六七八九十百"

# Level 1 "一、", level 2 "(一)", level 3 "1." / "1、" (not "1.5" or "2023年").
HEADING_LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"[{_NUMERALS}]{{1,3}}、"),
    re.compile(rf"\([{_NUMERALS}]{{1,3}}\)"),
    re.compile(r"\d{1,2}(?:\.(?!\d)|、)"),
)

SENTENCE_END = "。！？!?"
CLAUSE_END = SENTENCE_END + "；;"
# A line ending in one of these is body text or a salutation, not a title or page furniture.
BODY_LINE_END = CLAUSE_END + "：:"


def heading_level(text: str) -> int:
    """1, 2 or 3 when ``text`` starts with a heading mark, else 0."""
    for level, pattern in enumerate(HEADING_LEVELS, start=1):
        if pattern.match(text):
            return level
    return 0


def is_body_line(line: str) -> bool:
    """Whether a stripped line reads as notice text: a heading, or it ends a sentence or clause."""
    return bool(line) and (heading_level(line) > 0 or line[-1] in BODY_LINE_END)
