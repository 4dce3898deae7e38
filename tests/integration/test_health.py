"""/healthz: every component ready, and a stopped action server named as the one not ready."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from devstack.stack import LocalStack, free_port

COMPONENTS = {"web", "rasa", "action_server", "redis", "database"}


def test_healthz_reports_every_component_ok(stack: LocalStack) -> None:
    response = requests.get(f"{stack.web_url}/healthz", timeout=10)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["components"] == dict.fromkeys(COMPONENTS, "ok")
    assert "not_ready" not in body


@pytest.fixture(scope="module")
def own_action_server(
    stack: LocalStack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalStack]:
    """A web process with an action server of its own (and the shared Rasa, Redis and DB), so
    stopping that action server leaves the session's stack untouched."""
    running = LocalStack(
        config={
            **stack.config,
            "PORT": str(free_port()),
            "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}/webhook",
        },
        model_path=stack.model_path,
        log_dir=tmp_path_factory.mktemp("own-actions-logs"),
        only=("actions", "web"),
    )
    running.start(timeout=120)
    try:
        yield running
    finally:
        running.stop()


def test_healthz_names_a_stopped_action_server(own_action_server: LocalStack) -> None:
    healthz = f"{own_action_server.web_url}/healthz"
    assert requests.get(healthz, timeout=10).status_code == 200

    own_action_server.stop_process("actions")
    response = requests.get(healthz, timeout=10)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["not_ready"] == ["action_server"]
    assert body["components"]["action_server"].startswith("not ready")
    assert {name: body["components"][name] for name in COMPONENTS - {"action_server"}} == {
        name: "ok" for name in COMPONENTS - {"action_server"}
    }
