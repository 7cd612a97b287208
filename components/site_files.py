"""What to upload from the built widget site, with each file's content type and caching."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

# Hashed file names change whenever their content does, so browsers may keep them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# The loader keeps a stable name customers paste into their pages: short cache, quick rollout.
SHORT = "public, max-age=300"
# Pages and config.json must reflect the latest deployment on the next load.
NO_CACHE = "no-cache"

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}


class SiteNotBuiltError(FileNotFoundError):
    """site/dist is missing: the program cannot upload a widget that was never built."""


@dataclass(frozen=True)
class SiteFile:
    key: str
    path: Path
    content_type: str
    cache_control: str


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def cache_control(key: str) -> str:
    if key.startswith("assets/"):
        return IMMUTABLE
    if key.endswith(".html") or key == "config.json":
        return NO_CACHE
    return SHORT


def site_files(dist: Path) -> list[SiteFile]:
    """The built site's files, sorted; config.json is skipped because the stack writes it."""
    if not (dist / "widget.js").is_file() or not (dist / "chat.html").is_file():
        raise SiteNotBuiltError(
            f"{dist} has no built widget (widget.js, chat.html): run `make site` "
            "(or `cd site && npm run build`) before `pulumi up`"
        )
    files = []
    for path in sorted(dist.rglob("*")):
        if not path.is_file():
            continue
        key = path.relative_to(dist).as_posix()
        if key == "config.json":
            continue
        files.append(SiteFile(key, path, content_type(key), cache_control(key)))
    return files
