"""Maps what boto3 raises from StartChatContact to what the caller may be told.

Nothing from the SDK reaches the client: its messages can name the instance, flow or account.
The detail goes to the logs only, and only when it cannot quote a value the client sent.

ResourceNotFoundException is the stack's configuration (a deleted flow, a wrong instance) unless
the request named a contact of its own (PersistentChat.SourceContactId, RelatedContactId):
Connect's answer does not say which id it could not find, so such a request is the client's
(a 4xx and a metric of its own). A client can then never raise the configuration-error metric
at will, and a real configuration error still shows on every request that names no contact.
"""

from __future__ import annotations

from typing import NamedTuple

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError, ParamValidationError
from botocore.exceptions import ConnectionError as BotoConnectionError

from .rejections import ChatRejection, ErrorCode

# LimitExceeded is the concurrent-active-chats quota: it frees up as chats end, slower than a
# request-rate throttle, which refills within a second or two.
RETRY_AFTER_THROTTLED_SECONDS = 2
RETRY_AFTER_CHAT_LIMIT_SECONDS = 30

_INVALID = {"InvalidRequestException", "InvalidParameterException", "ValidationException"}
_THROTTLED = {"TooManyRequestsException", "ThrottlingException", "Throttling"}
_NOT_FOUND = "ResourceNotFoundException"
_CONFIGURATION = {
    _NOT_FOUND,
    "AccessDeniedException",
    "UnrecognizedClientException",
    "ExpiredTokenException",
    "InvalidSignatureException",
}


# Connect's messages that can only name the stack's own settings (instance, flow, role) or
# nothing at all. Any other message (validation, conflicts, new codes) may quote a value the
# client sent, which is never logged.
_MESSAGE_LOGGED = (
    _CONFIGURATION | _THROTTLED | {"LimitExceededException", "InternalServiceException"}
)
WITHHELD = "(message withheld: may quote request values)"


class ConnectFailure(NamedTuple):
    rejection: ChatRejection
    error_type: str  # a metric dimension: Connect's error code or the SDK exception name
    detail: str  # for the logs only
    client_caused: bool = False  # the request named a contact Connect does not have


def connect_failure(
    error: Exception, client_contact_field: str | None = None
) -> ConnectFailure | None:
    """The caller-safe answer for an SDK error, or None when it is not one.

    `client_contact_field` names the request's own contact id field, if it sent one.
    """
    if isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", "Unknown"))
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code == _NOT_FOUND and client_contact_field is not None:
            return ConnectFailure(_contact_not_found(client_contact_field), code, WITHHELD, True)
        detail = str(error) if code in _MESSAGE_LOGGED else WITHHELD
        return ConnectFailure(_client_error(code, status), code, detail)
    if isinstance(error, (HTTPClientError, BotoConnectionError)):
        return ConnectFailure(_unavailable(), type(error).__name__, str(error))
    if isinstance(error, BotoCoreError):
        # Parameter validation quotes the offending value.
        detail = WITHHELD if isinstance(error, ParamValidationError) else str(error)
        return ConnectFailure(_misconfigured(), type(error).__name__, detail)
    return None


def _contact_not_found(field: str) -> ChatRejection:
    return ChatRejection(
        400,
        ErrorCode.CONTACT_NOT_FOUND,
        f"{field}: Amazon Connect has no such contact (it may have expired); "
        f"start a new chat without {field.split('.')[0]}",
    )


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
