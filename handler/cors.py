"""CORS by exact allowlist.

Powertools' CORSConfig only omits the headers for an unknown Origin and still runs the route;
we must refuse such a POST with 403 before Connect is called, so the decision lives here.

A refused origin may still read its refusal: its preflight passes and the 403 carries
`Access-Control-Allow-Origin: *`. Otherwise the browser would report the refusal as the same
opaque network error as a firewall block or an outage, and the widget could not tell the
visitor that the site owner must fix the allowlist. The refusal holds no data; nothing that
answers a refused origin echoes its Origin.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

ALLOWED_METHODS = "POST, OPTIONS"
ALLOWED_HEADERS = (
    "Content-Type, Authorization, X-Amz-Date, X-Amz-Security-Token, X-Api-Key, x-aws-waf-token"
)
# Long enough to spare most preflights, short enough that an allowlist change lands soon
# (Chromium caps the cache at 2 hours anyway).
PREFLIGHT_MAX_AGE_SECONDS = 600


class OriginVerdict(Enum):
    ABSENT = "absent"  # server-to-server: allowed, no CORS headers
    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"


class CorsPolicy(NamedTuple):
    allowed_origins: frozenset[str]

    def verdict(self, origin: str | None) -> OriginVerdict:
        if origin is None:
            return OriginVerdict.ABSENT
        if origin in self.allowed_origins:
            return OriginVerdict.ALLOWED
        return OriginVerdict.FORBIDDEN

    def response_headers(self, origin: str | None) -> dict[str, str]:
        # Vary on every answer: a shared cache must not hand one origin's answer to another.
        headers = {"Vary": "Origin"}
        if origin is not None and self.verdict(origin) is OriginVerdict.ALLOWED:
            headers["Access-Control-Allow-Origin"] = origin
        return headers

    def refusal_headers(self) -> dict[str, str]:
        """Headers of the answers a refused origin gets (its preflight and its 403)."""
        return {"Vary": "Origin", "Access-Control-Allow-Origin": "*"}

    def preflight_headers(self, origin: str) -> dict[str, str]:
        allowed = self.verdict(origin) is OriginVerdict.ALLOWED
        return {
            **(self.response_headers(origin) if allowed else self.refusal_headers()),
            "Access-Control-Allow-Methods": ALLOWED_METHODS,
            "Access-Control-Allow-Headers": ALLOWED_HEADERS,
            "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_SECONDS),
        }
