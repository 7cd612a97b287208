"""AWS error responses, shaped as the rest-json protocol returns them.

boto3 and the JavaScript SDK that ChatJS bundles read the error code from the
`x-amzn-ErrorType` header (falling back to the body) and the message from the body's
`Message`/`message`, so both are set on every error.
"""

from __future__ import annotations

import json
import uuid

from aiohttp import web


class ServiceError(Exception):
    """An error the real Connect or Participant Service would return."""

    def __init__(self, code: str, status: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message

    def to_response(self) -> web.Response:
        request_id = str(uuid.uuid4())
        return web.Response(
            status=self.status,
            text=json.dumps({"Message": self.message, "message": self.message}),
            content_type="application/json",
            headers={"x-amzn-ErrorType": self.code, "x-amzn-RequestId": request_id},
        )


def access_denied(message: str = "Access denied") -> ServiceError:
    return ServiceError("AccessDeniedException", 403, message)


def validation(message: str) -> ServiceError:
    return ServiceError("ValidationException", 400, message)


def invalid_parameter(message: str) -> ServiceError:
    return ServiceError("InvalidParameterException", 400, message)


def invalid_request(message: str) -> ServiceError:
    return ServiceError("InvalidRequestException", 400, message)


def resource_not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", 404, message)


def conflict(message: str) -> ServiceError:
    return ServiceError("ConflictException", 409, message)


# Status codes of the errors a test can inject with POST /_emulator/faults.
INJECTABLE_ERRORS: dict[str, int] = {
    "ThrottlingException": 429,
    "TooManyRequestsException": 429,
    "LimitExceededException": 429,
    "ServiceQuotaExceededException": 402,
    "InternalServiceException": 500,
    "InternalServerException": 500,
    "InvalidRequestException": 400,
    "InvalidParameterException": 400,
    "ResourceNotFoundException": 404,
    "AccessDeniedException": 403,
    "ValidationException": 400,
}
