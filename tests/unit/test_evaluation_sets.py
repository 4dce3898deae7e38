"""The evaluation question sets: well formed, true to the notices, and kept out of what the bot
is built from (NLU data and the answering data), so that they measure it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.simplified import to_simplified
from evaluation.answers import QUESTION_SETS, load_questions
from knowledge.manifest import NOTICES_DIR, load_manifest
from settings import PROJECT_ROOT

# What the bot is built from: a question found here verbatim would be answered from memory.
BUILT_FROM = [
    *sorted((PROJECT_ROOT / "nlu_data").glob("*.yml")),
    *sorted((PROJECT_ROOT / "bot" / "data").rglob("*.yml")),
    *(PROJECT_ROOT / "knowledge" / name for name in ("thesaurus.yml", "curated_answers.yml")),
]


@pytest.mark.parametrize("path", QUESTION_SETS, ids=lambda path: path.name)
def test_each_fact_is_in_its_notice_and_the_source_is_its_issuer(path: Path) -> None:
    issuers = {entry.file: entry.issuer for entry in load_manifest()}
    for question in load_questions(path):
        notice = to_simplified((NOTICES_DIR / question.notice).read_text(encoding="utf-8"))
        assert question.source == issuers[question.notice], question.id
        for fact in question.must_contain:
            assert to_simplified(fact) in notice, f"{question.id}: {fact}"


@pytest.mark.parametrize("path", QUESTION_SETS, ids=lambda path: path.name)
def test_a_fifth_of_each_set_is_in_traditional_characters(path: Path) -> None:
    questions = load_questions(path)
    traditional = [question for question in questions if question.script == "traditional"]
    assert len(traditional) * 5 >= len(questions)
    assert all(to_simplified(question.question) != question.question for question in traditional)


def test_no_question_is_in_what_the_bot_is_built_from() -> None:
    built_from = to_simplified("".join(path.read_text(encoding="utf-8") for path in BUILT_FROM))
    questions = [question for path in QUESTION_SETS for question in load_questions(path)]
    leaked = [q.id for q in questions if to_simplified(q.question) in built_from]
    assert leaked == []


def test_question_ids_are_unique_across_the_sets() -> None:
    ids = [question.id for path in QUESTION_SETS for question in load_questions(path)]
    assert len(ids) == len(set(ids))
