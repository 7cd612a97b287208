"""The real wire path: handler.app's module-scope client talks HTTP to a loopback fake Connect
through AWS_ENDPOINT_URL_CONNECT, including error answers, retries and timeouts."""

import itertools
import json
import socket

import pytest
from handler_harness import (
    ALLOWED_ORIGIN,
    CONTACT_FLOW_ID,
    HANDLER_ENV,
    INSTANCE_ID,
    fresh_handler_app,
    handler_modules_restored,
    lambda_context,
    rest_event,
)

from handler.connect_client import build_connect_client, connect_client_config
from handler.service import StartChatService

WIDGET_BODY = json.dumps(
    {
        "InstanceId": INSTANCE_ID,
        "ContactFlowId": CONTACT_FLOW_ID,
        "ParticipantDetails": {"DisplayName": "Ada"},
        "Attributes": {"topic": "Billing"},
        "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
    }
)


def invoke(app, body=WIDGET_BODY, **event_fields):
    response = app.lambda_handler(rest_event(body, **event_fields), lambda_context())
    return response, json.loads(response["body"])


def test_chat_starts_over_http_with_server_chosen_ids(handler_app, fake_connect):
    response, body = invoke(handler_app)
    assert response["statusCode"] == 200
    result = body["data"]["startChatResult"]
    assert {"ContactId", "ParticipantId", "ParticipantToken"} <= set(result)
    assert body["data"]["featurePermissions"] == {"MESSAGING_MARKDOWN": True, "ATTACHMENTS": True}
    [sent] = fake_connect.received
    assert (sent.method, sent.path) == ("PUT", "/contact/chat")
    assert sent.body["InstanceId"] == INSTANCE_ID
    assert sent.body["ContactFlowId"] == CONTACT_FLOW_ID
    assert sent.body["Attributes"] == {"topic": "Billing", "customerName": "Ada"}
    assert sent.body["ClientToken"]  # filled by the SDK when the client sent none
    assert sent.headers["Authorization"].startswith("AWS4-HMAC-SHA256")
    assert "/eu-west-2/connect/" in sent.headers["Authorization"]


def test_transient_errors_are_retried_with_the_same_client_token(handler_app, fake_connect):
    fake_connect.fail(500, "InternalServiceException", times=2)
    response, _ = invoke(handler_app)
    assert response["statusCode"] == 200
    assert len(fake_connect.received) == 3
    assert len({r.body["ClientToken"] for r in fake_connect.received}) == 1


def test_client_token_from_the_caller_is_forwarded(handler_app, fake_connect):
    body = json.dumps({"ParticipantDetails": {"DisplayName": "Ada"}, "ClientToken": "mine-1"})
    invoke(handler_app, body)
    assert fake_connect.received[0].body["ClientToken"] == "mine-1"


def test_persistent_throttling_is_429_with_retry_after_after_bounded_attempts(
    handler_app, fake_connect
):
    fake_connect.fail(429, "ThrottlingException", times=10)
    response, body = invoke(handler_app)
    assert response["statusCode"] == 429 and body["error"]["code"] == "THROTTLED"
    assert int(response["headers"]["Retry-After"]) > 0
    assert response["headers"]["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert len(fake_connect.received) == 3


@pytest.mark.parametrize(
    ("status", "error_type", "expected_status", "expected_code"),
    [
        (404, "ResourceNotFoundException", 500, "CONFIGURATION_ERROR"),
        (400, "InvalidParameterException", 400, "INVALID_REQUEST"),
        (400, "InvalidRequestException", 400, "INVALID_REQUEST"),
        (429, "LimitExceededException", 429, "THROTTLED"),
    ],
)
def test_connect_error_answers_over_http(
    handler_app, fake_connect, status, error_type, expected_status, expected_code
):
    fake_connect.fail(status, error_type, times=3)
    response, body = invoke(handler_app)
    assert (response["statusCode"], body["error"]["code"]) == (expected_status, expected_code)
    assert "fake" not in response["body"] and error_type not in response["body"]


def test_read_timeout_is_503_after_bounded_attempts(chat_settings, monkeypatch, fake_connect):
    from bench._fake_connect import ScriptedAnswer

    monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", fake_connect.url)
    for name in ("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, HANDLER_ENV[name])
    client = build_connect_client(connect_client_config(max_attempts=2, read_timeout=0.2))
    fake_connect.script(*[ScriptedAnswer(200, {}, delay_seconds=1.0)] * 2)
    response = StartChatService(chat_settings, client).handle(rest_event(WIDGET_BODY), "r")
    assert response["statusCode"] == 503
    assert json.loads(response["body"])["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert len(fake_connect.received) == 2


def test_unreachable_connect_is_503(chat_settings, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", f"http://127.0.0.1:{closed_port}")
    for name in ("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, HANDLER_ENV[name])
    client = build_connect_client(connect_client_config(max_attempts=1))
    response = StartChatService(chat_settings, client).handle(rest_event(WIDGET_BODY), "r")
    assert response["statusCode"] == 503


LAMBDA_TIMEOUT_SECONDS = 10  # components/start_chat_function.py


def worst_case_seconds(config) -> float:
    """Longest one call can take: every mix of timed-out and throttled attempts.

    botocore's standard mode waits up to 0.05 s x 2^i after a timeout and up to 1 s x 2^i
    after a throttle (which itself answers at once), before attempt i + 2.
    """
    attempts = config.retries["total_max_attempts"]
    per_timeout = config.connect_timeout + config.read_timeout
    worst = 0.0
    for outcomes in itertools.product(("timeout", "throttle"), repeat=attempts):
        total = 0.0
        for i, outcome in enumerate(outcomes):
            total += per_timeout if outcome == "timeout" else 0.0
            if i < attempts - 1:
                total += (0.05 if outcome == "timeout" else 1.0) * 2**i
        worst = max(worst, total)
    return worst


def test_client_worst_case_stays_well_under_the_lambda_and_api_gateway_timeouts():
    config = connect_client_config()
    assert config.retries["mode"] == "standard"
    assert config.retries["total_max_attempts"] >= 2
    assert worst_case_seconds(config) <= LAMBDA_TIMEOUT_SECONDS - 2 < 29


def test_client_is_created_once_per_container(handler_app, monkeypatch):
    import boto3

    created = []
    monkeypatch.setattr(boto3, "client", lambda *a, **k: created.append(a))
    for _ in range(3):
        invoke(handler_app)
    assert created == []


@pytest.mark.parametrize(
    ("missing", "bad"),
    [
        ("INSTANCE_ID", {}),
        (None, {"ATTACHMENTS_ENABLED": "maybe"}),
        (None, {"ALLOWED_ORIGINS": "*"}),
        (None, {"ALLOWED_ATTRIBUTES": "topic,bad key"}),
    ],
)
def test_bad_settings_give_json_500_and_a_log_naming_the_setting(
    monkeypatch, handler_logs, missing, bad
):
    for name, value in HANDLER_ENV.items():
        monkeypatch.setenv(name, value)
    if missing:
        monkeypatch.delenv(missing)
    for name, value in bad.items():
        monkeypatch.setenv(name, value)
    with handler_modules_restored():
        response, body = invoke(fresh_handler_app())
    assert response["statusCode"] == 500 and body["error"]["code"] == "CONFIGURATION_ERROR"
    assert body["error"]["requestId"] == "apigw-req-1"
    setting = missing or next(iter(bad))
    [record] = handler_logs.records()
    assert setting in record["configuration_error"] and record["level"] == "ERROR"
    assert setting not in response["body"]
