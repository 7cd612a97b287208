"""The start-chat API: HTTP requests turned into API Gateway REST v1 proxy events for the
real `handler.app.lambda_handler`.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType, SimpleNamespace
from typing import Any

from aiohttp import web

from .stack_config import StackConfig

LOG = logging.getLogger("local_mode.api")
STAGE = "local"
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def handler_environment(
    stack: StackConfig, extra_origins: list[str], emulator_url: str, signing_keys: str
) -> dict[str, str]:
    """`signing_keys`: this run's key document (local_mode/local_key.py), never a stack file's."""
    origins = list(dict.fromkeys([*stack.allowed_origins, *extra_origins]))
    return {
        "INSTANCE_ID": stack.instance_id,
        "CONTACT_FLOW_ID": stack.contact_flow_id,
        "ALLOWED_CONTACT_FLOW_IDS": ",".join(stack.extra_contact_flow_ids),
        "ALLOWED_ORIGINS": ",".join(origins),
        "ALLOWED_ATTRIBUTES": ",".join(stack.allowed_attributes),
        "ATTACHMENTS_ENABLED": "true" if stack.attachments_enabled else "false",
        "CHAT_DURATION_IN_MINUTES": str(stack.chat_duration_in_minutes),
        "SIGNING_KEYS": signing_keys,
        "RESUME_TOKEN_DAYS": str(stack.resume_token_days),
        "REQUIRE_CUSTOMER_TOKEN": "true" if stack.require_customer_token else "false",
        "DISCONNECT_ON_CUSTOMER_EXIT": "AGENT" if stack.post_chat_survey else "",
        "AWS_REGION": stack.region,
        "AWS_DEFAULT_REGION": stack.region,
        "AWS_ENDPOINT_URL_CONNECT": emulator_url,
        # The emulator does not check signatures, but boto3 refuses to send unsigned requests.
        "AWS_ACCESS_KEY_ID": "local-mode",
        "AWS_SECRET_ACCESS_KEY": "local-mode",
        "AWS_SESSION_TOKEN": "local-mode",
        "POWERTOOLS_SERVICE_NAME": "connect-chat-local",
        "POWERTOOLS_METRICS_NAMESPACE": "ConnectChatLocal",
        # The deployed function's per-stack metric dimension, named after the stack file read.
        "STACK_NAME": stack.stack,
        "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }


def load_handler(environment: Mapping[str, str]) -> LambdaHandler:
    """Import (or re-import) the handler after its environment is set, as a cold start does.

    The handler reads its settings and builds its Connect client at import time, so a second
    local stack in the same process needs a fresh import to see its own ports.
    """
    os.environ.update(environment)
    forget_handler_modules()
    module = importlib.import_module("handler.app")
    return module.lambda_handler


def forget_handler_modules() -> dict[str, ModuleType]:
    """Drop the imported handler modules (returned), so the next import runs them again."""
    names = [m for m in sys.modules if m == "handler" or m.startswith("handler.")]
    return {name: sys.modules.pop(name) for name in names}


def restore_handler_modules(modules: Mapping[str, ModuleType]) -> None:
    """Put back the handler modules another importer had before local mode started."""
    forget_handler_modules()
    sys.modules.update(modules)


class LambdaContext(SimpleNamespace):
    function_name = "connect-chat-start-chat-local"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:connect-chat-local"

    def get_remaining_time_in_millis(self) -> int:
        return 20_000


async def proxy_event(request: web.Request, body: bytes) -> dict[str, Any]:
    headers: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in request.headers.items():
        headers[name] = value if name not in headers else f"{headers[name]},{value}"
        multi.setdefault(name, []).append(value)
    query = {key: request.query.getall(key) for key in request.query}
    try:
        text: str | None = body.decode("utf-8") if body else None
        is_base64 = False
    except UnicodeDecodeError:
        text, is_base64 = base64.b64encode(body).decode(), True
    request_id = str(uuid.uuid4())
    peer = request.remote or "127.0.0.1"
    return {
        "resource": "/",
        "path": request.path,
        "httpMethod": request.method,
        "headers": headers or None,
        "multiValueHeaders": multi or None,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": None,
        "stageVariables": None,
        "body": text,
        "isBase64Encoded": is_base64,
        "requestContext": {
            "resourcePath": "/",
            "httpMethod": request.method,
            "path": f"/{STAGE}{request.path}",
            "stage": STAGE,
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTimeEpoch": int(time.time() * 1000),
            "protocol": f"HTTP/{request.version.major}.{request.version.minor}",
            "identity": {"sourceIp": peer, "userAgent": request.headers.get("User-Agent")},
            "accountId": "000000000000",
            "apiId": "local",
        },
    }


def http_response(result: Mapping[str, Any]) -> web.Response:
    if not isinstance(result, Mapping) or not isinstance(result.get("statusCode"), int):
        # What API Gateway does with a malformed proxy result.
        return web.json_response({"message": "Internal server error"}, status=502)
    body = result.get("body") or ""
    payload = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
    response = web.Response(status=result["statusCode"], body=payload)
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = str(value)
    for name, values in (result.get("multiValueHeaders") or {}).items():
        for value in values:
            if response.headers.get(name) != str(value):
                response.headers.add(name, str(value))
    return response


class StartChatApi:
    def __init__(self, lambda_handler: LambdaHandler, workers: int = 8) -> None:
        self.lambda_handler = lambda_handler
        # Lambda runs one request per container; a small pool stands in for warm containers.
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lambda")

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_route("*", "/{tail:.*}", self.invoke)
        app.on_cleanup.append(self._shutdown)
        return app

    async def invoke(self, request: web.Request) -> web.Response:
        received = time.perf_counter()
        body = await request.read()
        event = await proxy_event(request, body)
        context = LambdaContext(aws_request_id=str(uuid.uuid4()))
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self.pool, self.lambda_handler, event, context)
        except Exception:
            # What Lambda + API Gateway do with an unhandled error: log it, answer 502.
            LOG.exception("the start-chat handler raised; API Gateway would answer 502")
            return web.json_response({"message": "Internal server error"}, status=502)
        response = http_response(result)
        elapsed_ms = (time.perf_counter() - received) * 1000
        response.headers["Server-Timing"] = f"handler;dur={elapsed_ms:.1f}"
        return response

    async def _shutdown(self, app: web.Application) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
