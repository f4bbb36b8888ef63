"""Start the dashboard: ``streamlit run dashboard/app.py`` with the options it needs.

``incident-map dashboard --data DIR`` calls :func:`run_dashboard`; the browser tests and the
benchmark start the same command in the background on a free port (:class:`DashboardServer`)
and drive it with headless Chromium (:data:`CHROMIUM_ARGS`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.data import DATA_ENV_VAR

APP = Path(__file__).resolve().with_name("app.py")
# Headless Chromium as the browser tests and the benchmark launch it (no sandbox: CI runs as
# root; no background traffic: no request may leave the machine).
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
)


def dashboard_command(
    port: int | None = None, *, address: str = "localhost", python: str | None = None
) -> list[str]:
    """The ``streamlit run`` command line: static serving on (the map's scripts are served
    from ``dashboard/static/``), no browser opened, no usage statistics sent."""
    # The other settings (theme, toolbar, error details) are in dashboard/.streamlit/config.toml.
    # fmt: off
    command = [
        python or sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.enableStaticServing", "true",
        "--server.headless", "true",
        "--server.address", address,
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]
    # fmt: on
    if port is not None:
        command += ["--server.port", str(port)]
    return command


def dashboard_env(data_dir: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for the app: ``INCIDENT_MAP_DATA`` set to ``data_dir`` (absolute)."""
    env = dict(os.environ if base is None else base)
    env[DATA_ENV_VAR] = str(Path(data_dir).resolve())
    return env


def run_dashboard(data_dir: Path, port: int | None = None) -> int:
    """Run the dashboard on ``data_dir`` until it is stopped; returns Streamlit's exit code."""
    try:
        return subprocess.call(dashboard_command(port), env=dashboard_env(data_dir))
    except KeyboardInterrupt:
        return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DashboardServer:
    """``incident-map dashboard`` in the background on one data folder and a free port, for
    the browser tests and the benchmark: :meth:`start` returns once Streamlit answers its
    health check (``start_s`` says how long that took); :meth:`stop` ends it."""

    data_dir: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    timeout_s: float = 90.0
    process: subprocess.Popen | None = None
    start_s: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> DashboardServer:
        log = self.log_path.open("w")
        started = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                dashboard_command(self.port, address="127.0.0.1"),
                env=dashboard_env(self.data_dir),
                cwd=self.data_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        finally:
            log.close()  # the child has its own copy
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=1) as reply:
                    if reply.read().strip() == b"ok":
                        self.start_s = time.perf_counter() - started
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"streamlit did not start in {self.timeout_s:.0f} s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
