"""Turns an API Gateway REST (v1) event body into the JSON object the clients meant to send.

The clients disagree on Content-Type: the prebuilt widget sends JSON as text/plain (no
preflight), jQuery's default is x-www-form-urlencoded around a raw JSON string, others send
application/json. The body is therefore parsed as JSON whatever the header says.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from .rejections import ChatRejection, ErrorCode, invalid

MAX_BODY_BYTES = 16 * 1024


def header(event: Mapping[str, Any], name: str) -> str | None:
    """A request header, case-insensitively: REST v1 events keep the client's spelling."""
    headers = event.get("headers")
    if not isinstance(headers, Mapping):
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == wanted and isinstance(value, str):
            return value
    return None


def read_json_body(event: Mapping[str, Any]) -> dict[str, Any]:
    raw = _body_bytes(event)
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid("body", "must be UTF-8 encoded JSON") from None
    if not text.strip():
        raise invalid("body", "is empty; send a JSON object") from None
    payload = _parse_json(text)
    escapes_possible = "\\u" in text
    if payload is _NOT_JSON and _is_form(event):
        payload = _parse_form_wrapped_json(text)
        escapes_possible = True
    if payload is _NOT_JSON:
        raise invalid("body", "is not valid JSON")
    if not isinstance(payload, dict):
        raise invalid("body", "must be a JSON object")
    if escapes_possible:
        reject_lone_surrogates(payload, "body")
    return payload


def parse_embedded_json(text: str, field: str) -> Any:
    """JSON carried inside a string field (string-form `Attributes`), held to the body's rules.

    Its escapes are decoded only here, after the body's own check, so they are checked here.
    """
    value = _parse_json(text)
    if value is _NOT_JSON:
        raise invalid(field, "a string value must hold a JSON object")
    if "\\u" in text:
        reject_lone_surrogates(value, field)
    return value


def reject_lone_surrogates(value: Any, field: str) -> None:
    """A JSON escape such as "\\ud800" yields a lone surrogate, which Connect cannot store.

    Every place that decodes JSON text calls this, so each answers 400, never a 500 later on.
    """
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        raise invalid(field, "is nested too deeply") from None
    except UnicodeEncodeError:
        raise invalid(field, "contains an invalid Unicode escape (lone surrogate)") from None


_NOT_JSON = object()


def _is_form(event: Mapping[str, Any]) -> bool:
    return "application/x-www-form-urlencoded" in (header(event, "content-type") or "").lower()


def _parse_json(text: str) -> Any:
    try:
        return _DECODER.decode(text)
    except (ValueError, RecursionError):
        # RecursionError: deeply nested arrays; both mean "not a body we accept".
        return _NOT_JSON


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# Built once: json.loads with any keyword argument constructs a new decoder on every call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _parse_form_wrapped_json(text: str) -> Any:
    """JSON that a form encoder escaped: either the whole body, or a lone key with no value.

    Percent-escapes must decode as UTF-8, as a plain body must: by default urllib would
    silently turn bytes that are not into U+FFFD and send Connect something the client
    never wrote.
    """
    try:
        candidate = _parse_json(unquote_plus(text, errors="strict"))
    except UnicodeDecodeError:
        raise invalid("body", "must be UTF-8 encoded JSON") from None
    if candidate is not _NOT_JSON:
        return candidate
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True, errors="strict")
    except ValueError:  # UnicodeDecodeError included; the whole body decoded above
        return _NOT_JSON
    if len(pairs) == 1 and pairs[0][1] == "":
        return _parse_json(pairs[0][0])
    return _NOT_JSON


def _body_bytes(event: Mapping[str, Any]) -> bytes:
    body = event.get("body")
    if body is None:
        raise invalid("body", "is missing; send a JSON object")
    if not isinstance(body, str):
        raise invalid("body", "must be a string")
    if event.get("isBase64Encoded") is True:
        # Checked before decoding so an oversized body costs nothing to refuse.
        if len(body) > (MAX_BODY_BYTES * 4) // 3 + 4:
            raise _too_large()
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise invalid("body", "is marked base64 but is not valid base64") from None
    if len(body) > MAX_BODY_BYTES:
        raise _too_large()
    try:
        return body.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid("body", "must be UTF-8 encoded JSON") from None


def _too_large() -> ChatRejection:
    return ChatRejection(
        413, ErrorCode.PAYLOAD_TOO_LARGE, f"body: must be at most {MAX_BODY_BYTES} bytes"
    )
