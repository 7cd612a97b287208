"""The stack's HMAC keys: one JSON document, `{"current": <base64>, "previous": <base64>}`.

The integrator's backend signs customer JWTs with `current`; the handler verifies with both, so a
rotation (new key in `current`, the old one moved to `previous`) breaks no token already issued.
In AWS the document is the Secrets Manager secret the stack creates (SIGNING_SECRET_ARN); local
mode and tests hand the same document over directly (SIGNING_KEYS), never through a stack file.

The secret is fetched at the first request that needs it, not at import: the cold start stays
the boto3 floor, and Powertools Parameters caches the value for MAX_AGE_SECONDS.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

MIN_KEY_BYTES = 32
# How stale a cached secret may get: after a rotation, a warm function learns the new key within
# this time, or sooner (REFRESH_AFTER_FAILURE_SECONDS) when a JWT signed with it arrives.
MAX_AGE_SECONDS = 300
REFRESH_AFTER_FAILURE_SECONDS = 30
# Domain separation: resume tokens use a key derived for them alone, so the key the integrator's
# backend holds (it signs JWTs) cannot mint resume tokens, and a JWT is never a resume token.
RESUME_TOKEN_KEY_LABEL = b"connect-chat resume-token v1"


class SigningKeyError(Exception):
    """The key document is malformed; the message is for operators only."""


class SigningKeyUnavailable(SigningKeyError):
    """Secrets Manager could not be read this time (throttled, unreachable)."""


class SigningKeys(NamedTuple):
    current: bytes
    previous: bytes | None = None

    def customer_token_keys(self) -> tuple[bytes, ...]:
        return (self.current,) if self.previous is None else (self.current, self.previous)

    def resume_token_keys(self) -> tuple[bytes, ...]:
        """The derived resume-token keys, the one to sign with first."""
        return tuple(_resume_token_key(key) for key in self.customer_token_keys())


@functools.lru_cache(maxsize=8)
def _resume_token_key(key: bytes) -> bytes:
    # Cached: derived on every start otherwise, and the keys change only with a rotation.
    return hmac.new(key, RESUME_TOKEN_KEY_LABEL, hashlib.sha256).digest()


def parse_signing_keys(document: str) -> SigningKeys:
    try:
        value = json.loads(document)
    except ValueError:
        raise SigningKeyError("the key document is not JSON") from None
    if not isinstance(value, dict):
        raise SigningKeyError('the key document must be {"current": ..., "previous": ...}')
    current = _key(value, "current")
    if current is None:
        raise SigningKeyError("the key document has no 'current' key")
    return SigningKeys(current=current, previous=_key(value, "previous"))


def _key(document: dict[str, Any], name: str) -> bytes | None:
    encoded = document.get(name)
    if encoded is None or encoded == "":
        return None
    if not isinstance(encoded, str):
        raise SigningKeyError(f"'{name}' must be a base64 string")
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise SigningKeyError(f"'{name}' is not valid base64") from None
    if len(key) < MIN_KEY_BYTES:
        raise SigningKeyError(f"'{name}' must decode to at least {MIN_KEY_BYTES} bytes")
    return key


class SigningKeyProvider(Protocol):
    def keys(self) -> SigningKeys: ...

    def refresh(self) -> SigningKeys | None:
        """A fresh copy after a verification failed, or None when it is too soon to ask."""
        ...


class StaticKeys:
    """Keys handed over in the environment: local mode's per-run key, tests."""

    def __init__(self, keys: SigningKeys) -> None:
        self._keys = keys

    def keys(self) -> SigningKeys:
        return self._keys

    def refresh(self) -> SigningKeys | None:
        return None


class SecretsManagerKeys:
    """The stack's secret through Powertools Parameters, cached, with a bounded early refresh."""

    def __init__(
        self,
        secret_id: str,
        fetch: Callable[[str, bool], str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._secret_id = secret_id
        self._fetch = fetch or _powertools_fetch()
        self._clock = clock
        self._lock = threading.Lock()
        self._last_forced = float("-inf")
        # Powertools hands back the cached text; parse it again only when it changes.
        self._parsed: tuple[str, SigningKeys] | None = None

    def keys(self) -> SigningKeys:
        return self._load(force=False)

    def refresh(self) -> SigningKeys | None:
        with self._lock:
            now = self._clock()
            if now - self._last_forced < REFRESH_AFTER_FAILURE_SECONDS:
                return None
            self._last_forced = now
        return self._load(force=True)

    def _load(self, force: bool) -> SigningKeys:
        try:
            document = self._fetch(self._secret_id, force)
        except SigningKeyError:
            raise
        except Exception as error:
            raise SigningKeyUnavailable(
                f"cannot read the signing secret: {type(error).__name__}: {error}"
            ) from error
        parsed = self._parsed
        if parsed is not None and parsed[0] == document:
            return parsed[1]
        keys = parse_signing_keys(document)
        self._parsed = (document, keys)
        return keys


def _powertools_fetch() -> Callable[[str, bool], str]:
    provider: list[Any] = []

    def fetch(secret_id: str, force: bool) -> str:
        if not provider:
            # Imported here, not at module import: Parameters and its client cost cold-start time.
            import boto3
            from aws_lambda_powertools.utilities.parameters import SecretsProvider
            from botocore.config import Config

            client = boto3.client(
                "secretsmanager",
                region_name=os.environ.get("AWS_REGION") or None,
                config=Config(
                    retries={"mode": "standard", "total_max_attempts": 2},
                    connect_timeout=1,
                    read_timeout=1.5,
                ),
            )
            provider.append(SecretsProvider(boto3_client=client))
        value = provider[0].get(secret_id, max_age=MAX_AGE_SECONDS, force_fetch=force)
        if not isinstance(value, str):
            raise SigningKeyError("the signing secret must be a SecretString")
        return value

    return fetch
