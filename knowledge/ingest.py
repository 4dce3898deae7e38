"""Builds the passages file from the notices: ``python -m knowledge.ingest [--out PATH]``.

Reads the manifest and every notice it lists, removes page furniture, splits each notice along
its headings and writes the passages as JSON. ``KnowledgeIndex.load`` rebuilds BM25 from that
file. ``make knowledge`` runs this when the notices or this code change.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from knowledge.cleaning import clean_notice
from knowledge.manifest import MANIFEST_NAME, NOTICES_DIR, load_manifest
from knowledge.sections import PASSAGES_FORMAT, Passage, split_notice
from settings import INSTANCE_DIR

PASSAGES_FILE = INSTANCE_DIR / "knowledge" / "passages.json"

logger = logging.getLogger(__name__)


def build_passages(notices_dir: Path = NOTICES_DIR) -> list[Passage]:
    """Every passage of every notice in the manifest, in manifest order."""
    entries = load_manifest(notices_dir)
    listed = {entry.file for entry in entries} | {MANIFEST_NAME}
    for path in sorted(notices_dir.iterdir()):
        if path.is_file() and path.name not in listed:
            logger.warning("%s is not in %s; it is left out", path.name, MANIFEST_NAME)
    passages: list[Passage] = []
    for entry in entries:
        notice = clean_notice((notices_dir / entry.file).read_text(encoding="utf-8"))
        found = split_notice(entry, notice)
        logger.info(
            "%s: %d passages, %d furniture cut", entry.file, len(found), len(notice.removed)
        )
        logger.debug("%s: cut %s", entry.file, list(notice.removed))
        passages.extend(found)
    return passages


def write_passages(passages: Sequence[Passage], out: Path) -> None:
    """Writes the passages file (atomically, so a running bot never reads half of it)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    document = {"version": PASSAGES_FORMAT, "passages": [p.to_dict() for p in passages]}
    partial = out.with_name(out.name + ".partial")
    partial.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(out)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Builds the passages file from the notices.")
    parser.add_argument("--notices", type=Path, default=NOTICES_DIR, help="notices and manifest")
    parser.add_argument("--out", type=Path, default=PASSAGES_FILE, help="passages JSON to write")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    passages = build_passages(args.notices)
    write_passages(passages, args.out)
    notices = len({passage.notice for passage in passages})
    logger.info("%d passages from %d notices -> %s", len(passages), notices, args.out)


if __name__ == "__main__":
    main()
