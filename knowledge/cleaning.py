"""Removes web-page furniture from a notice and gives it a Simplified twin for indexing.

Notices come as copied web pages: a news site's name after the title, breadcrumbs, timestamps,
"来源:" and "字体:" lines, 纠错 / 责任编辑 tags, share and QR-code widgets, the title twice. The
rules below are patterns for such furniture, not for any one file. Label lines ("来源:",
"时间:") are only dropped above the notice's first sentence or below its last one, where pages put
them; inside the body a line like "时间:3月1日" is the notice's own text.

Patterns run on the twin from ``bot.simplified.to_simplified`` (Simplified, width-folded); it has
the original's length, so every cut applies at the same offsets to the original, kept for quoting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.simplified import to_simplified
from knowledge.markers import CLAUSE_END, heading_level, is_body_line

# Page furniture is short; a longer line is always kept.
_SHORT = 80

# Anywhere in a line: bracketed widgets and editor tags, e.g. "【纠错】", "【责任编辑:李东煌】".
_WIDGET = re.compile(
    r"[【\[(（]\s*(?:纠错|打印|打印本页|关闭|关闭窗口|收藏|分享|返回顶部"
    r"|责任编辑\s*[:：][^】\])）]{0,20})\s*[】\])）]"
)
# Whole lines, anywhere in the page (only when short and not a sentence).
_FURNITURE_LINES = (
    # "2023 02/28 09:39:35", "2023-02-28 09:39"
    re.compile(r"\d{4}[\s\-/.年]*\d{1,2}[\s\-/.月]+\d{1,2}日?\s*\d{1,2}:\d{2}(?::\d{2})?"),
    # breadcrumbs: "新华网 > > 正文", "首页 » 政策文件"
    re.compile(r"[^>»]{0,20}(?:[>»][^>»]{0,20})+"),
    re.compile(r"(?:当前位置|您的位置|你的位置)\s*[:：].*"),
    re.compile(r"字[体号]\s*[:：]?(?:\s*[大中小])*"),
    re.compile(r"(?:纠错|责任编辑\s*[:：].{0,20})"),
    # share and follow widgets: "扫描二维码 关注我们", "分享到:微信 微博"
    re.compile(r".{0,20}(?:二维码|扫一扫|分享到|打印本页|关闭窗口|返回顶部|加入收藏).{0,20}"),
)
# Page metadata, dropped above the first sentence or below the last one.
_LABEL_LINE = re.compile(
    r"(?:(?:发布|发文|成文|更新)?(?:时间|日期)|(?:信息|文章|新闻)?来源"
    r"|作者|编辑|浏览次数|阅读次数|点击数|访问次数|字[体号])\s*[:：].*"
)
# A site name after a title: "…的通知-新华网", "…_中国政府网".
_SITE_SUFFIX = re.compile(r"\s*[-_|—–]+\s*[^\s\-_|—–]{1,15}?(?:网|网站|频道|门户)$")


@dataclass(frozen=True)
class CleanText:
    """A notice without page furniture, one paragraph per line.

    ``original`` keeps the notice's own characters for quoting; ``simplified`` is its twin for
    indexing, of the same length (offsets map 1:1). ``removed`` lists what was cut, for logs.
    """

    original: str
    simplified: str
    removed: tuple[str, ...]


@dataclass
class _Line:
    original: str
    simplified: str


def _cut_widgets(line: _Line, removed: list[str]) -> _Line:
    original, simplified = line.original, line.simplified
    for match in reversed(list(_WIDGET.finditer(simplified))):
        start, end = match.span()
        removed.append(original[start:end])
        original = original[:start] + original[end:]
        simplified = simplified[:start] + simplified[end:]
    return _Line(original, simplified)


def _strip(line: _Line) -> _Line:
    start = len(line.simplified) - len(line.simplified.lstrip())
    end = len(line.simplified.rstrip())
    return _Line(line.original[start:end], line.simplified[start:end])


def _is_furniture(text: str) -> bool:
    # A sentence or a heading is the notice's own, whatever it says; "字体:" is not.
    if len(text) > _SHORT or text[-1] in CLAUSE_END or heading_level(text):
        return False
    return any(pattern.fullmatch(text) for pattern in _FURNITURE_LINES)


def _margin(lines: list[_Line]) -> int:
    """How many leading lines come before the notice's first sentence or heading."""
    for index, line in enumerate(lines):
        if len(line.simplified) > _SHORT or is_body_line(line.simplified):
            return index
    return len(lines)


def _clean_head(lines: list[_Line], removed: list[str]) -> list[_Line]:
    kept: list[_Line] = []
    for line in lines:
        if _LABEL_LINE.fullmatch(line.simplified):
            removed.append(line.original)
            continue
        suffix = _SITE_SUFFIX.search(line.simplified)
        if suffix:
            removed.append(line.original[suffix.start() :])
            line = _Line(line.original[: suffix.start()], line.simplified[: suffix.start()])
        if any(line.simplified == earlier.simplified for earlier in kept):
            removed.append(line.original)
            continue
        kept.append(line)
    return kept


def _clean_tail(lines: list[_Line], removed: list[str]) -> list[_Line]:
    kept = []
    for line in lines:
        if _LABEL_LINE.fullmatch(line.simplified):
            removed.append(line.original)
        else:
            kept.append(line)
    return kept


def clean_notice(raw: str) -> CleanText:
    """The notice's text without page furniture, and its Simplified twin."""
    removed: list[str] = []
    lines: list[_Line] = []
    for text in raw.splitlines():
        line = _strip(_cut_widgets(_Line(text, to_simplified(text)), removed))
        if not line.simplified:
            continue
        if _is_furniture(line.simplified):
            removed.append(line.original)
            continue
        lines.append(line)

    head_end = _margin(lines)
    tail_start = max(head_end, len(lines) - _margin(lines[::-1]))
    body = (
        _clean_head(lines[:head_end], removed)
        + lines[head_end:tail_start]
        + _clean_tail(lines[tail_start:], removed)
    )
    return CleanText(
        original="\n".join(line.original for line in body),
        simplified="\n".join(line.simplified for line in body),
        removed=tuple(removed),
    )
