"""The notices' manifest: one entry per notice file, naming its title, issuer, date and region.

Adding a notice is its text file in the notices folder plus an entry in ``manifest.json`` there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

NOTICES_DIR = Path(__file__).resolve().parent / "notices"
MANIFEST_NAME = "manifest.json"
_REQUIRED = ("file", "title", "issuer", "date", "region")


class ManifestError(ValueError):
    """The manifest is malformed or names a file that is not there; the message says which."""


@dataclass(frozen=True)
class NoticeEntry:
    """What the manifest says about one notice. ``date`` is ISO, or only a year when unknown."""

    file: str
    title: str
    issuer: str
    date: str
    region: str


def load_manifest(notices_dir: Path = NOTICES_DIR) -> list[NoticeEntry]:
    """The manifest's entries in their order, each checked to name an existing notice file."""
    path = notices_dir / MANIFEST_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ManifestError(f"{path}: {error}") from error
    if not isinstance(document, list):
        raise ManifestError(f"{path}: expected a list of notices")
    entries = []
    for position, item in enumerate(document):
        missing = [key for key in _REQUIRED if not isinstance(item, dict) or not item.get(key)]
        if missing:
            raise ManifestError(f"{path}: entry {position} lacks {', '.join(missing)}")
        entry = NoticeEntry(**{key: str(item[key]) for key in _REQUIRED})
        if not (notices_dir / entry.file).is_file():
            raise ManifestError(f"{path}: entry {position} names {entry.file}, which is missing")
        entries.append(entry)
    files = [entry.file for entry in entries]
    if len(set(files)) != len(files):
        raise ManifestError(f"{path}: a notice file is listed twice")
    return entries
