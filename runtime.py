"""The clients one process needs, built once: Redis, the turn ledger, Rasa, the queue, WeChat.

The web app builds them in `create_app`; the worker builds them on its first job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from redis import Redis
from rq import Queue
from wechatpy.crypto import WeChatCrypto

from conversation.rasa_client import RasaClient
from conversation.turns import TurnLedger
from settings import Settings, load_settings
from wechat_api.client import SharedTokenWeChatClient, make_wechat_client

QUEUE_NAME = "jobassist"
# Threads per web process that carry turns to Rasa beside the requests waiting for them.
TURN_THREADS = 32


@dataclass
class Runtime:
    settings: Settings
    redis: Redis
    ledger: TurnLedger
    rasa: RasaClient
    queue: Queue
    crypto: WeChatCrypto  # safe-mode message crypto (settings checked the EncodingAESKey)
    _wechat: SharedTokenWeChatClient | None = field(default=None, repr=False)

    @property
    def wechat(self) -> SharedTokenWeChatClient:
        if self._wechat is None:
            self._wechat = make_wechat_client(self.settings, self.redis)
        return self._wechat


def build_runtime(settings: Settings) -> Runtime:
    redis = Redis.from_url(settings.redis_url, socket_timeout=30, health_check_interval=30)
    return Runtime(
        settings=settings,
        redis=redis,
        ledger=TurnLedger(redis),
        rasa=RasaClient(settings.rasa_url, settings.rasa_token, connections=TURN_THREADS),
        queue=Queue(QUEUE_NAME, connection=redis),
        crypto=WeChatCrypto(
            settings.wechat_token, settings.wechat_encoding_aes_key, settings.wechat_app_id
        ),
    )


@lru_cache(maxsize=1)
def worker_runtime() -> Runtime:
    """The worker's runtime, built on its first job from the environment."""
    return build_runtime(load_settings())
