"""Read the Procfile, the one place the system's processes are declared."""

from __future__ import annotations

from pathlib import Path

from settings import PROJECT_ROOT


def read_procfile(path: Path = PROJECT_ROOT / "Procfile") -> dict[str, str]:
    processes: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, command = line.partition(":")
        processes[name.strip()] = command.strip()
    return processes
