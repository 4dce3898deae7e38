"""Readiness of the web app, Rasa (model loaded), the action server, Redis and the database."""

from __future__ import annotations

import logging
from collections.abc import Callable

import requests
from flask import Blueprint, current_app, jsonify
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from runtime import Runtime
from storage.db import ping as ping_database

logger = logging.getLogger(__name__)

health_blueprint = Blueprint("health", __name__)


def _check_rasa(runtime: Runtime) -> None:
    status = runtime.rasa.status()
    if not status.get("model_file") and not status.get("model_id"):
        raise RuntimeError("no model loaded")


def _check_action_server(runtime: Runtime) -> None:
    response = requests.get(runtime.settings.action_server_health_url, timeout=3)
    response.raise_for_status()


def _check_redis(runtime: Runtime) -> None:
    runtime.redis.ping()


def _check_database(runtime: Runtime) -> None:
    ping_database(runtime.settings.database_url)


CHECKS: dict[str, Callable[[Runtime], None]] = {
    "rasa": _check_rasa,
    "action_server": _check_action_server,
    "redis": _check_redis,
    "database": _check_database,
}


@health_blueprint.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    runtime: Runtime = current_app.extensions["runtime"]
    components = {"web": "ok"}
    for name, check in CHECKS.items():
        try:
            check(runtime)
            components[name] = "ok"
        except (requests.RequestException, RedisError, SQLAlchemyError, RuntimeError) as exc:
            logger.warning("health check %s failed: %s", name, type(exc).__name__)
            components[name] = f"not ready: {type(exc).__name__}"
    not_ready = sorted(name for name, state in components.items() if state != "ok")
    body = {"status": "ok" if not not_ready else "unavailable", "components": components}
    if not_ready:
        body["not_ready"] = not_ready
    return jsonify(body), (503 if not_ready else 200)
