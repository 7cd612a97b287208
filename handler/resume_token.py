"""Resume tokens: what a visitor holds to continue a chat series, instead of a raw contact id.

A contact id is no secret (it travels in logs, URLs and CRM records), so it cannot prove that
the caller took part in the chat. A resume token is issued only to the visitor the chat was
started for, and the API alone can mint one.

Layout, base64url without padding (at most MAX_TOKEN_CHARS):
    version (1) | flags (1) | expiry, Unix seconds (4, big-endian)
    | initial and latest contact id: two 16-byte UUIDs, or two length-prefixed UTF-8 strings
    | HMAC-SHA256 (32)
The MAC covers everything before it and, when FLAG_CUSTOMER is set, the customer's `sub`,
which the token never spells out: only a valid customer JWT for the same sub unlocks it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
from typing import NamedTuple

VERSION = 1
FLAG_CUSTOMER = 0x01
FLAG_UUID_IDS = 0x02
_KNOWN_FLAGS = FLAG_CUSTOMER | FLAG_UUID_IDS
MAX_TOKEN_CHARS = 256
_MAC_BYTES = 32
_HEADER = struct.Struct(">BBI")
_MAX_PAYLOAD_BYTES = MAX_TOKEN_CHARS * 3 // 4
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_MAX_EXPIRY = 2**32 - 1
# Connect's contact ids: lowercase canonical UUIDs, packed as their 16 bytes.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class ResumeTokenError(ValueError):
    """The token cannot be used; the message (for the logs) says why."""


class ResumeGrant(NamedTuple):
    initial_contact_id: str
    latest_contact_id: str
    expires_at: int
    customer_bound: bool


def issue_resume_token(
    key: bytes,
    initial_contact_id: str,
    latest_contact_id: str,
    expires_at: int,
    customer_sub: str | None = None,
) -> str:
    flags = 0 if customer_sub is None else FLAG_CUSTOMER
    if _CANONICAL_UUID.fullmatch(initial_contact_id) and _CANONICAL_UUID.fullmatch(
        latest_contact_id
    ):
        flags |= FLAG_UUID_IDS
        ids = bytes.fromhex((initial_contact_id + latest_contact_id).replace("-", ""))
    else:
        ids = _length_prefixed(initial_contact_id) + _length_prefixed(latest_contact_id)
    if not 0 <= expires_at <= _MAX_EXPIRY:
        raise ResumeTokenError("the expiry does not fit the token")
    body = _HEADER.pack(VERSION, flags, expires_at) + ids
    token_bytes = body + _mac(key, body, customer_sub)
    if len(token_bytes) > _MAX_PAYLOAD_BYTES:
        raise ResumeTokenError("the contact ids are too long for a resume token")
    return base64.urlsafe_b64encode(token_bytes).rstrip(b"=").decode("ascii")


def read_resume_token(
    keys: tuple[bytes, ...], token: str, now: int, customer_sub: str | None = None
) -> ResumeGrant:
    """The grant a valid token carries; ResumeTokenError for anything else."""
    if not 1 <= len(token) <= MAX_TOKEN_CHARS or not _BASE64URL.fullmatch(token):
        raise ResumeTokenError("not a resume token")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise ResumeTokenError("not a resume token") from None
    if len(raw) < _HEADER.size + _MAC_BYTES:
        raise ResumeTokenError("not a resume token")
    body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    version, flags, expires_at = _HEADER.unpack_from(body)
    if version != VERSION or flags & ~_KNOWN_FLAGS:
        raise ResumeTokenError("unknown resume token version")
    customer_bound = bool(flags & FLAG_CUSTOMER)
    if customer_bound and customer_sub is None:
        raise ResumeTokenError("the token belongs to a signed-in customer; no customer token")
    # A token issued without a customer stays usable after the visitor signs in.
    bound_sub = customer_sub if customer_bound else None
    if not any(hmac.compare_digest(_mac(key, body, bound_sub), mac) for key in keys):
        raise ResumeTokenError("bad signature, or another customer's token")
    initial, latest = _contact_ids(body[_HEADER.size :], flags)
    if expires_at <= now:
        raise ResumeTokenError("expired")
    return ResumeGrant(initial, latest, expires_at, customer_bound)


def _mac(key: bytes, body: bytes, customer_sub: str | None) -> bytes:
    message = body if customer_sub is None else body + customer_sub.encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).digest()


def _uuid_text(packed: bytes) -> str:
    h = packed.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _length_prefixed(contact_id: str) -> bytes:
    encoded = contact_id.encode("utf-8")
    if not 1 <= len(encoded) <= 255:
        raise ResumeTokenError("a contact id must be 1 to 255 bytes")
    return bytes([len(encoded)]) + encoded


def _contact_ids(ids: bytes, flags: int) -> tuple[str, str]:
    # Only reached once the MAC matched: the layout below is the API's own.
    if flags & FLAG_UUID_IDS:
        if len(ids) != 32:
            raise ResumeTokenError("not a resume token")
        return _uuid_text(ids[:16]), _uuid_text(ids[16:])
    try:
        first_length = ids[0]
        first = ids[1 : 1 + first_length]
        second_length = ids[1 + first_length]
        second = ids[2 + first_length :]
        if len(first) != first_length or len(second) != second_length or not first or not second:
            raise ResumeTokenError("not a resume token")
        return first.decode("utf-8"), second.decode("utf-8")
    except (IndexError, UnicodeDecodeError):
        raise ResumeTokenError("not a resume token") from None
