"""dashboard.launch: the command ``incident-map dashboard`` runs."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from browser.datasets import small_collection, write_collection

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
    assert options["--server.scriptHealthCheckEnabled"] == "true"  # launch.warm_up
    assert options["--logger.hideWelcomeMessage"] == "true"  # launch.announce_when_ready
    assert "--server.port" not in launch.dashboard_command()


def test_environment_points_the_app_at_the_data(tmp_path):
    env = launch.dashboard_env(tmp_path / "data", base={"PATH": "/bin"})
    assert env == {"PATH": "/bin", "INCIDENT_MAP_DATA": str((tmp_path / "data").resolve())}


class FakeStreamlit:
    """A streamlit process that has already exited with ``code``."""

    def __init__(self, command, env):
        self.command, self.env, self.code = command, env, 3

    def wait(self, timeout=None):
        return self.code

    def poll(self):
        return self.code


def test_run_dashboard_returns_streamlits_exit_code(tmp_path, monkeypatch):
    monkeypatch.setattr(launch, "port_in_use", lambda port: False)
    started = []
    monkeypatch.setattr(
        launch.subprocess,
        "Popen",
        lambda c, env: started.append(FakeStreamlit(c, env)) or started[-1],
    )
    assert launch.run_dashboard(tmp_path, port=8600) == 3
    assert "8600" in started[0].command
    assert started[0].env["INCIDENT_MAP_DATA"] == str(tmp_path.resolve())
    # with no port asked for, Streamlit's default is given explicitly: the warm-up must
    # reach this server, not another one Streamlit would have moved to
    assert launch.run_dashboard(tmp_path) == 3
    options = dict(zip(started[1].command[5::2], started[1].command[6::2], strict=True))
    assert options["--server.port"] == "8501"


def test_the_server_reads_the_data_before_the_first_visit(tmp_path, monkeypatch):
    """The warm-up runs the app in the server with no browser: the map's data file is made
    and published (the server's private folder under TMPDIR) before any page is opened."""
    data_dir = write_collection(tmp_path / "data", small_collection())
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the server's published files go here
    server = launch.DashboardServer(data_dir, tmp_path / "streamlit.log").start()
    try:
        assert server.wait_warm() == "ok", (tmp_path / "streamlit.log").read_text()
        published = list(tmp_path.glob("incident-map-dashboard-*/incidents-*.json.gz"))
        assert len(published) == 1, list(tmp_path.rglob("*"))
        assert server.warm_up_s is not None and server.warm_up_s >= server.start_s
    finally:
        server.stop()


def test_warm_up_says_why_it_could_not_ask():
    assert launch.warm_up(f"http://127.0.0.1:{launch.free_port()}/", timeout_s=2).startswith(
        "not reachable"
    )


def test_the_page_opens_once_the_data_is_read(tmp_path, monkeypatch):
    """``incident-map dashboard`` says where the dashboard is and opens the user's browser
    there only after the server has read the data: the first page load finds it ready. (The
    browser is the one thing faked: there is no desktop here.)"""
    data_dir = write_collection(tmp_path / "data", small_collection())
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    # a proxy in the environment (one that answers nothing) is not asked for our own server
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{launch.free_port()}")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    server = launch.DashboardServer(data_dir, tmp_path / "streamlit.log", warm=False).start()
    said, opened = [], []

    def opener(url):
        # what the map needs was made and published before the browser was sent there
        opened.append(
            (url, len(list(tmp_path.glob("incident-map-dashboard-*/incidents-*.json.gz"))))
        )

    try:
        result = launch.announce_when_ready(
            server.process, server.url, opener=opener, say=said.append
        )
        assert result == "ok", (tmp_path / "streamlit.log").read_text()
        assert opened == [(server.url, 1)]
        assert said[0].startswith("incident-map: reading the incidents; the page opens when")
        assert said[-1].startswith(f"incident-map: the dashboard is ready at {server.url}")

        def no_browser(url):
            raise OSError("no browser found")

        said.clear()
        assert (
            launch.announce_when_ready(
                server.process, server.url, opener=no_browser, say=said.append
            )
            == "ok"
        )
        assert (
            said[-1]
            == f"incident-map: could not open a browser (no browser found); open {server.url} yourself."
        )
        said.clear()
        assert (
            launch.announce_when_ready(server.process, server.url, opener=None, say=said.append)
            == "ok"
        )
        assert "reading the incidents before the first visit" in said[0] and len(said) == 2
    finally:
        server.stop()
    # a server that is gone: nothing announced, no browser
    said.clear()
    assert (
        launch.announce_when_ready(server.process, server.url, opener=opener, say=said.append)
        == "not started"
    )
    assert said == [] and len(opened) == 1


def test_a_browser_is_opened_only_where_there_is_a_screen():
    assert not launch.can_open_browser({}, "linux")
    assert launch.can_open_browser({"DISPLAY": ":0"}, "linux")
    assert launch.can_open_browser({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not launch.can_open_browser({"DISPLAY": ""}, "freebsd14")
    assert launch.can_open_browser({}, "darwin")
    assert launch.can_open_browser({}, "win32")


def test_the_command_opens_a_browser_unless_told_not_to(tmp_path, monkeypatch):
    from pipeline import cli

    asked = []
    monkeypatch.setattr(
        launch, "run_dashboard", lambda data, port, browser: asked.append(browser) or 0
    )
    (tmp_path / "incidents.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    assert cli.main(["dashboard", "--data", str(tmp_path)]) == 0
    assert cli.main(["dashboard", "--data", str(tmp_path), "--no-browser"]) == 0
    assert asked == [None, False]  # None: when there is a display


def test_the_command_says_how_to_build_missing_data(tmp_path, monkeypatch, capsys):
    from pipeline import cli

    monkeypatch.setattr(launch, "run_dashboard", lambda data, port, browser: 0)
    assert cli.main(["dashboard", "--data", str(tmp_path / "data")]) == 0
    note = capsys.readouterr().err
    assert "incidents.geojson does not exist yet" in note
    assert f"incident-map build ARTICLES --out {tmp_path / 'data'}" in note  # as the page says


MESSAGE_TAIL = "stop it, or choose another port with --port N"


def test_a_port_in_use_stops_before_starting_streamlit(tmp_path, monkeypatch):
    """Else the health check would reach the other server, and the browser open on it."""
    started, said = [], []
    monkeypatch.setattr(launch.subprocess, "Popen", lambda *a, **k: started.append(a))
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        assert launch.run_dashboard(tmp_path, port, say=said.append) == 2
    assert started == []
    assert said == [f"error: port {port} is in use (another dashboard?): " + MESSAGE_TAIL]


def test_the_command_announces_the_dashboard_and_opens_it(tmp_path, monkeypatch):
    """run_dashboard as the command runs it: Streamlit started, the data read, the page
    opened (the opener records it), until Streamlit is stopped."""
    data_dir = write_collection(tmp_path / "data", small_collection())
    processes, said, opened = [], [], []
    real_popen = subprocess.Popen

    def popen(command, env):
        processes.append(
            real_popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        return processes[-1]

    monkeypatch.setattr(launch.subprocess, "Popen", popen)
    port = launch.free_port()
    codes = []
    runner = threading.Thread(
        target=lambda: codes.append(
            launch.run_dashboard(
                data_dir, port, browser=True, opener=opened.append, say=said.append
            )
        )
    )
    runner.start()
    try:
        deadline = time.monotonic() + 90
        while not opened and time.monotonic() < deadline and runner.is_alive():
            time.sleep(0.1)
        assert opened == [f"http://localhost:{port}/"], said
        assert said[-1].startswith(
            f"incident-map: the dashboard is ready at http://localhost:{port}/"
        )
    finally:
        for process in processes:
            process.terminate()
        runner.join(30)
    assert not runner.is_alive() and len(codes) == 1


def test_stopping_the_command_stops_streamlit(tmp_path):
    """``kill`` (SIGTERM) of ``incident-map dashboard`` stops its Streamlit server too: the
    port is free again."""
    data_dir = write_collection(tmp_path / "data", small_collection())
    port = launch.free_port()
    command = [sys.executable, "-m", "pipeline.cli", "dashboard", "--data", str(data_dir)]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--no-browser"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not launch.port_in_use(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert launch.port_in_use(port)
        process.terminate()
        assert process.wait(timeout=30) is not None
        deadline = time.monotonic() + 15
        while launch.port_in_use(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not launch.port_in_use(port), "Streamlit outlived the command"
    finally:
        process.kill()
        process.wait()
