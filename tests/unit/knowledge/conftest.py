"""Fixtures for the knowledge tests: the shipped notices, cleaned, split and indexed once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from knowledge.cleaning import CleanText, clean_notice
from knowledge.ingest import build_passages
from knowledge.manifest import NOTICES_DIR, NoticeEntry, load_manifest
from knowledge.retrieval import KnowledgeIndex
from knowledge.sections import Passage

NATIONAL_FILE = "000_664d83a82188d5e4.txt"
HUBEI_FILE = "001_98262f5d5a3ef8cd.txt"
SUINING_FILE = "002_f6f1a6182c882b75.txt"
TRADITIONAL_FILE = "003_3add382ad897d48c.txt"
SHAANXI_FILE = "004_96519d6c41328b48.txt"


@pytest.fixture(scope="session")
def manifest() -> dict[str, NoticeEntry]:
    return {entry.file: entry for entry in load_manifest()}


@pytest.fixture(scope="session")
def raw_notice() -> Callable[[str], str]:
    def read(file: str) -> str:
        return (NOTICES_DIR / file).read_text(encoding="utf-8")

    return read


@pytest.fixture(scope="session")
def cleaned(raw_notice: Callable[[str], str]) -> Callable[[str], CleanText]:
    def clean(file: str) -> CleanText:
        return clean_notice(raw_notice(file))

    return clean


@pytest.fixture(scope="session")
def shipped_passages() -> list[Passage]:
    return build_passages()


@pytest.fixture(scope="session")
def shipped_index(shipped_passages: list[Passage]) -> KnowledgeIndex:
    return KnowledgeIndex(shipped_passages)
