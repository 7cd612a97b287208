"""The function archive bundles PyJWT beside the handler, reproducibly, at the pinned version."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from components.code_archive import HandlerPackageError, build_handler_archive

from .pulumi_harness import PROJECT_DIR

HANDLER_DIR = PROJECT_DIR / "handler"


def test_the_archive_is_byte_for_byte_the_same_twice(tmp_path):
    first = build_handler_archive(HANDLER_DIR, tmp_path / "a" / "start-chat.zip")
    second = build_handler_archive(HANDLER_DIR, tmp_path / "b" / "start-chat.zip")
    assert first.read_bytes() == second.read_bytes()


def test_pyjwt_sits_beside_the_handler_package_with_its_licence_and_no_bytecode(tmp_path):
    archive = build_handler_archive(HANDLER_DIR, tmp_path / "start-chat.zip")
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    assert names == sorted(names)
    assert {"handler/app.py", "jwt/__init__.py", "jwt/api_jwt.py", "jwt/algorithms.py"} <= set(
        names
    )
    assert "pyjwt-2.15.1.dist-info/licenses/LICENSE" in names
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert not [n for n in names if n.endswith(("/RECORD", "/INSTALLER"))]
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {"handler", "jwt", "pyjwt-2.15.1.dist-info"}


def test_the_bundled_pyjwt_verifies_a_token_without_site_packages(tmp_path):
    archive = build_handler_archive(HANDLER_DIR, tmp_path / "start-chat.zip")
    task = tmp_path / "task"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(task)
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import jwt; "
        "assert jwt.__file__.startswith(sys.argv[1]), jwt.__file__; "
        "t = jwt.encode({'sub': 'x'}, 'k' * 32, algorithm='HS256'); "
        "print(jwt.decode(t, 'k' * 32, algorithms=['HS256'])['sub'])"
    )
    # -S: no site-packages, as in Lambda, where only the archive (and layers) are on the path.
    result = subprocess.run(
        [sys.executable, "-S", "-c", script, str(task)], capture_output=True, text=True, check=True
    )
    assert result.stdout == "x\n"


def test_an_installed_version_other_than_the_pin_stops_the_build(tmp_path):
    package = tmp_path / "handler"
    shutil.copytree(HANDLER_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    requirements = package / "requirements.txt"
    requirements.write_text(requirements.read_text().replace("PyJWT==2.15.1", "PyJWT==2.0.0"))
    with pytest.raises(HandlerPackageError) as caught:
        build_handler_archive(package, tmp_path / "start-chat.zip")
    assert str(caught.value) == (
        "PyJWT 2.15.1 is installed but handler/requirements.txt pins 2.0.0; the function "
        "archive must bundle the pinned version"
    )


def test_the_program_and_the_handler_pin_the_same_pyjwt():
    pins = [
        line.split("#")[0].strip()
        for path in (PROJECT_DIR / "requirements.txt", HANDLER_DIR / "requirements.txt")
        for line in Path(path).read_text().splitlines()
        if line.lower().startswith("pyjwt==")
    ]
    assert pins == ["PyJWT==2.15.1", "PyJWT==2.15.1"]
