"""server.create_app: configuration order and how unexpected failures answer WeChat."""

from __future__ import annotations

import pytest

from .support import MakeApp, closed_port_url, message_xml, new_msg_id


def test_config_overrides_the_environment(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLY_BUDGET_SECONDS", "99")
    monkeypatch.setenv("PORT", "8123")

    harness = make_app(REPLY_BUDGET_SECONDS="1.5")

    assert harness.runtime.settings.reply_budget_seconds == 1.5
    assert harness.runtime.settings.port == 8123  # from the environment, not overridden


def test_redis_down_answers_an_empty_500_so_wechat_retries(make_app: MakeApp) -> None:
    harness = make_app(REDIS_URL=closed_port_url().replace("http", "redis") + "/14")
    harness.app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    response = harness.post(message_xml("text", openid=harness.openid(), msg_id=new_msg_id()))

    assert response.status_code == 500
    assert response.text == ""
    assert harness.fake_rasa.turns == []


def test_unknown_paths_are_404(make_app: MakeApp) -> None:
    assert make_app().client.get("/nothing-here").status_code == 404


def test_wechat_endpoint_accepts_only_get_and_post(make_app: MakeApp) -> None:
    assert make_app().client.put("/wechat").status_code == 405
