"""The wheel holds connect_chat with its handler and widget as package data, and nothing else."""

from __future__ import annotations

import re
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

from .installed_package import PROJECT_DIR, built_wheel_path

VERSION = "0.1.0"
DIST_INFO = f"connect_chat-{VERSION}.dist-info"


def source_files(folder: Path) -> set[str]:
    """Every file under `folder`, relative, without bytecode caches."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    with zipfile.ZipFile(built_wheel_path(tmp_path_factory)) as wheel:
        return set(wheel.namelist())


@pytest.fixture(scope="module")
def wheel_metadata(tmp_path_factory: pytest.TempPathFactory) -> str:
    with zipfile.ZipFile(built_wheel_path(tmp_path_factory)) as wheel:
        return wheel.read(f"{DIST_INFO}/METADATA").decode()


def under(names: set[str], prefix: str) -> set[str]:
    return {name.removeprefix(prefix) for name in names if name.startswith(prefix)}


def test_the_wheel_holds_only_connect_chat_and_its_metadata(wheel_names: set[str]) -> None:
    assert {name.split("/")[0] for name in wheel_names} == {"connect_chat", DIST_INFO}
    assert under(wheel_names, f"{DIST_INFO}/") == {"METADATA", "WHEEL", "top_level.txt", "RECORD"}


def test_connect_chat_is_the_components_folder_plus_the_two_asset_folders(
    wheel_names: set[str],
) -> None:
    package = under(wheel_names, "connect_chat/")
    modules = {name for name in package if "/" not in name}
    assert modules == source_files(PROJECT_DIR / "components")
    assert {name.split("/")[0] for name in package - modules} == {"_handler", "_site"}


def test_the_handler_travels_whole_as_package_data(wheel_names: set[str]) -> None:
    shipped = under(wheel_names, "connect_chat/_handler/")
    assert shipped == source_files(PROJECT_DIR / "handler")
    assert {"app.py", "requirements.txt", "__init__.py"} <= shipped


def test_the_built_widget_travels_whole_as_package_data(wheel_names: set[str]) -> None:
    shipped = under(wheel_names, "connect_chat/_site/")
    assert shipped == source_files(PROJECT_DIR / "site" / "dist")
    assert {"widget.js", "chat.html", "index.html", "prebuilt.html"} <= shipped


def test_no_bytecode_cache_is_shipped(wheel_names: set[str]) -> None:
    # installed_package plants a .pyc in handler/, components/ and site/dist/ caches.
    assert [name for name in wheel_names if "__pycache__" in name or name.endswith(".pyc")] == []


def test_the_wheel_requires_exactly_the_stack_pins(wheel_metadata: str) -> None:
    metadata = HeaderParser().parsestr(wheel_metadata)
    assert metadata["Name"] == "connect-chat"
    assert metadata["Version"] == VERSION
    assert metadata["Requires-Python"] == ">=3.11"
    pins = re.findall(
        r"^([A-Za-z0-9_.-]+==[^\s#;]+)", (PROJECT_DIR / "requirements.txt").read_text(), re.M
    )
    assert sorted(metadata.get_all("Requires-Dist") or []) == sorted(pins)
