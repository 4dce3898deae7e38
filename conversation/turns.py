"""Exactly-once turns: the Redis ledger that WeChat's retries and late answers meet in.

A turn is one user message (or event), keyed by MsgId, or by FromUserName + CreateTime for events.
Its life, shared by every web process and the worker:

    pending ──answer ready in time──▶ ready          (served as the passive reply, to retries too)
       │
       ├──the web request gave up──▶ late ──worker──▶ sent   (customer-service API, once)
       │
       └──Rasa unreachable──▶ deferred ──worker answers later──▶ sent

The transitions are Lua scripts, so "answer arrived" and "request gave up" cannot both win.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from redis import Redis

TURN_TTL_SECONDS = 24 * 3600

PENDING = "pending"
READY = "ready"
LATE = "late"
DEFERRED = "deferred"
SENT = "sent"

# KEYS[1] turn hash; ARGV: ttl, then field/value pairs. 1 when new, 0 when the turn is known.
_CLAIM = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'pending', unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
"""

# KEYS[1] turn hash, KEYS[2] wake list; ARGV[1] answer, ARGV[2] ttl.
# Returns "passive" when a waiting request will serve it, "deliver" when the worker must.
_FINISH = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  return 'gone'
end
redis.call('HSET', KEYS[1], 'answer', ARGV[1])
if state == 'pending' then
  redis.call('HSET', KEYS[1], 'state', 'ready')
  redis.call('RPUSH', KEYS[2], '1')
  redis.call('EXPIRE', KEYS[2], ARGV[2])
  return 'passive'
end
return 'deliver'
"""

# KEYS[1] turn hash. Returns {state, answer}: the caller serves "ready"; "late" means it gave up.
_GIVE_UP = """
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'pending' then
  redis.call('HSET', KEYS[1], 'state', 'late')
  return {'late', ''}
end
return {state or '', redis.call('HGET', KEYS[1], 'answer') or ''}
"""

# KEYS[1] turn hash, KEYS[2] wake list; ARGV[1] ttl. Marks a turn deferred; wakes waiters.
_DEFER = """
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'pending' or state == 'late' then
  redis.call('HSET', KEYS[1], 'state', 'deferred')
  redis.call('RPUSH', KEYS[2], '1')
  redis.call('EXPIRE', KEYS[2], ARGV[1])
  return 1
end
return 0
"""


@dataclass(frozen=True)
class TurnRecord:
    key: str
    openid: str
    text: str
    metadata: dict
    state: str
    answer: str


class TurnLedger:
    """Claims, answers and hands over turns through Redis."""

    def __init__(self, redis: Redis, prefix: str = "turn") -> None:
        self.redis = redis
        self.prefix = prefix
        self._claim = redis.register_script(_CLAIM)
        self._finish = redis.register_script(_FINISH)
        self._give_up = redis.register_script(_GIVE_UP)
        self._defer = redis.register_script(_DEFER)

    def _hash(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def _wake(self, key: str) -> str:
        return f"{self.prefix}:{key}:wake"

    def claim(self, key: str, openid: str, text: str, metadata: dict | None = None) -> bool:
        """Record a new turn. False when the turn is known already (a retry)."""
        fields = {
            "openid": openid,
            "text": text,
            "metadata": json.dumps(metadata or {}, ensure_ascii=False),
            "claimed_at": f"{time.time():.3f}",
        }
        pairs = [item for field_value in fields.items() for item in field_value]
        return bool(self._claim(keys=[self._hash(key)], args=[TURN_TTL_SECONDS, *pairs]))

    def finish(self, key: str, answer: str) -> str:
        """Store the answer: "passive" (a request serves it), "deliver" (send it) or "gone"."""
        return self._to_str(
            self._finish(keys=[self._hash(key), self._wake(key)], args=[answer, TURN_TTL_SECONDS])
        )

    def defer(self, key: str) -> bool:
        """Rasa could not be reached: the worker will answer later."""
        return bool(self._defer(keys=[self._hash(key), self._wake(key)], args=[TURN_TTL_SECONDS]))

    def wait(self, key: str, timeout: float) -> str:
        """Wait until the turn leaves `pending` or the timeout passes; return its state."""
        state = self.state(key)
        if state != PENDING or timeout <= 0:
            return state
        woke = self.redis.blpop([self._wake(key)], timeout=max(timeout, 0.01))
        if woke is not None:
            # Pass the wake-up on, so a retry waiting in another process wakes too.
            self.redis.rpush(self._wake(key), "1")
            self.redis.expire(self._wake(key), TURN_TTL_SECONDS)
        return self.state(key)

    def give_up(self, key: str) -> tuple[str, str]:
        """The request cannot wait longer. Returns (state, answer); state "late" = worker sends."""
        state, answer = self._give_up(keys=[self._hash(key)])
        return self._to_str(state), self._to_str(answer)

    def mark_sent(self, key: str) -> None:
        if self.redis.exists(self._hash(key)):
            self.redis.hset(self._hash(key), "state", SENT)

    def take_delivery(self, key: str, lease_seconds: int = 120) -> bool:
        """Only one worker at a time may deliver a turn."""
        return bool(self.redis.set(f"{self._hash(key)}:delivering", "1", nx=True, ex=lease_seconds))

    def release_delivery(self, key: str) -> None:
        self.redis.delete(f"{self._hash(key)}:delivering")

    def state(self, key: str) -> str:
        return self._to_str(self.redis.hget(self._hash(key), "state"))

    def get(self, key: str) -> TurnRecord | None:
        fields = self.redis.hgetall(self._hash(key))
        if not fields:
            return None
        values = {self._to_str(k): self._to_str(v) for k, v in fields.items()}
        return TurnRecord(
            key=key,
            openid=values.get("openid", ""),
            text=values.get("text", ""),
            metadata=json.loads(values.get("metadata") or "{}"),
            state=values.get("state", ""),
            answer=values.get("answer", ""),
        )

    @staticmethod
    def _to_str(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bytes):
            return value.decode("utf-8")
        return str(value)
