"""Start the dashboard: ``streamlit run dashboard/app.py`` with the options it needs.

``incident-map dashboard --data DIR`` calls :func:`run_dashboard`; the browser tests and the
benchmark start the same command in the background on a free port (:class:`DashboardServer`)
and drive it with headless Chromium (:data:`CHROMIUM_ARGS`). Both have the server read the
data as soon as it is up (:func:`warm_up`), not when the first visitor opens the page; the
command then says the dashboard is ready and opens it in the user's browser
(:func:`announce_when_ready`).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.data import DATA_ENV_VAR

APP = Path(__file__).resolve().with_name("app.py")
# Headless Chromium as the browser tests and the benchmark launch it (no sandbox: CI runs as
# root; no background traffic: no request may leave the machine).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def dashboard_command(
    port: int | None = None, *, address: str = "localhost", python: str | None = None
) -> list[str]:
    """The ``streamlit run`` command line: static serving on (the map's scripts are served
    from ``dashboard/static/``), no browser opened by Streamlit (:func:`run_dashboard` opens it
    once the data is read), no usage statistics sent."""
    # The other settings (theme, toolbar, error details) are in dashboard/.streamlit/config.toml.
    # fmt: off
    command = [
        python or sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.enableStaticServing", "true",
        "--server.headless", "true",
        "--server.address", address,
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--server.scriptHealthCheckEnabled", "true",  # see warm_up
        "--logger.hideWelcomeMessage", "true",  # announce_when_ready says when the page is ready
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


DEFAULT_PORT = 8501  # Streamlit's
# Requests to our own server on this machine: never through the user's http_proxy.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
WARM_UP_PATH = "_stcore/script-health-check"


def run_dashboard(
    data_dir: Path,
    port: int | None = None,
    *,
    browser: bool | None = None,
    opener: Callable[[str], None] | None = None,
    say: Callable[[str], None] | None = None,
) -> int:
    """Run the dashboard on ``data_dir`` until it is stopped; returns Streamlit's exit code
    (2 without starting it when the port is taken).

    Once the server has read the data (:func:`warm_up`), ``say`` tells where the dashboard is
    and the page is opened in the user's browser (``opener``, default
    :func:`open_in_browser`) when ``browser`` is true, or, when it is None, when there is a
    display to open it on (:func:`can_open_browser`). The first page load then finds the data
    read, instead of waiting for it.

    The port is always given to Streamlit (``port``, else ``$STREAMLIT_SERVER_PORT``, else
    8501), so that the data is read on that server and not on another one Streamlit would
    move to when the port is taken (it stops instead, saying so)."""
    port = port or int(os.environ.get("STREAMLIT_SERVER_PORT") or DEFAULT_PORT)
    if port_in_use(port):  # else the health check below would reach that other server
        (say or _say)(
            f"error: port {port} is in use (another dashboard?): stop it, or choose another "
            "port with --port N"
        )
        return 2
    process = subprocess.Popen(dashboard_command(port), env=dashboard_env(data_dir))
    _stop_with(process)
    url = f"http://localhost:{port}/"
    if browser is None:
        browser = can_open_browser()
    threading.Thread(
        target=announce_when_ready,
        args=(process, url),
        kwargs={"opener": (opener or open_in_browser) if browser else None, "say": say or _say},
        daemon=True,
    ).start()
    try:
        return process.wait()
    except KeyboardInterrupt:  # Streamlit got the same Ctrl-C: let it finish
        try:
            process.wait(timeout=10)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            process.kill()
        return 0


def _stop_with(process: subprocess.Popen) -> None:
    """Stop Streamlit when this process is told to stop (``kill``, a closed terminal): else it
    would go on alone, holding the port. (Ctrl+C reaches both already.)"""

    def stop(signum: int, frame: object) -> None:
        process.terminate()

    if threading.current_thread() is threading.main_thread():  # where handlers can be set
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), stop)


def announce_when_ready(
    process: subprocess.Popen,
    url: str,
    *,
    opener: Callable[[str], None] | None,
    say: Callable[[str], None],
    timeout_s: float = 90.0,
) -> str:
    """Wait for the server, have it read the data (:func:`warm_up`), then say so and open
    ``url`` with ``opener`` (None: no browser). Returns what the warm-up said, or "not
    started" when the server never answered."""
    started = time.perf_counter()
    if not wait_healthy(process, url, timeout_s):
        if process.poll() is None:
            say(
                f"incident-map: the server has not answered in {timeout_s:.0f} s; open {url} yourself."
            )
        return "not started"  # else Streamlit has said why it stopped
    say(
        f"incident-map: reading the incidents; the page opens when they are ready ({url})"
        if opener
        else f"incident-map: reading the incidents before the first visit ({url})"
    )
    result = warm_up(url)
    seconds = time.perf_counter() - started
    if process.poll() is not None:
        return result  # stopped meanwhile (Ctrl+C, a crash): Streamlit has said so
    if result == "ok":
        say(
            f"incident-map: the dashboard is ready at {url} (started in {seconds:.1f} s). "
            "Press Ctrl+C to stop it."
        )
    elif result.startswith("not reachable"):
        say(f"incident-map: the dashboard did not answer ({result}); try {url} yourself.")
        return result
    else:
        say(
            f"incident-map: the dashboard is up at {url}, but its first run did not end well "
            f"({result}); the page says what is wrong."
        )
    if opener is not None:
        try:
            opener(url)
        except (OSError, webbrowser.Error) as error:  # no browser: the URL above is enough
            say(f"incident-map: could not open a browser ({error}); open {url} yourself.")
    return result


