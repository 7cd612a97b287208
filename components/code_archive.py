"""A byte-for-byte reproducible zip of the handler package.

Pulumi diffs the Lambda code by the archive's hash, so a zip that embeds file modification times
or the builder's umask would show a change on every `pulumi up` even when no code changed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import os
import re
import zipfile
from pathlib import Path, PurePosixPath

# The earliest timestamp a zip entry can hold (DOS epoch): fixed so checkouts never differ.
_FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = 0o644
_SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}


# Libraries the handler needs that neither the Lambda runtime nor the Powertools layer carries.
# Pure Python, so the files installed here run on arm64 too; their pins live in
# handler/requirements.txt and the installed copy must match (checked below).
BUNDLED_DISTRIBUTIONS = ("PyJWT",)


class HandlerPackageError(FileNotFoundError):
    """The handler package to archive is missing or incomplete."""


def pinned_version(requirements: Path, distribution: str) -> str:
    pins = re.findall(
        rf"^{re.escape(distribution)}==([^\s;#]+)",
        requirements.read_text(),
        flags=re.MULTILINE | re.IGNORECASE,
    )
    if len(pins) != 1:
        raise HandlerPackageError(f"{requirements} must pin {distribution}== exactly once")
    return pins[0]


def bundled_files(package_dir: Path) -> list[tuple[str, bytes]]:
    """(archive path, content) of every bundled library, from this environment's install."""
    files: list[tuple[str, bytes]] = []
    for name in BUNDLED_DISTRIBUTIONS:
        wanted = pinned_version(package_dir / "requirements.txt", name)
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            raise HandlerPackageError(
                f"{name}=={wanted} is not installed; the function archive bundles it: "
                "pip install -r requirements.txt"
            ) from None
        if distribution.version != wanted:
            raise HandlerPackageError(
                f"{name} {distribution.version} is installed but handler/requirements.txt pins "
                f"{wanted}; the function archive must bundle the pinned version"
            )
        for entry in distribution.files or ():
            path = PurePosixPath(entry.as_posix())
            if _SKIPPED_DIRS.intersection(path.parts) or path.suffix in _SKIPPED_SUFFIXES:
                continue
            in_dist_info = path.parts[0].endswith(".dist-info")
            # Code and its licence; not the installer's bookkeeping (RECORD, INSTALLER, ...).
            if in_dist_info and "licenses" not in path.parts:
                continue
            files.append((path.as_posix(), Path(str(distribution.locate_file(entry))).read_bytes()))
    return sorted(files)


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


# The archive's top folder: the Lambda handler setting is handler.app.lambda_handler, whatever
# the folder the package is read from is called (an installed connect_chat names it _handler).
ARCHIVE_PACKAGE = "handler"


def handler_archive_bytes(package_dir: Path) -> bytes:
    """The zip of `package_dir` under ARCHIVE_PACKAGE/, plus the bundled libraries."""
    handler_package(package_dir)
    # Stored, not deflated: deflate output differs between zlib builds (zlib-ng, distro
    # patches), which would turn one developer's `pulumi up` into a code change for the next.
    # The package is a few dozen kilobytes, far under Lambda's limits.
    entries = [
        (f"{ARCHIVE_PACKAGE}/{path.relative_to(package_dir).as_posix()}", path.read_bytes())
        for path in handler_files(package_dir)
    ]
    # Beside the handler package at the archive's root, which Lambda puts on sys.path.
    entries += bundled_files(package_dir)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        for arcname, content in sorted(entries):
            entry = zipfile.ZipInfo(arcname, date_time=_FIXED_TIMESTAMP)
            entry.external_attr = (0o100000 | _FILE_MODE) << 16
            entry.compress_type = zipfile.ZIP_STORED
            entry.create_system = 3  # Unix, so the mode above is honoured on every builder
            zf.writestr(entry, content)
    return buffer.getvalue()


def _write(output: Path, content: bytes) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed, so a concurrent run never reads half an archive.
    partial = output.with_name(f"{output.name}.{os.getpid()}.tmp")
    partial.write_bytes(content)
    partial.replace(output)
    return output


def build_handler_archive(package_dir: Path, output: Path) -> Path:
    """Writes the archive of `package_dir` to `output`."""
    return _write(output, handler_archive_bytes(package_dir))


def cached_handler_archive(package_dir: Path, cache_dir: Path) -> Path:
    """The archive in a shared cache, named by its content: stacks deploying different
    releases at once never overwrite each other's code."""
    content = handler_archive_bytes(package_dir)
    digest = hashlib.sha256(content).hexdigest()[:16]
    # Private when created here: whoever can write the cache could swap the function's code.
    cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return _write(cache_dir / f"start-chat-{digest}.zip", content)
