"""Who may drive local mode's control endpoints: its own pages and non-browser clients only.

Local mode runs on a developer's machine while they browse the web. Any page they open can
send requests to 127.0.0.1: "simple" requests (a text/plain POST, a GET from an <img> or
<script>) go out without a CORS preflight, so the server must refuse them *before* acting,
not merely withhold the answer. A DNS-rebinding page (its own host name now resolving to
127.0.0.1) is same-origin with itself and sends no foreign Origin on GETs, but its requests
carry its own name in `Host`, which is why the Host header is checked as well.

API (also used for other control endpoints of local mode, e.g. a demo host's token endpoint):

    refuse_foreign_caller(request, own_origins, own_hosts) -> web.Response | None
        None when the caller may proceed, else the 403 JSON answer to send. Rules, in order:
        - `Host` must be one of `own_hosts` ("127.0.0.1:8082", "localhost:8082",
          "[::1]:8082"; compared case-insensitively); missing or other -> 403 FOREIGN_HOST;
        - an `Origin` header, when present, must be one of `own_origins` -> else 403
          FOREIGN_ORIGIN (`Origin: null`, sent by sandboxed frames and file:// pages, too);
        - `Sec-Fetch-Site: cross-site`, when present -> 403 CROSS_SITE (catches no-cors
          GETs, which browsers send without an Origin).
        No Origin and a good Host (curl, boto3, urllib in tests) is allowed.
    loopback_hosts(port) -> frozenset[str]      the three Host values of a local port
    loopback_origins(port) -> frozenset[str]    the matching http:// origins
    guard_middleware(own_origins, own_hosts, is_open=lambda path: False)
        an aiohttp middleware applying the rules to every request whose path is not open.

The 403 body is `{"code": ..., "message": ...}` with `x-amzn-ErrorType: AccessDeniedException`
(so an AWS SDK pointed at a guarded AWS-style route raises AccessDeniedException), and never
an `Access-Control-Allow-*` header: a refused browser page cannot even read why.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web
from aiohttp.typedefs import Middleware

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def loopback_hosts(port: int) -> frozenset[str]:
    return frozenset(f"{name}:{port}" for name in LOOPBACK_NAMES)


def loopback_origins(port: int) -> frozenset[str]:
    return frozenset(f"http://{host}" for host in loopback_hosts(port))


def _lowered(values: Iterable[str]) -> frozenset[str]:
    return frozenset(value.lower() for value in values)


def refuse_foreign_caller(
    request: web.Request, own_origins: frozenset[str], own_hosts: frozenset[str]
) -> web.Response | None:
    # request.host falls back to the socket's address when Host is absent: read the header.
    host = request.headers.get("Host", "").lower()
    if host not in _lowered(own_hosts):
        return _refusal("FOREIGN_HOST", "This local-mode endpoint answers only its own host name")
    origin = request.headers.get("Origin")
    if origin is not None and origin.lower() not in _lowered(own_origins):
        return _refusal(
            "FOREIGN_ORIGIN", "This local-mode endpoint does not serve pages of other origins"
        )
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return _refusal(
            "CROSS_SITE", "This local-mode endpoint does not serve requests from other sites"
        )
    return None


def guard_middleware(
    own_origins: frozenset[str],
    own_hosts: frozenset[str],
    is_open: Callable[[str], bool] = lambda path: False,
) -> Middleware:
    """Refuses foreign callers before any handler runs, except on paths `is_open` names."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not is_open(request.path):
            refusal = refuse_foreign_caller(request, own_origins, own_hosts)
            if refusal is not None:
                return refusal
        return await handler(request)

    return guard


def _refusal(code: str, message: str) -> web.Response:
    return web.json_response(
        {"code": code, "message": message},
        status=403,
        headers={"x-amzn-ErrorType": "AccessDeniedException", "Cache-Control": "no-store"},
    )
