"""The one exception type every refusal becomes, and the machine codes the clients see."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_REQUEST = "INVALID_REQUEST"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    FORBIDDEN_ORIGIN = "FORBIDDEN_ORIGIN"
    FORBIDDEN_INSTANCE = "FORBIDDEN_INSTANCE"
    FORBIDDEN_CONTACT_FLOW = "FORBIDDEN_CONTACT_FLOW"
    ATTRIBUTE_NOT_ALLOWED = "ATTRIBUTE_NOT_ALLOWED"
    CONTACT_NOT_FOUND = "CONTACT_NOT_FOUND"
    PERSISTENT_CHAT_NOT_AUTHORIZED = "PERSISTENT_CHAT_NOT_AUTHORIZED"
    INVALID_CUSTOMER_TOKEN = "INVALID_CUSTOMER_TOKEN"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    THROTTLED = "THROTTLED"
    CONFIGURATION_ERROR = "CONFIGURATION_ERROR"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"


class ChatRejection(Exception):
    """A request the API refuses, with what the caller may be told about it."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        retry_after_seconds: int | None = None,
    ) -> None:
        super().__init__(status, code, message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after_seconds = retry_after_seconds

    def __str__(self) -> str:
        return f"{self.status} {self.code.value}: {self.message}"


def invalid(field: str, reason: str) -> ChatRejection:
    return ChatRejection(400, ErrorCode.INVALID_REQUEST, f"{field}: {reason}")
