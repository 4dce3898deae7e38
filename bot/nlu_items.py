"""The items of the NLU training data (`nlu_data/`): lookup tables, synonyms, intents' examples.

Read by the jieba dictionary builder and by code that must know what NLU knows (the job search
takes NLU's occupation synonyms for names NLU itself missed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = PROJECT_ROOT / "nlu_data"


def examples(block: str) -> list[str]:
    """The lines of an ``examples: |`` block, without their "- "."""
    return [
        line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")
    ]


def nlu_items(nlu_dir: Path = NLU_DIR) -> Iterator[dict[str, Any]]:
    for path in sorted(nlu_dir.glob("**/*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        yield from document.get("nlu", [])


def lookup(name: str, nlu_dir: Path = NLU_DIR) -> set[str]:
    """The entries of the lookup table ``name``."""
    return {
        entry
        for item in nlu_items(nlu_dir)
        if item.get("lookup") == name
        for entry in examples(item.get("examples", ""))
    }


def synonyms(nlu_dir: Path = NLU_DIR) -> dict[str, str]:
    """Every synonym NLU maps, to the value it maps it to."""
    return {
        example: str(item["synonym"])
        for item in nlu_items(nlu_dir)
        if "synonym" in item
        for example in examples(item.get("examples", ""))
    }
