"""One start-chat invocation: CORS, parsing, validation, the Connect call, the answer."""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .config import ChatSettings
from .connect_errors import connect_failure
from .contact_parameters import start_chat_contact_parameters, start_chat_response_data
from .cors import CorsPolicy, OriginVerdict
from .observability import ChatMetrics, logger
from .proxy_response import error_response, json_response, preflight_response
from .rejections import ChatRejection, ErrorCode
from .request_body import header, read_json_body
from .start_chat_request import parse_start_chat_request

if TYPE_CHECKING:  # types only: the Lambda runtime has no stubs
    from mypy_boto3_connect import ConnectClient


# Fresh instances per raise: re-raising one shared exception object from several threads would
# share (and grow) its traceback.
def _forbidden_origin() -> ChatRejection:
    return ChatRejection(
        403,
        ErrorCode.FORBIDDEN_ORIGIN,
        "This site is not allowed to start chats (ALLOWED_ORIGINS)",
    )


_INTERNAL_ERROR = ChatRejection(500, ErrorCode.INTERNAL_ERROR, "Unexpected error; try again")


class StartChatService:
    def __init__(self, settings: ChatSettings, connect_client: ConnectClient) -> None:
        self._settings = settings
        self._cors = CorsPolicy(settings.allowed_origins)
        self._connect = connect_client

    def handle(
        self,
        event: Mapping[str, Any],
        request_id: str,
        function_request_id: str | None = None,
    ) -> dict[str, Any]:
        origin = header(event, "origin")
        cors_headers = self._cors.response_headers(origin)
        metrics = ChatMetrics(request_id, function_request_id)
        try:
            return self._dispatch(event, origin, cors_headers, metrics, request_id)
        except ChatRejection as rejection:
            logger.info(
                "start-chat request rejected",
                extra={"status": rejection.status, "reason": rejection.code.value},
            )
            metrics.rejected(rejection.code.value)
            if rejection.code is ErrorCode.FORBIDDEN_ORIGIN:
                cors_headers = self._cors.refusal_headers()
            return error_response(rejection, request_id, cors_headers)
        except Exception as error:
            # The stack without the exception's message: a message can quote what the client
            # sent (a decode error quotes the character), and client values are never logged.
            logger.error(
                "start-chat request failed unexpectedly",
                extra={
                    "exception_name": type(error).__name__,
                    "stack": "".join(traceback.format_tb(error.__traceback__)),
                },
            )
            metrics.rejected(ErrorCode.INTERNAL_ERROR.value)
            return error_response(_INTERNAL_ERROR, request_id, cors_headers)
        finally:
            metrics.flush()

    def _dispatch(
        self,
        event: Mapping[str, Any],
        origin: str | None,
        cors_headers: dict[str, str],
        metrics: ChatMetrics,
        request_id: str,
    ) -> dict[str, Any]:
        verdict = self._cors.verdict(origin)
        method = event.get("httpMethod")
        if method == "OPTIONS":
            # A refused origin's preflight passes too, so that its POST's 403 reaches the page.
            if origin is None:
                return preflight_response(cors_headers)
            return preflight_response(self._cors.preflight_headers(origin))
        if method != "POST":
            raise ChatRejection(405, ErrorCode.METHOD_NOT_ALLOWED, "Use POST to start a chat")
        if verdict is OriginVerdict.FORBIDDEN:
            raise _forbidden_origin()
        request = parse_start_chat_request(read_json_body(event), self._settings)
        params = start_chat_contact_parameters(request, self._settings)
        try:
            result = self._connect.start_chat_contact(**params)
        except Exception as error:
            failure = connect_failure(error, request.client_contact_field)
            if failure is None:
                raise
            logger.warning(
                "StartChatContact failed",
                extra={
                    "connect_error": failure.error_type,
                    "detail": failure.detail,
                    "status": failure.rejection.status,
                    "client_caused": failure.client_caused,
                },
            )
            if failure.client_caused:
                metrics.client_contact_not_found()
            else:
                metrics.connect_error(failure.error_type)
            return error_response(failure.rejection, request_id, cors_headers)
        # The chat's record goes out with the metric set: one line per started chat.
        metrics.chat_started(result.get("ContactId"), request.contact_flow_id)
        return json_response(
            200, {"data": start_chat_response_data(result, request, self._settings)}, cors_headers
        )
