"""Start the Procfile's processes as children on free loopback ports, for tests and benchmarks.

`make run` uses honcho instead; both read the same Procfile lines and the same environment.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import requests
from cryptography.fernet import Fernet

from devstack.environment import stack_environment
from devstack.procfile import read_procfile
from settings import PROJECT_ROOT, Settings
from storage.migrate import upgrade

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent() -> None:
    """Runs in the child before exec: if the test run is killed, its stack goes with it.

    Linux ties this to the thread that started the child: call `start()` from the main thread.
    """
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_environment(redis_url: str, database_url: str, **overrides: str) -> dict[str, str]:
    """A complete, explicit (non-dev) configuration on free ports."""
    env = {
        "APP_ENV": "test",
        "PORT": str(free_port()),
        "WECHAT_TOKEN": "stack-test-token",
        "WECHAT_APP_ID": "wx00000000stacktest",
        "WECHAT_APP_SECRET": "stack-test-secret",
        "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        "WECHAT_API_BASE_URL": f"http://127.0.0.1:{free_port()}/cgi-bin/",
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url,
        "RASA_URL": f"http://127.0.0.1:{free_port()}",
        "RASA_TOKEN": "stack-test-rasa-token",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}/webhook",
        "SECRET_KEY": "stack-test-secret-key",
        "DATA_KEY": Fernet.generate_key().decode(),
        # New postings reach subscribers within a second, so tests need not wait long.
        "PUSH_SWEEP_SECONDS": "1",
    }
    env.update(overrides)
    return env


@dataclass
class LocalStack:
    """The whole system as child processes; `start()` returns when /healthz says ready."""

    config: Mapping[str, str]
    model_path: str
    log_dir: Path
    only: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    settings: Settings | None = None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, timeout: float = 240.0) -> LocalStack:
        base = {**os.environ, **self.config}
        self.env, names, self.settings = stack_environment(base, self.model_path)
        if self.only:
            names = [name for name in names if name in self.only]
        upgrade(self.settings.database_url)
        commands = read_procfile()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name in names:
            with open(self.log_dir / f"{name}.log", "ab") as log:
                self.processes[name] = subprocess.Popen(
                    ["bash", "-c", f"exec {commands[name]}"],
                    cwd=PROJECT_ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_die_with_parent,
                )
        self.wait_ready(timeout)
        return self

    @property
    def web_url(self) -> str:
        if self.settings is None:
            raise RuntimeError("the stack has not been started")
        return f"http://127.0.0.1:{self.settings.port}"

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited early; see {self.log_dir / (name + '.log')}")
            try:
                response = requests.get(f"{self.web_url}/healthz", timeout=5)
                if response.status_code == 200:
                    return
                last = response.text
            except requests.RequestException as exc:
                last = str(exc)
            time.sleep(1)
        self.stop()
        raise RuntimeError(f"stack not ready after {timeout:.0f}s: {last}")

    def stop_process(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        for name in list(self.processes):
            self.stop_process(name)
