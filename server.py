"""The Flask entry point: `create_app()` builds the web app (served as `server:create_app()`)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, Response

from health import health_blueprint
from runtime import TURN_THREADS, build_runtime
from settings import INSTANCE_DIR, load_settings
from staff.api import staff_api
from webhook import wechat_blueprint

logger = logging.getLogger(__name__)


def create_app(config: Mapping[str, str] | None = None) -> Flask:
    """Defaults, then the environment, then `config` (environment names, for tests)."""
    settings = load_settings({**os.environ, **(config or {})})
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.update(SECRET_KEY=settings.secret_key, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    app.extensions["runtime"] = build_runtime(settings)
    app.extensions["turn_executor"] = ThreadPoolExecutor(
        max_workers=TURN_THREADS, thread_name_prefix="turn"
    )

    app.register_blueprint(wechat_blueprint)
    app.register_blueprint(health_blueprint)
    app.register_blueprint(staff_api)

    @app.errorhandler(500)
    def internal_error(_error: Exception) -> Response:
        # WeChat retries on a 5xx, which is what we want when Redis or the database hiccup.
        return Response("", status=500, mimetype="text/plain")

    return app
