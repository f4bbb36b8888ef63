"""dashboard.launch: the command ``incident-map dashboard`` runs."""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard import launch


def test_command_runs_the_app_with_static_serving():
    command = launch.dashboard_command(8599)
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(command[4]) == Path(launch.__file__).with_name("app.py")
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert options["--server.enableStaticServing"] == "true"
    assert options["--server.headless"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--server.port"] == "8599"
    assert "--server.port" not in launch.dashboard_command()


def test_environment_points_the_app_at_the_data(tmp_path):
    env = launch.dashboard_env(tmp_path / "data", base={"PATH": "/bin"})
    assert env == {"PATH": "/bin", "INCIDENT_MAP_DATA": str((tmp_path / "data").resolve())}


def test_run_dashboard_returns_streamlits_exit_code(tmp_path, monkeypatch):
    calls = []

    def fake_call(command, env):
        calls.append((command, env))
        return 3

    monkeypatch.setattr(launch.subprocess, "call", fake_call)
    assert launch.run_dashboard(tmp_path, port=8600) == 3
    command, env = calls[0]
    assert "8600" in command
    assert env["INCIDENT_MAP_DATA"] == str(tmp_path.resolve())
