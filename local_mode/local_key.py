"""Local mode's stand-in for the stack's signing secret: a key generated for this run only.

It reaches the handler as SIGNING_KEYS (the same document the secret holds) and signs the demo
host's customer tokens, like an integrator's backend reading the secret. Never written to disk:
a key committed in a stack file would sign tokens for every checkout.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping
from typing import NamedTuple

import jwt

KEY_BYTES = 32
# Well inside the handler's 600 s limit (handler/customer_token.py).
DEMO_TOKEN_LIFETIME_SECONDS = 300


class LocalKey(NamedTuple):
    current: bytes

    @classmethod
    def generate(cls) -> LocalKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    def document(self) -> str:
        """The secret's JSON shape; no previous key in a one-run stack."""
        return json.dumps({"current": base64.b64encode(self.current).decode()})

    def sign_customer_token(
        self, sub: str, name: str | None, attributes: Mapping[str, str], now: int
    ) -> str:
        """What docs/embedding.md's signer does on an integrator's backend."""
        claims: dict[str, object] = {
            "sub": sub,
            "iat": now,
            "exp": now + DEMO_TOKEN_LIFETIME_SECONDS,
        }
        if name:
            claims["name"] = name
        if attributes:
            claims["attributes"] = dict(attributes)
        return jwt.encode(claims, self.current, algorithm="HS256")
