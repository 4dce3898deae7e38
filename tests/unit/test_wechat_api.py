"""wechat_api against the fake WeChat API: the shared token and error codes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from redis import Redis

from wechat_api.client import TOKEN_SAFETY_SECONDS, SharedTokenWeChatClient
from wechat_api.customer_service import send_text
from wechat_api.errors import OutsideServiceWindow, UserUnfollowed, WeChatSendError

from .support import FakeWeChat, purge_redis

MakeClient = Callable[[], SharedTokenWeChatClient]


@pytest.fixture
def make_client(fake_wechat: FakeWeChat, redis_client: Redis, unique: str) -> Iterator[MakeClient]:
    """Clients as separate processes would build them: same AppId, same Redis."""

    def build() -> SharedTokenWeChatClient:
        return SharedTokenWeChatClient(
            f"wx{unique}", "app-secret", fake_wechat.base_url, redis_client
        )

    yield build
    purge_redis(redis_client, unique, [])


def test_send_text_reaches_the_fake_api(make_client: MakeClient, fake_wechat: FakeWeChat) -> None:
    send_text(make_client(), "o_user", "您好")

    (sent,) = fake_wechat.sent()
    assert sent["kind"] == "custom"
    assert sent["payload"] == {"touser": "o_user", "msgtype": "text", "text": {"content": "您好"}}


def test_token_is_fetched_once_and_shared_by_two_clients(
    make_client: MakeClient, fake_wechat: FakeWeChat
) -> None:
    web, worker = make_client(), make_client()

    send_text(web, "o_user", "one")
    send_text(worker, "o_user", "two")
    send_text(web, "o_user", "three")

    assert fake_wechat.state.token_fetches == 1
    assert [message["payload"]["text"]["content"] for message in fake_wechat.sent()] == [
        "one",
        "two",
        "three",
    ]


def test_clients_starting_together_fetch_one_token(
    make_client: MakeClient, fake_wechat: FakeWeChat
) -> None:
    clients = [make_client() for _ in range(6)]
    start = threading.Barrier(len(clients))
    tokens: list[str] = []

    def read_token(client: SharedTokenWeChatClient) -> None:
        start.wait()
        tokens.append(client.access_token)

    threads = [threading.Thread(target=read_token, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert fake_wechat.state.token_fetches == 1
    assert len(set(tokens)) == 1
    assert len(tokens) == len(clients)


def test_token_expires_before_wechats_own_expiry(
    make_client: MakeClient, redis_client: Redis
) -> None:
    client = make_client()
    client.access_token  # noqa: B018 - fetches the token

    ttl = redis_client.ttl(f"wechat:{client.access_token_key}")

    assert 0 < ttl <= 7200 - TOKEN_SAFETY_SECONDS


def test_token_invalidated_elsewhere_is_refreshed_and_the_send_retried(
    make_client: MakeClient, fake_wechat: FakeWeChat
) -> None:
    client = make_client()
    send_text(client, "o_user", "one")
    fake_wechat.state.tokens.clear()  # e.g. someone fetched a token with the same AppSecret

    send_text(client, "o_user", "two")

    assert fake_wechat.state.token_fetches == 2
    assert len(fake_wechat.sent()) == 2


@pytest.mark.parametrize(
    ("errcode", "error"),
    [
        (45015, OutsideServiceWindow),
        (43004, UserUnfollowed),
        (45047, WeChatSendError),
    ],
)
def test_send_errors_carry_their_wechat_code(
    make_client: MakeClient, fake_wechat: FakeWeChat, errcode: int, error: type
) -> None:
    fake_wechat.fail_sends_to("o_user", errcode)

    with pytest.raises(WeChatSendError) as raised:
        send_text(make_client(), "o_user", "hi")

    assert type(raised.value) is error
    assert raised.value.code == errcode
    assert str(errcode) in str(raised.value)
    assert fake_wechat.sent() == []


def test_an_error_for_one_user_does_not_stop_sends_to_another(
    make_client: MakeClient, fake_wechat: FakeWeChat
) -> None:
    fake_wechat.fail_sends_to("o_gone", 43004)
    client = make_client()

    with pytest.raises(UserUnfollowed):
        send_text(client, "o_gone", "hi")
    send_text(client, "o_here", "hi")

    assert [message["openid"] for message in fake_wechat.sent()] == ["o_here"]
