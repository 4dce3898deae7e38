"""Run the fake WeChat API: `python -m fake_wechat [--port N]` (default: the port of
WECHAT_API_BASE_URL, else 8090)."""

from __future__ import annotations

import argparse
import logging
import os
from urllib.parse import urlsplit

from werkzeug.serving import run_simple

from fake_wechat.app import create_fake_wechat_app


def main() -> None:
    default_port = urlsplit(os.environ.get("WECHAT_API_BASE_URL", "")).port or 8090
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=default_port)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(f"fake WeChat API on http://127.0.0.1:{args.port}/cgi-bin/", flush=True)
    run_simple("127.0.0.1", args.port, create_fake_wechat_app(), threaded=True)


if __name__ == "__main__":
    main()
