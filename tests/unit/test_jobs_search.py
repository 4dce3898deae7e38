"""Searching postings job seekers may see: filters, ranking and pages; the listing they read,
with contacts as placeholders filled in only for postings still shown; and where postings are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pytest

from jobs.contacts import GONE, contact_placeholder, fill_contacts, has_contacts
from jobs.criteria import SearchCriteria
from jobs.geo import CITY_CENTRES, coordinates_of, distance_km
from jobs.listing import (
    MAX_TEXT_BYTES,
    MIN_ITEMS,
    digest_text,
    no_match_text,
    page_text,
)
from jobs.occupations import TITLE_WORDS
from jobs.search import SearchPage, search
from storage.db import session_scope
from storage.followers import Place
from storage.models import APPROVED, PENDING, REJECTED, Employer, Posting
from storage.sealed import seal

from .support import DATA_KEY

TODAY = date(2026, 11, 24)
OTHER_KEY = "x" * 43 + "="  # a well-formed Fernet key that is not DATA_KEY
# A user in 武汉江夏区 who shared their place.
JIANGXIA = Place(30.376, 114.322, "武汉市江夏区")


@dataclass
class Board:
    """Postings written straight to the test database, approved unless told otherwise."""

    database_url: str
    employers: dict[str, int] = field(default_factory=dict)  # one employer per review state
    added: int = 0

    def add(
        self,
        title: str,
        *,
        city: str = "武汉",
        district: str | None = None,
        salary: tuple[int, int] = (4000, 6000),
        part_time: bool = False,
        suits: str = "",
        requirements: str = "身体健康",
        contact: str | None = None,
        state: str = APPROVED,
        employer_state: str = APPROVED,
        valid_until: date = TODAY + timedelta(days=30),
    ) -> int:
        """Add a posting (newer than those added before it); its id."""
        self.added += 1
        with session_scope(self.database_url) as session:
            employer_id = self.employers.get(employer_state)
            if employer_id is None:
                employer = Employer(name=f"{employer_state}单位（示例）", state=employer_state)
                session.add(employer)
                session.flush()
                employer_id = self.employers[employer_state] = employer.id
            posting = Posting(
                employer_id=employer_id,
                title=title,
                city=city,
                district=district,
                salary_min=salary[0],
                salary_max=salary[1],
                requirements=requirements,
                education="不限",
                suits=suits,
                part_time=part_time,
                contact_sealed=seal(contact or phone_of(self.added), DATA_KEY),
                source="单位直接提供",
                valid_until=valid_until,
                state=state,
                created_at=datetime(2026, 11, 1, tzinfo=timezone.utc)
                + timedelta(minutes=self.added),
                **coordinates_of(city, district),
            )
            session.add(posting)
            session.flush()
            return int(posting.id)

    def search(
        self,
        criteria: SearchCriteria,
        place: Place | None = None,
        offset: int = 0,
        limit: int = 5,
        today: date = TODAY,
    ) -> list[str]:
        """The titles of one page of results, in order."""
        return [posting.title for posting in self.page(criteria, place, offset, limit, today)[0]]

    def page(
        self,
        criteria: SearchCriteria,
        place: Place | None = None,
        offset: int = 0,
        limit: int = 5,
        today: date = TODAY,
    ) -> tuple[list[Posting], SearchPage]:
        with session_scope(self.database_url) as session:
            found = search(session, criteria, today, place=place, offset=offset, limit=limit)
            return list(found.postings), found


def phone_of(number: int) -> str:
    return f"人事部王经理 1380000{number:04d}"


@pytest.fixture
def board(database_url: str) -> Board:
    return Board(database_url)


# ---------------------------------------------------------------------------------------------
# What is found


def test_only_approved_postings_of_approved_employers_are_found_until_their_last_day(
    board: Board,
) -> None:
    board.add("会计")
    board.add("出纳", valid_until=TODAY)  # its last day
    board.add("待审岗位", state=PENDING)
    board.add("驳回岗位", state=REJECTED)
    board.add("未审单位的岗位", employer_state=PENDING)
    board.add("驳回单位的岗位", employer_state=REJECTED)
    board.add("过期岗位", valid_until=TODAY - timedelta(days=1))

    postings, page = board.page(SearchCriteria())
    assert {posting.title for posting in postings} == {"会计", "出纳"}
    assert page.total == 2
    assert board.search(SearchCriteria(), today=TODAY + timedelta(days=1)) == ["会计"]


def test_the_city_filter_keeps_the_postings_of_that_city(board: Board) -> None:
    board.add("武汉会计", city="武汉")
    board.add("西安会计", city="西安")
    board.add("遂宁会计", city="遂宁", district="射洪市")

    assert board.search(SearchCriteria(city="武汉")) == ["武汉会计"]
    assert board.search(SearchCriteria(city="遂宁")) == ["遂宁会计"]
    assert board.search(SearchCriteria(city="北京")) == []


@pytest.mark.parametrize(
    ("occupation", "found"),
    [
        ("会计", {"财务会计", "会计"}),
        ("财务", {"财务会计", "会计"}),  # an alias searches as its occupation
        ("司机", {"货车司机", "网约车驾驶员"}),
        ("货车司机", {"货车司机"}),
        ("普工", {"操作工", "流水线普工"}),
        ("机械设计助理工程师", set()),  # not in the table: only its own name
        ("保安", {"保安"}),
    ],
)
def test_an_occupation_finds_the_titles_that_use_its_words(
    board: Board, occupation: str, found: set[str]
) -> None:
    for title in ("财务会计", "会计", "货车司机", "网约车驾驶员", "操作工", "流水线普工", "保安"):
        board.add(title)
    assert set(board.search(SearchCriteria(occupation=occupation), limit=20)) == found


def test_the_salary_floor_is_met_by_the_top_of_the_range(board: Board) -> None:
    board.add("低薪", salary=(3000, 4500))
    board.add("中薪", salary=(4000, 6000))
    board.add("高薪", salary=(6000, 9000))

    assert board.search(SearchCriteria(salary_floor=5000)) == ["高薪", "中薪"]
    assert board.search(SearchCriteria(salary_floor=6000)) == ["高薪", "中薪"]
    assert board.search(SearchCriteria(salary_floor=6001)) == ["高薪"]
    assert board.search(SearchCriteria(salary_floor=10_000)) == []


@pytest.mark.parametrize(
    ("part_time", "found"),
    [(True, {"兼职理货员"}), (False, {"全职会计"}), (None, {"兼职理货员", "全职会计"})],
)
def test_part_time_asks_for_part_time_postings_and_false_for_full_time(
    board: Board, part_time: bool | None, found: set[str]
) -> None:
    board.add("兼职理货员", part_time=True)
    board.add("全职会计", part_time=False)
    assert set(board.search(SearchCriteria(part_time=part_time))) == found


@pytest.mark.parametrize(
    ("group", "found"),
    [
        ("高校毕业生", {"应届岗位", "高校岗位"}),
        ("农民工", {"农民工岗位"}),
        ("长期失业青年", {"青年岗位"}),
        ("残疾人", {"应届岗位"}),
        ("退役军人", set()),
    ],
)
def test_a_group_finds_the_postings_that_suit_it_by_the_words_postings_use(
    board: Board, group: str, found: set[str]
) -> None:
    board.add("应届岗位", suits="应届毕业生、残疾人")
    board.add("高校岗位", suits="高校毕业生")
    board.add("农民工岗位", suits="农民工")
    board.add("青年岗位", suits="青年")
    board.add("不限人群岗位", suits="")
    assert set(board.search(SearchCriteria(suits=group))) == found


def test_every_criterion_must_be_met_at_once(board: Board) -> None:
    board.add("会计", city="武汉", salary=(5000, 7000), suits="应届毕业生")
    board.add("武汉低薪会计", city="武汉", salary=(3000, 4000), suits="应届毕业生")
    board.add("西安会计", city="西安", salary=(5000, 7000), suits="应届毕业生")
    board.add("武汉兼职会计", city="武汉", salary=(5000, 7000), part_time=True)
    criteria = SearchCriteria(
        city="武汉", occupation="会计", salary_floor=5000, part_time=False, suits="高校毕业生"
    )
    assert board.search(criteria) == ["会计"]


# ---------------------------------------------------------------------------------------------
# Ranking


def test_a_title_that_is_the_occupation_comes_before_one_that_only_contains_it(
    board: Board,
) -> None:
    board.add("财务会计助理", salary=(8000, 12_000))
    board.add("会计", salary=(3000, 4000))
    board.add("财务", salary=(3000, 3500))  # a word of 会计's: it is that occupation too
    assert board.search(SearchCriteria(occupation="会计")) == ["会计", "财务", "财务会计助理"]


@pytest.mark.parametrize("occupation", sorted(TITLE_WORDS))
def test_for_every_occupation_a_title_that_is_its_name_ranks_first(
    board: Board, occupation: str
) -> None:
    board.add(f"资深{occupation}主管", salary=(9000, 15_000))
    board.add(occupation, salary=(3000, 4000))
    assert board.search(SearchCriteria(occupation=occupation))[0] == occupation


def test_without_an_occupation_higher_pay_then_newer_comes_first(board: Board) -> None:
    board.add("旧的高薪", salary=(5000, 9000))
    board.add("低薪", salary=(3000, 4000))
    board.add("新的高薪", salary=(6000, 9000))
    assert board.search(SearchCriteria()) == ["新的高薪", "旧的高薪", "低薪"]


def test_with_a_shared_place_nearer_comes_first_and_unplaced_postings_last(board: Board) -> None:
    board.add("西安高薪", city="西安", salary=(9000, 20_000))
    board.add("无坐标", city="荆门", salary=(9000, 20_000))  # not in the centres table
    board.add("汉阳", city="武汉", district="汉阳区", salary=(5000, 8000))
    board.add("江夏", city="武汉", district="江夏区", salary=(3000, 4000))
    board.add("宜昌", city="宜昌", salary=(9000, 10_000))

    postings, page = board.page(SearchCriteria(), place=JIANGXIA)
    assert [posting.title for posting in postings] == ["江夏", "汉阳", "宜昌", "西安高薪", "无坐标"]
    assert page.place == JIANGXIA


def test_asking_for_work_near_me_keeps_only_postings_within_50_km(board: Board) -> None:
    board.add("西安高薪", city="西安", salary=(9000, 20_000))
    board.add("无坐标", city="荆门", salary=(9000, 20_000))
    board.add("汉阳", city="武汉", district="汉阳区", salary=(5000, 8000))
    board.add("江夏", city="武汉", district="江夏区", salary=(3000, 4000))
    board.add("宜昌", city="宜昌", salary=(9000, 10_000))

    postings, page = board.page(SearchCriteria(near=True), place=JIANGXIA)

    assert [posting.title for posting in postings] == ["江夏", "汉阳"]
    assert page.total == 2


def test_a_place_ranks_by_distance_when_no_city_is_named_but_not_when_one_is(
    board: Board,
) -> None:
    board.add("江夏", city="武汉", district="江夏区", salary=(3000, 4000))
    board.add("汉阳", city="武汉", district="汉阳区", salary=(5000, 8000))

    postings, page = board.page(SearchCriteria(), place=JIANGXIA)
    assert [posting.title for posting in postings] == ["江夏", "汉阳"]
    assert page.place == JIANGXIA

    postings, page = board.page(SearchCriteria(city="武汉"), place=JIANGXIA)
    assert [posting.title for posting in postings] == ["汉阳", "江夏"]  # by pay
    assert page.place is None

    postings, page = board.page(SearchCriteria(city="武汉", near=True), place=JIANGXIA)
    assert [posting.title for posting in postings] == ["江夏", "汉阳"]


def test_pages_follow_each_other_and_count_every_match(board: Board) -> None:
    for number in range(7):
        board.add(f"普工{number}", salary=(3000, 4000 + 100 * number))

    first, first_page = board.page(SearchCriteria(occupation="普工"))
    second, second_page = board.page(SearchCriteria(occupation="普工"), offset=5)
    beyond, beyond_page = board.page(SearchCriteria(occupation="普工"), offset=7)

    assert [posting.title for posting in first] == [f"普工{n}" for n in (6, 5, 4, 3, 2)]
    assert [posting.title for posting in second] == ["普工1", "普工0"]
    assert beyond == []
    assert (first_page.total, second_page.total, beyond_page.total) == (7, 7, 7)
    assert (first_page.offset, second_page.offset) == (0, 5)


# ---------------------------------------------------------------------------------------------
# The listing


def listing(board: Board, criteria: SearchCriteria, offset: int = 0) -> tuple[str, int]:
    with session_scope(board.database_url) as session:
        return page_text(search(session, criteria, TODAY, offset=offset), criteria)


def numbers_in(text: str) -> list[int]:
    return [int(number) for number in re.findall(r"^(\d+)\. ", text, flags=re.MULTILINE)]


def test_a_page_lists_five_short_postings_and_asks_for_more_while_more_remain(
    board: Board,
) -> None:
    for number in range(7):
        board.add(f"会计{number}")
    criteria = SearchCriteria(city="武汉", occupation="会计")

    text, shown = listing(board, criteria)
    assert shown == 5 and numbers_in(text) == [1, 2, 3, 4, 5]
    assert text.startswith("为您找到7个岗位（武汉 · 会计）：")
    assert "更多" in text.splitlines()[-1]

    text, shown = listing(board, criteria, offset=5)
    assert shown == 2 and numbers_in(text) == [6, 7]
    assert "6. " in text
    assert "全部" in text.splitlines()[-1] and "更多" not in text


def test_long_postings_shorten_the_page_but_never_below_three(board: Board) -> None:
    for number in range(5):
        board.add(f"会计{number}", requirements="熟悉财务软件，" * 70)

    text, shown = listing(board, SearchCriteria())
    assert shown == MIN_ITEMS == 3
    assert numbers_in(text) == [1, 2, 3]
    assert "更多" in text.splitlines()[-1]  # two of the five were not shown


def test_a_page_stops_adding_postings_before_the_text_gets_too_long(board: Board) -> None:
    for number in range(5):
        board.add(f"会计{number}", requirements="有经验者优先，" * 10)
    text, shown = listing(board, SearchCriteria())
    assert shown == 4 and numbers_in(text) == [1, 2, 3, 4]
    assert len(text.encode()) <= MAX_TEXT_BYTES


def test_the_listing_names_each_contact_by_a_placeholder_never_the_phone(board: Board) -> None:
    first = board.add("会计", contact="人事部王经理 13800001234")
    second = board.add("出纳", contact="行政部陈主管 027-80001234")

    text, _ = listing(board, SearchCriteria())
    assert contact_placeholder(first) in text and contact_placeholder(second) in text
    assert "13800001234" not in text and "80001234" not in text
    assert "王经理" not in text and "陈主管" not in text
    assert has_contacts(text)


def test_an_item_says_where_what_it_pays_and_how_far_it_is(board: Board) -> None:
    board.add("会计", city="武汉", district="汉阳区", salary=(4500, 6000), part_time=True)
    with session_scope(board.database_url) as session:
        page = search(session, SearchCriteria(near=True), TODAY, place=JIANGXIA)
        text, _ = page_text(page, SearchCriteria(near=True))
    assert "武汉汉阳区 · 4500–6000元/月 · 不限学历 · 兼职 · 离您约" in text
    km = distance_km((JIANGXIA.latitude, JIANGXIA.longitude), coordinates_tuple("武汉", "汉阳区"))
    assert f"离您约{round(km)}公里" in text


def test_contacts_are_filled_in_for_postings_still_shown_and_gone_for_the_others(
    board: Board,
) -> None:
    shown = board.add("会计", contact="人事部王经理 13800001234")
    expiring = board.add("出纳", contact="人事部李女士 13800005678", valid_until=TODAY)
    pending = board.add("保安", contact="人事部张经理 13800009999", state=PENDING)
    text = "\n".join(contact_placeholder(i) for i in (shown, expiring, pending, 999_999))

    with session_scope(board.database_url) as session:
        today_text = fill_contacts(session, text, DATA_KEY, TODAY)
        tomorrow_text = fill_contacts(session, text, DATA_KEY, TODAY + timedelta(days=1))

    # The expiring posting is shown through its last day; the pending one and an unknown number
    # never are.
    assert today_text.splitlines() == [
        "人事部王经理 13800001234",
        "人事部李女士 13800005678",
        GONE,
        GONE,
    ]
    assert tomorrow_text.splitlines() == ["人事部王经理 13800001234", GONE, GONE, GONE]


def test_a_listing_gets_its_phones_back_only_when_it_goes_out(board: Board) -> None:
    board.add("会计", contact="人事部王经理 13800001234")
    text, _ = listing(board, SearchCriteria())
    with session_scope(board.database_url) as session:
        sent = fill_contacts(session, text, DATA_KEY, TODAY)
    assert "联系：人事部王经理 13800001234" in sent
    assert not has_contacts(sent)


def test_a_contact_sealed_with_another_key_is_not_shown(board: Board) -> None:
    posting = board.add("会计", contact="人事部王经理 13800001234")
    with session_scope(board.database_url) as session:
        filled = fill_contacts(session, contact_placeholder(posting), OTHER_KEY, TODAY)
    assert filled == GONE


def test_text_without_placeholders_is_left_as_it_is(board: Board) -> None:
    with session_scope(board.database_url) as session:
        assert fill_contacts(session, "联系：⟦联系方式:abc⟧", DATA_KEY, TODAY) == (
            "联系：⟦联系方式:abc⟧"
        )


def test_no_match_suggests_widening_and_subscribing() -> None:
    criteria = SearchCriteria(city="武汉", occupation="会计", salary_floor=8000)
    text = no_match_text(criteria)
    assert "武汉 · 会计 · 月薪8000元以上" in text
    assert "订阅" in text and "放宽" in text

    empty = no_match_text(SearchCriteria())
    assert "订阅" in empty and "还没有审核通过的岗位" in empty and "放宽" not in empty


def test_a_digest_numbers_its_postings_and_says_how_many_are_still_held(board: Board) -> None:
    for title in ("会计", "出纳"):
        board.add(title)
    postings, _ = board.page(SearchCriteria())

    text = digest_text(postings, still_held=3)
    assert text.startswith("您有5条新岗位：")
    assert numbers_in(text) == [1, 2]
    assert all(contact_placeholder(posting.id) in text for posting in postings)
    assert "还有3条" in text and "退订" in text
    assert "还有" not in digest_text(postings, still_held=0)


# ---------------------------------------------------------------------------------------------
# Where postings are


def coordinates_tuple(city: str, district: str | None) -> tuple[float, float]:
    found = coordinates_of(city, district)
    assert found["latitude"] is not None and found["longitude"] is not None
    return found["latitude"], found["longitude"]


def test_a_posting_is_placed_at_its_district_else_its_city_else_nowhere() -> None:
    assert coordinates_of("武汉", "江夏区") == {"latitude": 30.376, "longitude": 114.322}
    assert coordinates_of("武汉", "蔡甸区") == {"latitude": 30.593, "longitude": 114.305}
    assert coordinates_of("武汉", None) == {"latitude": 30.593, "longitude": 114.305}
    assert coordinates_of("荆门", None) == {"latitude": None, "longitude": None}
    # A district's name alone does not place it in another city.
    assert coordinates_of("成都", "雁塔区") == {"latitude": 30.573, "longitude": 104.067}


def test_distances_are_great_circle_kilometres() -> None:
    wuhan, xian = CITY_CENTRES["武汉"], CITY_CENTRES["西安"]
    assert distance_km(wuhan, wuhan) == 0
    assert distance_km(wuhan, xian) == pytest.approx(distance_km(xian, wuhan))
    assert 600 < distance_km(wuhan, xian) < 700  # about 650 km as the crow flies
    assert distance_km((0.0, 0.0), (0.0, 180.0)) == pytest.approx(6371.0 * 3.14159265, rel=1e-6)
