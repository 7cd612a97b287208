"""Installed by pip, connect_chat finds its handler and widget beside itself, wherever it runs.

Each check runs in a fresh interpreter whose cwd is an unrelated folder and whose sys.path starts
with the install target (the dependencies come from this venv), as a consumer's program would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .installed_package import installed_package_path

PROBE = """
import importlib.util, json, sys, zipfile
sys.path.insert(0, sys.argv[1])
from connect_chat import ConnectChat, ConnectChatArgs
import connect_chat
from connect_chat import code_archive, package_assets, site_files

archive = code_archive.cached_handler_archive(
    package_assets.handler_dir(), package_assets.build_dir()
)
print(json.dumps({
    "package": connect_chat.__file__,
    "component": ConnectChat.__module__,
    "args": ConnectChatArgs.__module__,
    "handler_dir": str(package_assets.handler_dir()),
    "site_dist_dir": str(package_assets.site_dist_dir()),
    "build_dir": str(package_assets.build_dir()),
    "archive": str(archive),
    "archive_entries": sorted(zipfile.ZipFile(archive).namelist()),
    "site_keys": sorted(f.key for f in site_files.site_files(package_assets.site_dist_dir())),
    "top_level_handler": importlib.util.find_spec("handler") is not None,
}))
"""


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return installed_package_path(tmp_path_factory)


def probe(target: Path, cwd: Path, **env: str) -> dict[str, object]:
    # -I: neither PYTHONPATH nor the working directory may lend the checkout's modules.
    clean_env = {
        k: v for k, v in os.environ.items() if k not in {"CONNECT_CHAT_CACHE_DIR", "XDG_CACHE_HOME"}
    }
    result = subprocess.run(
        [sys.executable, "-I", "-c", PROBE, str(target)],
        cwd=cwd,
        env={**clean_env, **env},
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def with_cache_dir(
    target: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, object]]:
    elsewhere = tmp_path_factory.mktemp("consumer-project")
    cache = tmp_path_factory.mktemp("cache") / "connect-chat-archives"
    return cache, probe(target, elsewhere, CONNECT_CHAT_CACHE_DIR=str(cache))


def test_the_component_and_its_args_come_from_the_installed_package(
    target: Path, with_cache_dir: tuple[Path, dict[str, object]]
) -> None:
    _, found = with_cache_dir
    assert found["package"] == str(target / "connect_chat" / "__init__.py")
    assert found["component"] == "connect_chat.connect_chat"
    assert found["args"] == "connect_chat.connect_chat_args"
    assert found["top_level_handler"] is False


def test_the_assets_are_the_package_data(
    target: Path, with_cache_dir: tuple[Path, dict[str, object]]
) -> None:
    _, found = with_cache_dir
    assert found["handler_dir"] == str(target / "connect_chat" / "_handler")
    assert found["site_dist_dir"] == str(target / "connect_chat" / "_site")
    shipped_site = target / "connect_chat" / "_site"
    assert found["site_keys"] == sorted(
        path.relative_to(shipped_site).as_posix()
        for path in shipped_site.rglob("*")
        if path.is_file()
    )


def test_the_archive_is_written_to_the_configured_cache_outside_the_package(
    target: Path, with_cache_dir: tuple[Path, dict[str, object]]
) -> None:
    cache, found = with_cache_dir
    assert found["build_dir"] == str(cache)
    archive = Path(str(found["archive"]))
    assert archive.parent == cache and archive.is_file()
    assert not archive.is_relative_to(target)
    entries = found["archive_entries"]
    assert isinstance(entries, list)
    handler = target / "connect_chat" / "_handler"
    expected_handler = sorted(
        f"handler/{path.relative_to(handler).as_posix()}"
        for path in handler.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    assert [entry for entry in entries if entry.startswith("handler/")] == expected_handler
    assert "jwt/__init__.py" in entries


def test_without_a_configured_cache_the_archive_goes_to_the_user_cache(
    target: Path, tmp_path: Path
) -> None:
    cache_home = tmp_path / "xdg-cache"
    found = probe(target, tmp_path, XDG_CACHE_HOME=str(cache_home))
    assert found["build_dir"] == str(cache_home / "connect-chat")
    assert Path(str(found["archive"])).parent == cache_home / "connect-chat"
