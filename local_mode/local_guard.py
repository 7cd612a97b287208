"""Who may call local mode's control endpoints: its own pages, and non-browser clients.

The endpoints mint customer tokens or steer the emulator. A page on another origin that the
developer happens to visit must not reach them (a browser would send its Origin), nor may a
DNS-rebound name (the Host header would not be one of ours).
"""

from __future__ import annotations

from collections.abc import Collection

from aiohttp import web


def refuse_foreign_caller(
    request: web.Request, own_origins: Collection[str], own_hosts: Collection[str]
) -> web.Response | None:
    """A 403 for a caller that is not local mode's own, else None."""
    host = request.headers.get("Host", "")
    if host not in own_hosts:
        return _forbidden(f"Host {host!r} is not local mode's own")
    origin = request.headers.get("Origin")
    if origin is not None and origin not in own_origins:
        return _forbidden(f"Origin {origin!r} is not local mode's own")
    # A browser sends Sec-Fetch-Site even where it leaves Origin out (a cross-site GET).
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if origin is None and fetch_site not in (None, "same-origin", "none"):
        return _forbidden("cross-site browser requests are refused")
    return None


def _forbidden(reason: str) -> web.Response:
    return web.json_response({"message": f"Forbidden: {reason}"}, status=403)
