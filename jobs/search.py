"""Searching the visible postings, ranked, a page at a time.

Ranking, best first:
1. a title that is the occupation asked for, before one that only contains it ("会计" before
   "财务会计助理");
2. nearer, when the user shared a place and asked for work near it or named no city;
3. higher pay at the top of the range;
4. newer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from jobs import occupations
from jobs.criteria import GROUP_SUITS, NEAR_KM, SearchCriteria
from jobs.postings import visible_on, visible_postings
from storage.followers import Place
from storage.models import Posting

PAGE_SIZE = 5
KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class SearchPage:
    postings: Sequence[Posting]
    total: int  # how many postings match in all
    offset: int  # how many came before this page
    place: Place | None  # the place distances are measured from, when they are


def _like_any(column: ColumnElement, words: Sequence[str]) -> ColumnElement:
    return or_(*(column.contains(word, autoescape=True) for word in words))


def conditions(criteria: SearchCriteria, place: Place | None = None) -> list[ColumnElement]:
    """What a posting must meet, besides being visible, to match ``criteria`` asked by a user at
    ``place`` ("near me" keeps postings within ``NEAR_KM`` of it)."""
    found: list[ColumnElement] = []
    if criteria.city:
        found.append(Posting.city == criteria.city)
    if criteria.occupation:
        found.append(_like_any(Posting.title, occupations.title_words(criteria.occupation)))
    if criteria.salary_floor:
        found.append(Posting.salary_max >= criteria.salary_floor)
    if criteria.part_time is not None:
        found.append(Posting.part_time.is_(criteria.part_time))
    if criteria.suits:
        found.append(_like_any(Posting.suits, GROUP_SUITS.get(criteria.suits, (criteria.suits,))))
    if criteria.near and place is not None:
        found += within_reach(place)
    return found


def within_reach(place: Place) -> list[ColumnElement]:
    """Postings within about ``NEAR_KM`` of ``place``."""
    lat_span = NEAR_KM / KM_PER_DEGREE
    lng_span = lat_span / max(0.1, math.cos(math.radians(place.latitude)))
    return [
        Posting.latitude.between(place.latitude - lat_span, place.latitude + lat_span),
        Posting.longitude.between(place.longitude - lng_span, place.longitude + lng_span),
    ]


def count_matching(
    session: Session, criteria: SearchCriteria, today: date, place: Place | None = None
) -> int:
    query = (
        select(func.count(Posting.id))
        .join(Posting.employer)
        .where(visible_on(today), *conditions(criteria, place))
    )
    return int(session.execute(query).scalar_one())


def distance_from(criteria: SearchCriteria, place: Place | None) -> Place | None:
    """The place results are ranked by distance from: the user's, when they asked for work near
    it or named no city."""
    return place if place is not None and (criteria.near or not criteria.city) else None


def _squared_distance(place: Place) -> ColumnElement:
    """A monotone stand-in for the distance, in plain arithmetic every database has."""
    shrink = math.cos(math.radians(place.latitude))
    return func.coalesce(
        (Posting.latitude - place.latitude) * (Posting.latitude - place.latitude)
        + (Posting.longitude - place.longitude)
        * (Posting.longitude - place.longitude)
        * (shrink * shrink),
        1e9,  # no coordinates: after every posting that has them
    )


def ranked(criteria: SearchCriteria, today: date, place: Place | None = None) -> Select:
    query = visible_postings(today).order_by(None).where(*conditions(criteria, place))
    order: list[ColumnElement] = []
    if criteria.occupation:
        exact = occupations.title_words(criteria.occupation)
        order.append(case((Posting.title.in_(exact), 0), else_=1))
    by_distance = distance_from(criteria, place)
    if by_distance is not None:
        order.append(_squared_distance(by_distance))
    order += [Posting.salary_max.desc(), Posting.created_at.desc(), Posting.id.desc()]
    return query.order_by(*order)


def search(
    session: Session,
    criteria: SearchCriteria,
    today: date,
    place: Place | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> SearchPage:
    """One page of the ranked matches for a user at ``place`` (None: not shared)."""
    total = count_matching(session, criteria, today, place)
    postings = (
        session.execute(ranked(criteria, today, place).offset(offset).limit(limit))
        .unique()
        .scalars()
        .all()
    )
    return SearchPage(
        postings=postings, total=total, offset=offset, place=distance_from(criteria, place)
    )
