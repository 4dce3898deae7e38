"""The first services, right after a registration is stored: a policy briefing for the
registrant's group and at least three open postings that fit what they want, both written to the
service ledger."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from jobs.criteria import SearchCriteria
from jobs.occupations import canonical
from jobs.search import search
from registration.ledger import record_service
from storage.models import JOB_RECOMMENDATION, POLICY_BRIEFING, Posting, Registration

BRIEFINGS_FILE = Path(__file__).with_name("briefings.yml")
RECOMMENDED = 3


@dataclass(frozen=True)
class Briefing:
    text: str
    issuer: str
    title: str

    @property
    def source(self) -> str:
        return f"{self.issuer}《{self.title}》"


@lru_cache(maxsize=1)
def briefings() -> dict[str, Briefing]:
    document = yaml.safe_load(BRIEFINGS_FILE.read_text(encoding="utf-8"))
    return {group: Briefing(**entry) for group, entry in document["briefings"].items()}


def briefing_for(group: str) -> Briefing:
    known = briefings()
    return known.get(group, known["default"])


def wanted_occupation(wanted_job: str) -> str | None:
    """The first job named in "普工或者电工", "会计、出纳", as the search knows it."""
    first = re.split(r"或者|或是|或|、|和|/|,|，", wanted_job)[0].strip()
    return canonical(first) if first else None


def recommended_postings(
    session: Session, registration: Registration, today: date
) -> list[Posting]:
    """Up to three open postings: the wanted job in the wanted city, then any job there, then
    the wanted job anywhere."""
    occupation = wanted_occupation(registration.wanted_job)
    attempts = [
        SearchCriteria(city=registration.wanted_city, occupation=occupation),
        SearchCriteria(city=registration.wanted_city),
        SearchCriteria(occupation=occupation),
    ]
    chosen: dict[int, Posting] = {}
    for criteria in attempts:
        if criteria.occupation is None and criteria.city is None:
            continue
        for posting in search(session, criteria, today, limit=RECOMMENDED).postings:
            chosen.setdefault(posting.id, posting)
        if len(chosen) >= RECOMMENDED:
            break
    return list(chosen.values())[:RECOMMENDED]


def give_first_services(
    session: Session, registration: Registration, today: date
) -> tuple[Briefing, list[Posting]]:
    """The briefing and the postings to show now, each recorded in the ledger (channel WeChat)."""
    briefing = briefing_for(registration.group_name)
    record_service(
        session,
        registration,
        POLICY_BRIEFING,
        "wechat",
        detail=f"{briefing.text}（{briefing.source}）",
    )
    postings = recommended_postings(session, registration, today)
    if postings:
        record_service(
            session,
            registration,
            JOB_RECOMMENDATION,
            "wechat",
            detail="登记后自动推荐",
            posting_ids=[posting.id for posting in postings],
        )
    return briefing, postings
