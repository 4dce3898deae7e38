"""knowledge.curated: curated answers say only what their notices say, and each can be reached."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.simplified import to_simplified
from knowledge.curated import CuratedAnswer, load_curated, parse_curated
from knowledge.manifest import NoticeEntry

CURATED = load_curated().answers
# Figures (2, 60日, 1500元/人, 7月底前) and the names in quotation marks (“马兰花计划”).
FIGURE = re.compile(r"\d+(?:[-—.]\d+)?")
QUOTED = re.compile(r"“([^”]+)”")


@pytest.mark.parametrize("answer", CURATED, ids=[answer.id for answer in CURATED])
def test_every_figure_and_name_of_a_part_is_in_its_notice(
    answer: CuratedAnswer, raw_notice: Callable[[str], str]
) -> None:
    for part in answer.parts:
        notice = to_simplified(raw_notice(part.notice.file)).replace(",", "，")
        for figure in FIGURE.findall(part.text):
            assert figure in notice, f"{answer.id}: {figure} is not in {part.notice.file}"
        for name in QUOTED.findall(part.text):
            assert name in notice, f"{answer.id}: “{name}” is not in {part.notice.file}"


def test_notes_name_no_figure_but_the_hotline() -> None:
    for answer in CURATED:
        assert set(FIGURE.findall(answer.note)) <= {"12333"}, answer.id


def test_the_answer_with_more_groups_wins() -> None:
    found = load_curated().find("大学毕业生没找到工作有什么帮扶 高校毕业生")
    assert found is not None
    assert found.id == "graduates_without_jobs"
    assert load_curated().find("今天天气怎么样") is None


def test_parts_carry_their_notice_from_the_manifest(manifest: dict[str, NoticeEntry]) -> None:
    for answer in CURATED:
        for part in answer.parts:
            assert manifest[part.notice.file] == part.notice


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (None, "answers"),
        ({"answers": [{"asks": [["x"]], "parts": []}]}, "needs an id"),
        ({"answers": [{"id": "a", "asks": [["x"]], "parts": []}]}, "at least one part"),
        (
            {
                "answers": [
                    {"id": "a", "asks": [["x"]], "parts": [{"notice": "no.txt", "text": "t"}]}
                ]
            },
            "notice in the manifest",
        ),
        (
            {"answers": [{"id": "a", "asks": "x", "parts": [{"notice": "n.txt", "text": "t"}]}]},
            "word groups",
        ),
    ],
)
def test_a_malformed_entry_is_refused_by_name(
    document: object, problem: str, manifest: dict[str, NoticeEntry]
) -> None:
    notices = {**manifest, "n.txt": next(iter(manifest.values()))}
    with pytest.raises(ValueError, match=problem):
        parse_curated(document, notices)
