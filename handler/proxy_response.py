"""API Gateway REST (v1) proxy responses: always a JSON body, so every client can read it."""

from __future__ import annotations

import json
from typing import Any

from .rejections import ChatRejection

# The body carries a ParticipantToken, a credential: no cache may keep it.
_BASE_HEADERS = {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
# Built once: json.dumps with any keyword argument constructs a new encoder on every call.
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))


def json_response(status: int, body: Any, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {**_BASE_HEADERS, **headers},
        "body": _COMPACT_JSON.encode(body),
        "isBase64Encoded": False,
    }


def error_response(
    rejection: ChatRejection, request_id: str, headers: dict[str, str]
) -> dict[str, Any]:
    if rejection.retry_after_seconds is not None:
        headers = {**headers, "Retry-After": str(rejection.retry_after_seconds)}
    body = {
        "error": {
            "code": rejection.code.value,
            "message": rejection.message,
            "requestId": request_id,
        }
    }
    return json_response(rejection.status, body, headers)


def preflight_response(headers: dict[str, str]) -> dict[str, Any]:
    # 200 with "{}" rather than 204: any 2xx passes a preflight, and callers that parse every
    # answer as JSON (as the prebuilt widget does for POSTs) never meet an empty body.
    return json_response(200, {}, headers)
