"""One start-chat invocation: CORS, parsing, validation, the Connect call, the answer."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .config import ChatSettings
from .connect_errors import connect_failure
from .contact_parameters import start_chat_contact_parameters, start_chat_response_data
from .cors import CorsPolicy, OriginVerdict
from .customer_token import (
    CustomerClaims,
    CustomerTokenError,
    UnknownSigningKey,
    bearer_token,
    verify_customer_token,
)
from .observability import ChatMetrics, logger
from .proxy_response import error_response, json_response, preflight_response
from .rejections import ChatRejection, ErrorCode
from .request_body import header, read_json_body
from .resume_token import ResumeTokenError
from .signing_keys import (
    SecretsManagerKeys,
    SigningKeyError,
    SigningKeyProvider,
    SigningKeys,
    SigningKeyUnavailable,
    StaticKeys,
    parse_signing_keys,
)
from .start_chat_request import parse_start_chat_request
from .trusted_start import authorize_start, resume_token_for

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


def _invalid_customer_token() -> ChatRejection:
    return ChatRejection(
        401,
        ErrorCode.INVALID_CUSTOMER_TOKEN,
        "Authorization: the customer token is invalid or expired; get a new one from the "
        "site's backend and send it as 'Authorization: Bearer <jwt>'",
    )


def _customer_token_required() -> ChatRejection:
    return ChatRejection(
        401,
        ErrorCode.INVALID_CUSTOMER_TOKEN,
        "Authorization: this site starts chats for signed-in customers only; send "
        "'Authorization: Bearer <jwt>' signed by the site's backend",
    )


_INTERNAL_ERROR = ChatRejection(500, ErrorCode.INTERNAL_ERROR, "Unexpected error; try again")


def _keys_unavailable() -> ChatRejection:
    return ChatRejection(
        503, ErrorCode.SERVICE_UNAVAILABLE, "The chat service is busy; try again", 2
    )


def _keys_misconfigured() -> ChatRejection:
    return ChatRejection(
        500, ErrorCode.CONFIGURATION_ERROR, "The chat service is not configured correctly"
    )


def key_provider(settings: ChatSettings) -> SigningKeyProvider:
    if settings.signing_keys_document is not None:
        return StaticKeys(parse_signing_keys(settings.signing_keys_document))
    assert settings.signing_secret_arn is not None
    return SecretsManagerKeys(settings.signing_secret_arn)


class StartChatService:
    def __init__(
        self,
        settings: ChatSettings,
        connect_client: ConnectClient,
        keys: SigningKeyProvider | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._cors = CorsPolicy(settings.allowed_origins)
        self._connect = connect_client
        self._keys = keys or key_provider(settings)
        self._clock = clock

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
        parsed = parse_start_chat_request(read_json_body(event), self._settings)
        jwt = self._bearer_token(event)
        now = int(self._clock())
        keys = self._signing_keys()
        claims = self._customer_claims(jwt, keys, now) if jwt is not None else None
        start = authorize_start(parsed, claims, keys, now)
        request = start.request
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
        data = start_chat_response_data(result, request, self._settings)
        contact_id = result.get("ContactId")
        if isinstance(contact_id, str) and contact_id:
            try:
                data["resumeToken"] = resume_token_for(start, contact_id, keys, self._settings, now)
            except ResumeTokenError as error:
                # The chat has started: answer it, without a way to continue it later.
                logger.warning("no resume token for this chat", extra={"detail": str(error)})
        return json_response(200, {"data": data}, cors_headers)

    def _bearer_token(self, event: Mapping[str, Any]) -> str | None:
        token = bearer_token(header(event, "authorization"))
        if token is None and self._settings.require_customer_token:
            raise _customer_token_required()
        return token

    def _signing_keys(self) -> SigningKeys:
        try:
            return self._keys.keys()
        except SigningKeyUnavailable as error:
            logger.error("signing keys unavailable", extra={"detail": str(error)})
            raise _keys_unavailable() from None
        except SigningKeyError as error:
            logger.error("signing keys misconfigured", extra={"detail": str(error)})
            raise _keys_misconfigured() from None

    def _customer_claims(self, token: str, keys: SigningKeys, now: int) -> CustomerClaims:
        try:
            try:
                return verify_customer_token(token, keys.customer_token_keys(), now)
            except UnknownSigningKey:
                # Perhaps the backend already signs with a key rotated in after our cache.
                fresh = self._refreshed_keys()
                if fresh is None or fresh == keys:
                    raise
                return verify_customer_token(token, fresh.customer_token_keys(), now)
        except CustomerTokenError as error:
            logger.info("customer token refused", extra={"detail": str(error)})
            raise _invalid_customer_token() from None

    def _refreshed_keys(self) -> SigningKeys | None:
        try:
            return self._keys.refresh()
        except SigningKeyError as error:
            logger.warning("signing keys refresh failed", extra={"detail": str(error)})
            return None
