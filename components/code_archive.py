"""A byte-for-byte reproducible zip of the handler package.

Pulumi diffs the Lambda code by the archive's hash, so a zip that embeds file modification times
or the builder's umask would show a change on every `pulumi up` even when no code changed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

# The earliest timestamp a zip entry can hold (DOS epoch): fixed so checkouts never differ.
_FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = 0o644
_SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}


class HandlerPackageError(FileNotFoundError):
    """The handler package to archive is missing or incomplete."""


def handler_files(package_dir: Path) -> list[Path]:
    """Every file of the package that belongs in the archive, sorted by archive path."""
    files = [
        path
        for path in package_dir.rglob("*")
        if path.is_file()
        and path.suffix not in _SKIPPED_SUFFIXES
        and not _SKIPPED_DIRS.intersection(path.relative_to(package_dir).parts)
    ]
    return sorted(files, key=lambda path: path.relative_to(package_dir).as_posix())


def handler_package(package_dir: Path) -> Path:
    """The package folder, once it is known to hold the module the handler setting names."""
    if not (package_dir / "app.py").is_file():
        raise HandlerPackageError(
            f"{package_dir / 'app.py'} not found: the Lambda handler setting is "
            "handler.app.lambda_handler, so the handler package must exist before `pulumi up`"
        )
    return package_dir


def build_handler_archive(package_dir: Path, output: Path) -> Path:
    """Zips `package_dir` as a top-level folder of its own name: Lambda imports it as a package."""
    handler_package(package_dir)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".tmp")
    # Stored, not deflated: deflate output differs between zlib builds (zlib-ng, distro
    # patches), which would turn one developer's `pulumi up` into a code change for the next.
    # The package is a few dozen kilobytes, far under Lambda's limits.
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as zf:
        for path in handler_files(package_dir):
            arcname = f"{package_dir.name}/{path.relative_to(package_dir).as_posix()}"
            entry = zipfile.ZipInfo(arcname, date_time=_FIXED_TIMESTAMP)
            entry.external_attr = (0o100000 | _FILE_MODE) << 16
            entry.compress_type = zipfile.ZIP_STORED
            entry.create_system = 3  # Unix, so the mode above is honoured on every builder
            zf.writestr(entry, path.read_bytes())
    partial.replace(output)
    return output
