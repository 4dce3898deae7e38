"""Which notice issuer a question names, in full or as people shorten it.

"人社部" is 人力资源社会保障部, "教育部" is 教育部办公厅: the short names are made from the
manifest's issuers by the usual abbreviations, so a new notice's issuer needs no entry here.
Only issuers without a place in their name count: a provincial department is named by its place
("湖北人社厅"), which ``places.py`` finds. "人社部门" (any human-resources department) names none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.simplified import to_simplified

# The long forms people shorten, and what they shorten them to.
_ABBREVIATIONS = (
    ("人力资源和社会保障", "人社"),
    ("人力资源社会保障", "人社"),
)
# An office of a ministry is named by its ministry ("教育部办公厅" → "教育部").
_OFFICE = re.compile(r"(?<=部)办公厅$")
# Words that end an issuer's name in a place ("湖北省…厅", "遂宁市…局").
_REGIONAL = re.compile(r"[省市县区州]")
# "人社部门", "教育部门": any department of that kind, no particular issuer.
_NOT_A_NAME_AFTER = "门"


@cache
def names_of(issuer: str) -> tuple[str, ...]:
    """The ways of naming ``issuer``: in full, and shortened ("人社部")."""
    names = {issuer, _OFFICE.sub("", issuer)}
    for long, short in _ABBREVIATIONS:
        names |= {name.replace(long, short) for name in names}
    return tuple(sorted(names, key=len, reverse=True))


def issuer_named(text: str, issuers: Iterable[str]) -> str | None:
    """The national issuer ``text`` names, as the manifest writes it; None if none or several."""
    text = to_simplified(text)
    named = {
        issuer
        for issuer in issuers
        if not _REGIONAL.search(issuer)
        and any(
            re.search(rf"{re.escape(name)}(?!{_NOT_A_NAME_AFTER})", text)
            for name in names_of(issuer)
        )
    }
    return named.pop() if len(named) == 1 else None