def port_in_use(port: int, host: str = "localhost") -> bool:
    """Whether something already listens on ``host:port`` (another dashboard, say)."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def can_open_browser(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether there is a screen to open a browser on: on Linux and the BSDs, a ``DISPLAY``
    or ``WAYLAND_DISPLAY`` (Streamlit's own test); elsewhere, always."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    return True


def open_in_browser(url: str) -> None:
    """Open ``url`` in the user's browser, its chatter kept out of the terminal (``xdg-open``
    where there is one, else Python's :mod:`webbrowser`)."""
    xdg_open = shutil.which("xdg-open") if sys.platform.startswith("linux") else None
    if xdg_open:
        subprocess.Popen(
            [xdg_open, url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    elif not webbrowser.open(url):
        raise OSError("no browser found")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def warm_up(url: str, timeout_s: float = 120.0) -> str:
    """Have the server at ``url`` run the app once, with no browser, and return what it said
    ("ok"; "error" or "timeout": the page will show the problem) or why it could not be asked.

    The app's caches belong to the server, so that run reads, indexes and prepares the data
    for the map before anyone opens the page: at 100,000 incidents about 7 s that the first
    visitor would otherwise wait on top of the page's own loading. The run is Streamlit's
    script health check (``--server.scriptHealthCheckEnabled``, which :func:`dashboard_command`
    turns on; an internal endpoint that Streamlit may change: the dashboard works without
    it, the first visit just reads the data itself).
    """
    try:
        with _LOCAL.open(url + WARM_UP_PATH, timeout=timeout_s) as reply:
            return reply.read().decode("utf-8", "replace").strip()
    except urllib.error.HTTPError as error:  # 503: the script failed or timed out
        return error.read().decode("utf-8", "replace").strip() or f"HTTP {error.code}"
    except OSError as error:
        return f"not reachable: {error}"


def wait_healthy(
    process: subprocess.Popen, url: str, timeout_s: float, poll_s: float = 0.1
) -> bool:
    """Wait until the server at ``url`` answers its health check: False when ``process``
    ends first or ``timeout_s`` passes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        if _healthy(url):
            return True
        time.sleep(poll_s)
    return False


def _healthy(url: str) -> bool:
    try:
        with _LOCAL.open(url + "_stcore/health", timeout=1) as reply:
            return reply.read().strip() == b"ok"
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DashboardServer:
    """``incident-map dashboard`` in the background on one data folder and a free port, for
    the browser tests and the benchmark: :meth:`start` returns once Streamlit answers its
    health check (``start_s`` says how long that took) and has it read the data in the
    background, as :func:`run_dashboard` does (``warm``; :meth:`wait_warm`); :meth:`stop`
    ends it."""

    data_dir: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    timeout_s: float = 90.0
    process: subprocess.Popen | None = None
    start_s: float = 0.0
    # the data read (warm_up) after start, in the background, as incident-map dashboard does
    warm: bool = True
    warm_up_result: str | None = None
    warm_up_s: float | None = None  # from start() until the warm-up run ended
    _warming: threading.Thread | None = None

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
        if not wait_healthy(self.process, self.url, self.timeout_s):
            exited = self.process.poll() is not None
            self.stop()
            problem = "exited early" if exited else f"did not start in {self.timeout_s:.0f} s"
            raise RuntimeError(f"streamlit {problem}:\n{self.log_path.read_text()}")
        self.start_s = time.perf_counter() - started
        if self.warm:
            self._warming = threading.Thread(target=self._warm_up, args=(started,), daemon=True)
            self._warming.start()
        return self

    def _warm_up(self, started: float) -> None:
        self.warm_up_result = warm_up(self.url)
        self.warm_up_s = time.perf_counter() - started

    def wait_warm(self, timeout_s: float = 120.0) -> str | None:
        """Wait for the warm-up run to end; returns what the server said (None: none ran)."""
        if self._warming is not None:
            self._warming.join(timeout_s)
        return self.warm_up_result

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
