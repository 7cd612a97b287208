"""Customer JWTs: a verified identity, signed by the integrator's backend with the stack's key.

Like the hosted widget's "authenticate" option, except that `sub` names the customer (it becomes
StartChatContact's CustomerId), not the widget. HS256 only, `iat`, `exp` and `sub` required,
valid for at most MAX_LIFETIME_SECONDS, with LEEWAY_SECONDS of clock skew.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from .config import ATTRIBUTE_KEY
from .start_chat_request import (
    MAX_ATTRIBUTES_BYTES,
    MAX_CONTACT_ID,
    MAX_DISPLAY_NAME,
    REHYDRATION_TYPES,
    RehydrationType,
)

ALGORITHM = "HS256"
MAX_LIFETIME_SECONDS = 600
LEEWAY_SECONDS = 30
MAX_SUB = 128
# A JWT carrying the largest attribute set fits; anything longer is refused before decoding.
MAX_TOKEN_CHARS = 48 * 1024
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


class CustomerTokenError(ValueError):
    """The JWT is not acceptable; the message (for the logs) says why."""


class UnknownSigningKey(CustomerTokenError):
    """Well formed, but signed with neither key this function knows."""


class PersistentClaim(NamedTuple):
    rehydration_type: RehydrationType
    source_contact_id: str


class CustomerClaims(NamedTuple):
    sub: str
    name: str | None = None
    attributes: Mapping[str, str] = {}
    related_contact_id: str | None = None
    persistent_chat: PersistentClaim | None = None


def bearer_token(authorization: str | None) -> str | None:
    """The JWT of an `Authorization: Bearer <jwt>` header, else None.

    Integrators already send their own Authorization values through the prebuilt widget's
    `headers` option (for their own gateways); a value that is not a compact JWT is theirs, not
    a customer token, and is ignored. Anything JWT-shaped is ours and must verify.
    """
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not _COMPACT_JWS.fullmatch(token):
        return None
    return token


def verify_customer_token(token: str, keys: tuple[bytes, ...], now: int) -> CustomerClaims:
    if len(token) > MAX_TOKEN_CHARS:
        raise CustomerTokenError("the token is too long")
    # Imported on the first signed start only: the cold start of unsigned chats stays flat.
    import jwt

    claims: dict[str, Any] | None = None
    for key in keys:
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                # PyJWT checks the signature, the algorithm and that the claims exist; the times
                # are checked below against the handler's clock (one clock for every decision).
                options={
                    "require": ["iat", "exp", "sub"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
            break
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError as error:
            raise CustomerTokenError(f"{type(error).__name__}: {error}") from None
    if claims is None:
        raise UnknownSigningKey("the signature matches no current or previous key")
    return _claims(claims, now)


def _claims(claims: Mapping[str, Any], now: int) -> CustomerClaims:
    issued_at, expires_at = claims["iat"], claims["exp"]
    if not _is_number(issued_at) or not _is_number(expires_at):
        raise CustomerTokenError("iat and exp must be numbers")
    if expires_at - issued_at > MAX_LIFETIME_SECONDS:
        raise CustomerTokenError(f"exp - iat exceeds {MAX_LIFETIME_SECONDS} seconds")
    if expires_at <= now - LEEWAY_SECONDS:
        raise CustomerTokenError("expired")
    not_before = claims.get("nbf", issued_at)
    if not _is_number(not_before):
        raise CustomerTokenError("nbf must be a number")
    if max(issued_at, not_before) > now + LEEWAY_SECONDS:
        raise CustomerTokenError("issued in the future (iat or nbf)")
    sub = claims["sub"]
    if not isinstance(sub, str) or not 1 <= len(sub) <= MAX_SUB:
        raise CustomerTokenError(f"sub must be a string of 1 to {MAX_SUB} characters")
    return CustomerClaims(
        sub=sub,
        name=_name(claims.get("name")),
        attributes=_attributes(claims.get("attributes")),
        related_contact_id=_contact_id(claims.get("relatedContactId"), "relatedContactId"),
        persistent_chat=_persistent_chat(claims),
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _name(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= MAX_DISPLAY_NAME:
        raise CustomerTokenError(f"name must be a string of 1 to {MAX_DISPLAY_NAME} characters")
    return value.strip()


def _attributes(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise CustomerTokenError("attributes must be an object of strings")
    size = 0
    for key, item in value.items():
        if not ATTRIBUTE_KEY.fullmatch(key) or not isinstance(item, str):
            raise CustomerTokenError(
                "attributes: keys may contain only letters, digits, '-' and '_'; values strings"
            )
        size += len(key.encode()) + len(item.encode())
    if size > MAX_ATTRIBUTES_BYTES:
        raise CustomerTokenError(f"attributes must total at most {MAX_ATTRIBUTES_BYTES} bytes")
    return dict(value)


def _contact_id(value: Any, claim: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_CONTACT_ID:
        raise CustomerTokenError(f"{claim} must be a string of 1 to {MAX_CONTACT_ID} characters")
    return value


def _persistent_chat(claims: Mapping[str, Any]) -> PersistentClaim | None:
    rehydration = claims.get("rehydrationType")
    source = _contact_id(claims.get("sourceContactId"), "sourceContactId")
    if rehydration is None and source is None:
        return None
    if rehydration not in REHYDRATION_TYPES or source is None:
        raise CustomerTokenError(
            "rehydrationType (ENTIRE_PAST_SESSION or FROM_SEGMENT) and sourceContactId go together"
        )
    if claims.get("relatedContactId") is not None:
        raise CustomerTokenError("relatedContactId cannot be combined with sourceContactId")
    return PersistentClaim(rehydration, source)
