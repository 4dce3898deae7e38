"""The queue worker: `python -m worker`. Waits for Redis, then runs RQ on our queue."""

from __future__ import annotations

import logging
import time

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Worker

from runtime import QUEUE_NAME, build_runtime
from settings import load_settings
from worker.push_jobs import schedule_sweep

logger = logging.getLogger("worker")


def wait_for_redis(redis: Redis, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            redis.ping()
            return
        except RedisConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    redis = Redis.from_url(settings.redis_url)
    wait_for_redis(redis)
    if schedule_sweep(build_runtime(settings)):
        logger.info(
            "started looking for new postings to push every %ss", settings.push_sweep_seconds
        )
    Worker([QUEUE_NAME], connection=redis).work(with_scheduler=True)


if __name__ == "__main__":
    main()
