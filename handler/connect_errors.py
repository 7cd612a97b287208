"""Maps what boto3 raises from StartChatContact to what the caller may be told.

Nothing from the SDK reaches the client: its messages can name the instance, flow or account.
The detail goes to the logs only.
"""

from __future__ import annotations

from typing import NamedTuple

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from .rejections import ChatRejection, ErrorCode

# LimitExceeded is the concurrent-active-chats quota: it frees up as chats end, slower than a
# request-rate throttle, which refills within a second or two.
RETRY_AFTER_THROTTLED_SECONDS = 2
RETRY_AFTER_CHAT_LIMIT_SECONDS = 30

_INVALID = {"InvalidRequestException", "InvalidParameterException", "ValidationException"}
_THROTTLED = {"TooManyRequestsException", "ThrottlingException", "Throttling"}
_CONFIGURATION = {
    "ResourceNotFoundException",
    "AccessDeniedException",
    "UnrecognizedClientException",
    "ExpiredTokenException",
    "InvalidSignatureException",
}


class ConnectFailure(NamedTuple):
    rejection: ChatRejection
    error_type: str  # a metric dimension: Connect's error code or the SDK exception name
    detail: str  # for the logs only


def connect_failure(error: Exception) -> ConnectFailure | None:
    """The caller-safe answer for an SDK error, or None when it is not one."""
    if isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", "Unknown"))
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        # Validation messages can quote the values sent (display name, attributes): not logged.
        detail = "(message withheld: may quote request values)" if code in _INVALID else str(error)
        return ConnectFailure(_client_error(code, status), code, detail)
    if isinstance(error, (HTTPClientError, BotoConnectionError)):
        return ConnectFailure(_unavailable(), type(error).__name__, str(error))
    if isinstance(error, BotoCoreError):
        return ConnectFailure(_misconfigured(), type(error).__name__, str(error))
    return None


def _client_error(code: str, status: int) -> ChatRejection:
    if code in _INVALID:
        return ChatRejection(
            400, ErrorCode.INVALID_REQUEST, "Amazon Connect refused the chat request as invalid"
        )
    if code in _THROTTLED:
        return _busy(RETRY_AFTER_THROTTLED_SECONDS)
    if code == "LimitExceededException":
        return _busy(RETRY_AFTER_CHAT_LIMIT_SECONDS)
    if code in _CONFIGURATION:
        return _misconfigured()
    if status == 429:
        return _busy(RETRY_AFTER_THROTTLED_SECONDS)
    if 400 <= status < 500:
        return _misconfigured()
    return _unavailable()


def _busy(retry_after: int) -> ChatRejection:
    return ChatRejection(
        429,
        ErrorCode.THROTTLED,
        "Too many chats are starting right now; try again shortly",
        retry_after_seconds=retry_after,
    )


def _misconfigured() -> ChatRejection:
    return ChatRejection(
        500, ErrorCode.CONFIGURATION_ERROR, "The chat service is not configured correctly"
    )


def _unavailable() -> ChatRejection:
    return ChatRejection(
        503, ErrorCode.SERVICE_UNAVAILABLE, "The chat service is unavailable; try again shortly"
    )
