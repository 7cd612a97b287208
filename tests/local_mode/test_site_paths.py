"""The site server answers hostile paths with 404, never 500 (NUL bytes, huge names, escapes)."""

from __future__ import annotations

import asyncio
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_mode_clients import DEV

from local_mode.site_server import SiteOrigins, WidgetSite

ORIGINS = SiteOrigins(
    site="http://127.0.0.1:8080",
    api_url="http://127.0.0.1:8081/",
    emulator="http://127.0.0.1:8082",
    host="http://127.0.0.1:8083",
)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dist: Path = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text("<!doctype html><title>chat</title>")
    (dist / "chat.html").write_text("<!doctype html><title>frame</title>")
    (dist.parent / "secret.txt").write_text("outside dist")
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(WidgetSite(DEV, ORIGINS, dist).build_app(), access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    "path",
    [
        "/chat.html%00.js",
        "/%00",
        "/assets/%00/app.js",
        "/" + "a" * 5000,
        "/" + "/".join(["b" * 255] * 30),
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/chat.html/x",
    ],
)
def test_hostile_paths_get_404(site_url, path):
    assert status_of(site_url + path) == 404


def test_real_files_are_still_served(site_url):
    assert (status_of(site_url + "/chat.html"), status_of(site_url + "/")) == (200, 200)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(segment=st.text(min_size=1, max_size=300))
def test_no_path_makes_the_site_server_fail(site_url, segment):
    assert status_of(site_url + "/" + quote(segment, safe="")) in {200, 404}
