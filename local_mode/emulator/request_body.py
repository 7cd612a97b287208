"""Reading and checking JSON request bodies the way the services' front doors do.

Each helper raises the ServiceError the real service gives for that input, naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .errors import ServiceError

MAX_BODY_BYTES = 1024 * 1024
READ_CHUNK_BYTES = 64 * 1024

ErrorFactory = Callable[[str], ServiceError]


async def read_body(request: web.Request, limit: int) -> bytes | None:
    """The whole body, or None once it is known to exceed `limit` bytes.

    `request.content.read(n)` returns what has arrived so far (often one 64 KB chunk), not n
    bytes, so the body is read to its end here.
    """
    declared = request.content_length
    if declared is not None and declared > limit:
        return None
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.content.iter_chunked(READ_CHUNK_BYTES):
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def too_large() -> ServiceError:
    return ServiceError("RequestEntityTooLargeException", 413, "Request body is too large")


async def read_json_object(request: web.Request, error: ErrorFactory) -> dict[str, Any]:
    raw = await read_body(request, MAX_BODY_BYTES)
    if raw is None:
        raise too_large()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        # RecursionError: the C parser gives up on very deep nesting ([[[[...).
        raise ServiceError(
            "SerializationException", 400, "Could not parse the request body as JSON"
        ) from None
    if not isinstance(body, dict):
        raise error("The request body must be a JSON object")
    return body


def string_field(
    body: dict[str, Any],
    name: str,
    error: ErrorFactory,
    *,
    required: bool = False,
    min_len: int = 0,
    max_len: int | None = None,
) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise error(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise error(f"{name} must be a string")
    if len(value) < min_len or (max_len is not None and len(value) > max_len):
        limit = f"{min_len} to {max_len}" if max_len is not None else f"at least {min_len}"
        raise error(f"{name} must be {limit} characters long")
    return value


def int_field(
    body: dict[str, Any],
    name: str,
    error: ErrorFactory,
    *,
    minimum: int,
    maximum: int,
) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(f"{name} must be an integer")
    if not minimum <= value <= maximum:
        raise error(f"{name} must be between {minimum} and {maximum}")
    return value


def object_field(body: dict[str, Any], name: str, error: ErrorFactory) -> dict[str, Any] | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise error(f"{name} must be an object")
    return value


def list_field(body: dict[str, Any], name: str, error: ErrorFactory) -> list[Any] | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list):
        raise error(f"{name} must be a list")
    return value
