"""Postings as job seekers read them in WeChat: a compact numbered list, a page at a time.

A posting's contact is written as a placeholder (``jobs.contacts``); the web app and the worker
put the contact in just before the text goes to WeChat, so the conversation log and Redis keep
the posting's number, never a name or a phone.
"""

from __future__ import annotations

from collections.abc import Sequence

from jobs.contacts import contact_placeholder
from jobs.criteria import SearchCriteria
from jobs.geo import distance_km
from jobs.search import SearchPage
from storage.followers import Place
from storage.models import Posting

# WeChat shows about this much of a text comfortably; a page stops adding items before it.
MAX_TEXT_BYTES = 1800
MIN_ITEMS = 3


def pay(posting: Posting) -> str:
    return f"{posting.salary_min}–{posting.salary_max}元/月"


def where(posting: Posting) -> str:
    return f"{posting.city}{posting.district or ''}"


def distance_words(posting: Posting, place: Place | None) -> str:
    if place is None or posting.latitude is None or posting.longitude is None:
        return ""
    km = distance_km((place.latitude, place.longitude), (posting.latitude, posting.longitude))
    return f" · 离您约{max(1, round(km))}公里"


def posting_text(posting: Posting, place: Place | None = None) -> str:
    kind = "兼职" if posting.part_time else "全职"
    return (
        f"{posting.title}｜{posting.employer.name}\n"
        f"{where(posting)} · {pay(posting)} · {posting.education}学历 · {kind}"
        f"{distance_words(posting, place)}\n"
        f"要求：{posting.requirements or '无'}\n"
        f"联系：{contact_placeholder(posting.id)}"
    )


def item(number: int, posting: Posting, place: Place | None = None) -> str:
    return f"{number}. {posting_text(posting, place)}"


def fitting(head: str, items: Sequence[str], tail: str) -> list[str]:
    """As many items as fit in one message with its head and tail (never fewer than three)."""
    kept: list[str] = []
    size = len(head.encode()) + 2 + len(tail.encode())  # each part follows a blank line
    for text in items:
        size += len(text.encode()) + 2
        if len(kept) >= MIN_ITEMS and size > MAX_TEXT_BYTES:
            break
        kept.append(text)
    return kept


def page_text(page: SearchPage, criteria: SearchCriteria) -> tuple[str, int]:
    """The reply for a page of results, and how many postings it shows."""
    items = [
        item(page.offset + number, posting, page.place)
        for number, posting in enumerate(page.postings, start=1)
    ]
    head = f"为您找到{page.total}个岗位（{criteria.describe()}）："
    tail_more = "回复“更多”看下一页；回复“订阅”，有新岗位时通知您。"
    tail_last = "已经是全部了。回复“订阅”，有新岗位时通知您。"
    kept = fitting(head, items, tail_more)
    shown = len(kept)
    tail = tail_more if page.offset + shown < page.total else tail_last
    return "\n\n".join([head, *kept, tail]), shown


def no_match_text(criteria: SearchCriteria) -> str:
    wider = (
        "可以试试放宽条件，比如去掉薪资要求、换个相近的岗位，或者不限城市。"
        if not criteria.is_empty
        else "现在还没有审核通过的岗位，我们正在抓紧收集。"
    )
    return (
        f"暂时没有找到符合条件的岗位（{criteria.describe()}）。{wider}\n"
        "回复“订阅”，有符合条件的新岗位时第一时间通知您。"
    )


def no_more_text() -> str:
    return "没有更多了，这些就是全部符合条件的岗位。换个条件再找找，或者回复“订阅”等新岗位。"


def digest_text(postings: Sequence[Posting], still_held: int) -> str:
    """The postings held for a user, shown when they next write."""
    head = f"您有{len(postings) + still_held}条新岗位："
    items = [
        f"{number}. {posting.title}｜{posting.employer.name}\n"
        f"{where(posting)} · {pay(posting)}\n"
        f"联系：{contact_placeholder(posting.id)}"
        for number, posting in enumerate(postings, start=1)
    ]
    tail = (
        f"还有{still_held}条，下次发消息时给您看。" if still_held else ""
    ) + "回复“退订”可停止推送。"
    return "\n\n".join([head, *items, tail])
