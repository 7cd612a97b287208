"""One set of pins: the package declares exactly what the repository's stack installs.

requirements.txt stays the stack's list (Pulumi's language host and `make` install it, and it
must not install this repository into its own venv); pyproject.toml repeats it for pip
consumers, and these tests keep the two equal.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from .installed_package import PROJECT_DIR

PYPROJECT = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())


def pins(requirements: Path) -> dict[str, str]:
    """name (lower case) -> version of every `name==version` line."""
    found = re.findall(
        r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s#;]+)", requirements.read_text(), re.M
    )
    return {name.lower(): version for name, version in found}


def declared(requirements: list[str]) -> dict[str, str]:
    split = [re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line) for line in requirements]
    assert all(split), f"every requirement must be an exact pin: {requirements}"
    return {match[1].lower(): match[2] for match in split if match}


def test_the_package_dependencies_are_the_stack_pins() -> None:
    assert declared(PYPROJECT["project"]["dependencies"]) == pins(PROJECT_DIR / "requirements.txt")


def test_the_bundled_jwt_library_is_the_handler_pin() -> None:
    # The function archive bundles the installed PyJWT and refuses any other version.
    handler_pin = pins(PROJECT_DIR / "handler" / "requirements.txt")["pyjwt"]
    assert declared(PYPROJECT["project"]["dependencies"])["pyjwt"] == handler_pin


def test_the_build_backend_is_the_pinned_setuptools_of_the_dev_venv() -> None:
    build_requires = declared(PYPROJECT["build-system"]["requires"])
    assert build_requires == {
        "setuptools": pins(PROJECT_DIR / "requirements-dev.txt")["setuptools"]
    }
    assert PYPROJECT["build-system"]["build-backend"] == "setuptools.build_meta"


def test_the_plugin_installs_the_package_from_the_repository_root() -> None:
    lines = (PROJECT_DIR / "provider" / "requirements.txt").read_text().splitlines()
    assert [line for line in lines if line and not line.startswith("#")] == [".."]
