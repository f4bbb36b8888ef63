"""Start the dashboard: ``streamlit run dashboard/app.py`` with the options it needs.

``incident-map dashboard --data DIR`` calls :func:`run_dashboard`; the browser tests start
the same command (:func:`dashboard_command`) on a free port.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from dashboard.data import DATA_ENV_VAR

APP = Path(__file__).resolve().with_name("app.py")


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
