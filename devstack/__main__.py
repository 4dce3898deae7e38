"""`make run`: the whole system on one machine, with honcho's prefixed logs and a clean Ctrl-C.

Usage: python -m devstack MODEL_PATH
"""

from __future__ import annotations

import os
import subprocess
import sys

from devstack.dev_staff import dev_admin_token
from devstack.environment import stack_environment
from devstack.procfile import read_procfile
from devstack.sample_postings import add_sample_postings
from settings import PROJECT_ROOT, ConfigurationError
from storage.migrate import upgrade


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    try:
        env, processes, settings = stack_environment(os.environ, sys.argv[1])
    except ConfigurationError as exc:
        raise SystemExit(f"Cannot start: {exc}") from exc
    missing = set(processes) - set(read_procfile())
    if missing:
        raise SystemExit(f"Procfile lacks: {', '.join(sorted(missing))}")

    upgrade(settings.database_url)
    added = add_sample_postings(settings)
    if added:
        print(f"Added {added} approved sample postings (invented employers) to the empty database.")
    staff_token = dev_admin_token(settings)
    print(
        "\n就业助手 is starting: " + ", ".join(processes) + "\n"
        f"  webhook      http://127.0.0.1:{settings.port}/wechat   (health: /healthz)\n"
        f"  Rasa         {settings.rasa_url}   actions {settings.action_server_url}\n"
        f"  database     {settings.database_url.split('@')[-1]}\n"
        f"  WeChat API   {settings.wechat_api_base_url}"
        + ("  (local fake: sends are recorded)" if settings.uses_fake_wechat else "")
        + "\n"
        + (
            f"  dev WeChat settings: token={settings.wechat_token} "
            f"appid={settings.wechat_app_id} aes_key={settings.wechat_encoding_aes_key}\n"
            if settings.dev_mode
            else ""
        )
        + (
            f"  staff API    http://127.0.0.1:{settings.port}/api/staff   "
            f"dev admin token: {staff_token}\n"
            if staff_token
            else ""
        )
        + "  Try it:  make chat      Stop: Ctrl-C\n",
        flush=True,
    )
    honcho = os.path.join(os.path.dirname(sys.executable), "honcho")
    supervisor = subprocess.Popen(
        [honcho, "start", "--procfile", "Procfile", *processes], cwd=PROJECT_ROOT, env=env
    )
    try:
        supervisor.wait()
    except KeyboardInterrupt:
        # honcho got the same Ctrl-C and is stopping every process; wait for it to finish.
        supervisor.wait()
        print("\n就业助手 stopped.", flush=True)
        return
    raise SystemExit(supervisor.returncode)


if __name__ == "__main__":
    main()
