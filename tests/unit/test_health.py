"""`/healthz`: readiness of every component the bot needs."""

from __future__ import annotations

from .support import FakeRasa, MakeApp, closed_port_url


def test_healthy_when_every_component_answers(make_app: MakeApp) -> None:
    response = make_app().client.get("/healthz")

    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "components": {
            "web": "ok",
            "rasa": "ok",
            "action_server": "ok",
            "redis": "ok",
            "database": "ok",
        },
    }


def test_unreachable_rasa_and_action_server_are_named(make_app: MakeApp) -> None:
    harness = make_app(RASA_URL=closed_port_url(), ACTION_SERVER_URL=closed_port_url() + "/webhook")

    response = harness.client.get("/healthz")

    assert response.status_code == 503
    body = response.json
    assert body["status"] == "unavailable"
    assert body["not_ready"] == ["action_server", "rasa"]
    assert body["components"]["redis"] == "ok"
    assert body["components"]["database"] == "ok"
    assert body["components"]["web"] == "ok"
    assert body["components"]["rasa"].startswith("not ready")


def test_rasa_without_a_model_is_not_ready(make_app: MakeApp, fake_rasa: FakeRasa) -> None:
    fake_rasa.status_body = {"model_file": None, "model_id": None, "num_active_training_jobs": 0}

    response = make_app().client.get("/healthz")

    assert response.status_code == 503
    assert response.json["not_ready"] == ["rasa"]


def test_unreachable_redis_is_named(make_app: MakeApp) -> None:
    harness = make_app(REDIS_URL=closed_port_url().replace("http", "redis") + "/14")

    response = harness.client.get("/healthz")

    assert response.status_code == 503
    assert response.json["not_ready"] == ["redis"]


def test_health_answer_does_not_leak_connection_details(make_app: MakeApp) -> None:
    harness = make_app(RASA_URL=closed_port_url())

    response = harness.client.get("/healthz")

    assert "127.0.0.1" not in response.text
    assert "Traceback" not in response.text
