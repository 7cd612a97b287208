"""Where ConnectChat finds the handler and the built widget, and where it writes the archive.

Found relative to this package, never the program's working directory: a consumer's program
runs from its own folder. Installed (pip, or `pulumi package add`), both travel as package data
beside this module; in a source checkout they are the repository's handler/ and site/dist/.
"""

from __future__ import annotations

import os
from pathlib import Path

# Not resolved: a checkout that links components/ in finds its own handler/ and site/.
PACKAGE_DIR = Path(os.path.abspath(__file__)).parent
# Package data names in an installed connect_chat (pyproject.toml maps them).
INSTALLED_HANDLER = PACKAGE_DIR / "_handler"
INSTALLED_SITE = PACKAGE_DIR / "_site"
CHECKOUT_ROOT = PACKAGE_DIR.parent
CACHE_ENV = "CONNECT_CHAT_CACHE_DIR"


def is_installed() -> bool:
    return INSTALLED_HANDLER.is_dir()


def handler_dir() -> Path:
    return INSTALLED_HANDLER if is_installed() else CHECKOUT_ROOT / "handler"


def site_dist_dir() -> Path:
    return INSTALLED_SITE if is_installed() else CHECKOUT_ROOT / "site" / "dist"


def build_dir() -> Path:
    """A writable folder for the function archive, never inside site-packages.

    A checkout keeps the repository's build/ (the path existing stacks were deployed from);
    an installed package uses $CONNECT_CHAT_CACHE_DIR, else the user's cache directory.
    """
    if not is_installed():
        return CHECKOUT_ROOT / "build"
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "connect-chat"
