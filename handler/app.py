"""Lambda entry point: ``handler.app.lambda_handler`` (API Gateway REST v1 proxy events).

Settings and the Connect client are built once per container, at import. A bad setting does not
fail the import (API Gateway would answer 502 without CORS headers, which browsers report as a
CORS error): every request then gets a JSON 500 CONFIGURATION_ERROR and the log names the setting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .config import ChatSettings, ConfigurationError
from .connect_client import build_connect_client
from .cors import CorsPolicy
from .observability import logger, record_cold_start
from .proxy_response import error_response
from .rejections import ChatRejection, ErrorCode
from .request_body import header
from .service import StartChatService

_service: StartChatService | None = None
_startup_error: str | None = None
try:
    _service = StartChatService(ChatSettings.from_environ(os.environ), build_connect_client())
except ConfigurationError as error:
    _startup_error = str(error)
except Exception as error:  # e.g. botocore's NoRegionError when AWS_REGION is unset
    _startup_error = f"cannot create the Amazon Connect client: {type(error).__name__}: {error}"

_NOT_CONFIGURED = ChatRejection(
    500, ErrorCode.CONFIGURATION_ERROR, "The chat service is not configured correctly"
)


def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
    if not isinstance(event, Mapping):
        event = {}
    record_cold_start(context)
    request_id = _request_id(event, context)
    function_request_id = getattr(context, "aws_request_id", None)
    logger.thread_safe_clear_keys()
    logger.thread_safe_append_keys(request_id=request_id, function_request_id=function_request_id)
    if _service is None:
        logger.error("handler is not configured", extra={"configuration_error": _startup_error})
        # Without valid settings the origin allowlist is unknown: answer without CORS headers.
        return error_response(
            _NOT_CONFIGURED,
            request_id,
            CorsPolicy(frozenset()).response_headers(header(event, "origin")),
        )
    return _service.handle(event, request_id, function_request_id)


def _request_id(event: Mapping[str, Any], context: Any) -> str:
    """API Gateway's request id (it is in the access logs), else the Lambda invocation id."""
    request_context = event.get("requestContext")
    if isinstance(request_context, Mapping):
        value = request_context.get("requestId")
        if isinstance(value, str) and value:
            return value[:128]
    value = getattr(context, "aws_request_id", None)
    return value if isinstance(value, str) and value else "unknown"
