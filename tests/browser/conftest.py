"""Fixtures for the browser tests: Debian's Chromium through Playwright, and real
``streamlit run`` servers (the command ``incident-map dashboard`` runs) on free ports."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dashboard.launch import CHROMIUM_ARGS, DashboardServer

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def start_server(data_dir: Path, log_dir: Path):
    server = DashboardServer(data_dir, log_dir / "streamlit.log", timeout_s=60).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    # A browser test that cannot find Chromium fails: it must not pass by skipping.
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (`make browser`) "
            "or point $CHROMIUM at one"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=list(CHROMIUM_ARGS), headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class PageLog:
    """What a page did: every request URL (all frames), dialogs, uncaught errors."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_hosts(self) -> set[str]:
        from urllib.parse import urlsplit

        hosts = {urlsplit(url).hostname for url in self.requests}
        return {h for h in hosts if h not in LOCAL_HOSTS and h is not None}


@pytest.fixture
def page_and_log(browser, request):
    """A fresh page (1600x1300) whose requests, dialogs and errors are recorded, in the time
    zone of the test's ``timezone`` mark, if any.

    Requests to anywhere but this machine are recorded and then aborted, so a page that
    tried to reach the internet fails its test quickly instead of hanging on the network.
    """
    from urllib.parse import urlsplit

    zone = request.node.get_closest_marker("timezone")
    context = browser.new_context(
        viewport={"width": 1600, "height": 1300}, accept_downloads=True,
        **({"timezone_id": zone.args[0]} if zone else {}),
    )
    log = PageLog()

    def route(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda request: log.requests.append(request.url))
    page.on("dialog", lambda dialog: (log.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    yield page, log
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
