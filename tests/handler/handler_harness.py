"""What the start-chat handler tests share: the test environment, API Gateway events, Lambda
contexts, a recording Connect client and a fresh cold-start import of `handler.app`.

A module of its own, not conftest.py: tests/local_mode and tests/e2e have conftest modules too,
and with pytest's default import mode `from conftest import ...` gets whichever folder's
conftest was loaded last (e.g. `pytest tests/handler tests/local_mode` failed to collect).
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import io
import json
import logging
import os
import sys
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from hypothesis import HealthCheck, settings

INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
CONTACT_FLOW_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
EXTRA_FLOW_ID = "ffffffff-0000-1111-2222-333333333333"
ALLOWED_ORIGIN = "https://www.example.com"
OTHER_ALLOWED_ORIGIN = "http://127.0.0.1:8083"
ALLOWED_ATTRIBUTES = ("topic", "customer-tier", "order_id")

# The test stack's key document (SIGNING_KEYS): fixed, so failures reproduce; never a real key.
CURRENT_KEY = bytes(range(32))
PREVIOUS_KEY = bytes(range(100, 132))
SIGNING_KEYS_DOCUMENT = json.dumps(
    {
        "current": base64.b64encode(CURRENT_KEY).decode(),
        "previous": base64.b64encode(PREVIOUS_KEY).decode(),
    }
)

HANDLER_ENV = {
    "INSTANCE_ID": INSTANCE_ID,
    "CONTACT_FLOW_ID": CONTACT_FLOW_ID,
    "ALLOWED_CONTACT_FLOW_IDS": EXTRA_FLOW_ID,
    "ALLOWED_ORIGINS": f"{ALLOWED_ORIGIN}, {OTHER_ALLOWED_ORIGIN}",
    "ALLOWED_ATTRIBUTES": ",".join(ALLOWED_ATTRIBUTES),
    "ATTACHMENTS_ENABLED": "true",
    "SIGNING_KEYS": SIGNING_KEYS_DOCUMENT,
    "AWS_REGION": "eu-west-2",
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "fake-secret",
    "POWERTOOLS_SERVICE_NAME": "connect-chat-test",
    "POWERTOOLS_METRICS_NAMESPACE": "ConnectChatTest",
    "POWERTOOLS_LOG_LEVEL": "INFO",
    "STACK_NAME": "test-stack",
}
# Switches another suite or a developer's shell may have set; they would silence what we assert.
POWERTOOLS_SWITCHES = ("POWERTOOLS_METRICS_DISABLED", "POWERTOOLS_DEV")
# The modules that read the environment at import: a cold start builds them afresh.
ENVIRONMENT_BOUND_MODULES = ("handler.app", "handler.service", "handler.observability")

# A few thousand hostile examples in total across tests/handler/test_handler_hostile.py.
settings.register_profile(
    "handler",
    max_examples=700,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "handler-ci",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HOSTILE_PROFILE = "handler-ci" if os.environ.get("CI") == "true" else "handler"


def lambda_context(request_id: str = "lambda-req-1") -> SimpleNamespace:
    return SimpleNamespace(
        aws_request_id=request_id,
        function_name="start-chat",
        memory_limit_in_mb=256,
        invoked_function_arn="arn:aws:lambda:eu-west-2:123456789012:function:start-chat",
    )


def rest_event(
    body: str | None = None,
    *,
    method: str = "POST",
    origin: str | None = ALLOWED_ORIGIN,
    content_type: str | None = "text/plain;charset=UTF-8",
    base64: bool = False,
    extra_headers: dict[str, str] | None = None,
    request_id: str = "apigw-req-1",
) -> dict[str, Any]:
    headers: dict[str, str] = {}
    if origin is not None:
        headers["origin"] = origin
    if content_type is not None:
        headers["content-type"] = content_type
    headers.update(extra_headers or {})
    return {
        "resource": "/",
        "path": "/",
        "httpMethod": method,
        "headers": headers or None,
        "multiValueHeaders": {k: [v] for k, v in headers.items()} or None,
        "queryStringParameters": None,
        "requestContext": {"requestId": request_id, "stage": "prod", "httpMethod": method},
        "body": body,
        "isBase64Encoded": base64,
    }


class RecordingConnect:
    """A real botocore Connect client whose HTTP send is replaced by a canned success.

    botocore still validates every parameter against the Connect model before "sending", so a
    request our validation lets through but Connect would refuse fails the test.
    """

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.client = boto3.client(
            "connect",
            region_name="eu-west-2",
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="fake-secret",
        )
        self.client.meta.events.register(
            "provide-client-params.connect.StartChatContact", self._record
        )
        self.client.meta.events.register("before-send.connect.StartChatContact", self._answer)

    def _record(self, params: dict[str, Any], **_: Any) -> None:
        self.calls.append(dict(params))

    def _answer(self, request: Any, **_: Any) -> AWSResponse:
        body = b'{"ContactId":"c-1","ParticipantId":"p-1","ParticipantToken":"secret-token"}'
        return AWSResponse(request.url, 200, {"Content-Type": "application/json"}, _Raw(body))


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, *_: Any) -> bytes:
        return self._body


def fresh_handler_app() -> Any:
    """Import `handler.app` as a cold start does, with the current environment.

    Its logger and metrics module too: whoever imported handler.observability first (this
    folder's collection, or local mode with its own service name and namespace) fixed its
    settings for everyone after.
    """
    for name in ENVIRONMENT_BOUND_MODULES:
        sys.modules.pop(name, None)
    return importlib.import_module("handler.app")


@contextlib.contextmanager
def handler_modules_restored() -> Iterator[None]:
    """Afterwards, later importers (local mode's tests) get back the modules they had."""
    saved = {name: sys.modules.get(name) for name in ENVIRONMENT_BOUND_MODULES}
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
                # `from handler import observability` reads the package attribute first.
                setattr(sys.modules["handler"], name.rpartition(".")[2], module)


class LogLines:
    """The handler's JSON log lines, as Powertools formats them."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self._stream.getvalue().splitlines() if line]

    def text(self) -> str:
        return self._stream.getvalue()


class LogTee(logging.Handler):
    """Copies each record as the handler's own Powertools formatter renders it."""

    def __init__(self, stream: io.StringIO) -> None:
        super().__init__()
        self._stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        # Looked up per record: the Powertools handler is attached when handler.observability
        # is first imported with this service name, which may happen after the tee.
        powertools = next(h for h in logging.getLogger(record.name).handlers if h is not self)
        assert powertools.formatter is not None
        self._stream.write(powertools.formatter.format(record) + "\n")


def all_emf_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith('{"_aws"')]


def emf_lines(text):
    """The handler's own metric sets: without the container's one ColdStart line."""
    return [emf for emf in all_emf_lines(text) if "ColdStart" not in emf]
