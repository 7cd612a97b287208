"""The connect-chat wheel, built from this checkout and installed into a temporary folder.

Reusable by any suite: `from tests.package.installed_package import installed_package` (a
session fixture returning the install target), or `build_wheel` / `install_wheel` directly.
The wheel is built from a copy of the checkout: setuptools builds in the source tree, and its
build/lib would keep files deleted since an earlier build (and two builds at once would race).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
# Not part of any build, and large or machine-specific (venv, npm packages, git objects).
_NOT_COPIED = (
    ".git",
    ".venv",
    "node_modules",
    ".stamps",
    "venv",  # provider/venv, made by Pulumi when the plugin is added from a local path
    "build",
    "*.egg-info",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "test-results",
)


def copy_checkout(destination: Path) -> Path:
    """The checkout's files (caches included: the build must leave __pycache__ out itself)."""
    shutil.copytree(PROJECT_DIR, destination, ignore=shutil.ignore_patterns(*_NOT_COPIED))
    # A repository-root dist/ holds wheels of `make package`, not sources.
    shutil.rmtree(destination / "dist", ignore_errors=True)
    return destination


def build_wheel(source: Path, wheel_dir: Path) -> Path:
    """`pip wheel` offline: setuptools comes from this venv (pinned in requirements-dev.txt)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--no-cache-dir",
            "--wheel-dir",
            str(wheel_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    wheels = sorted(wheel_dir.glob("connect_chat-*.whl"))
    assert len(wheels) == 1, f"expected one connect-chat wheel in {wheel_dir}: {wheels}"
    return wheels[0]


def install_wheel(wheel: Path, target: Path) -> Path:
    """Installs the wheel alone into `target`; its dependencies come from this venv."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return target


PLANTED_CACHES = ("handler/__pycache__", "site/dist/assets/__pycache__", "components/__pycache__")
_DONE = "complete"


def _session_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    # A fixed folder of the session's temporary root rather than a module global: suites may
    # import this module under two names (package.… and tests.package.…), and still build once.
    return tmp_path_factory.getbasetemp() / f"connect-chat-{name}"


def built_wheel_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built once per test session."""
    work = _session_dir(tmp_path_factory, "wheel")
    if not (work / _DONE).is_file():
        shutil.rmtree(work, ignore_errors=True)
        source = copy_checkout(work / "source")
        # Bytecode caches a test run leaves beside the sources, which no wheel may carry.
        for folder in PLANTED_CACHES:
            (source / folder).mkdir(parents=True, exist_ok=True)
            (source / folder / "planted.cpython-311.pyc").write_bytes(b"not shipped")
        build_wheel(source, work / "wheels")
        (work / _DONE).touch()
    (wheel,) = (work / "wheels").glob("connect_chat-*.whl")
    return wheel


def installed_package_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the installed `connect_chat` (first on sys.path), once per session."""
    work = _session_dir(tmp_path_factory, "installed")
    target = work / "target"
    if not (work / _DONE).is_file():
        shutil.rmtree(work, ignore_errors=True)
        install_wheel(built_wheel_path(tmp_path_factory), target)
        (work / _DONE).touch()
    return target


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_wheel_path(tmp_path_factory)


@pytest.fixture(scope="session")
def installed_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return installed_package_path(tmp_path_factory)
