"""The stack's key document, read from moto's Secrets Manager the way the function reads it."""

import base64
import json

import boto3
import pytest
from moto import mock_aws

from handler.signing_keys import (
    REFRESH_AFTER_FAILURE_SECONDS,
    SecretsManagerKeys,
    SigningKeyError,
    SigningKeys,
    SigningKeyUnavailable,
    parse_signing_keys,
)

OLD, NEW, NEWER = b"o" * 32, b"n" * 32, b"w" * 48


def document(current: bytes, previous: bytes | None = None) -> str:
    value = {"current": base64.b64encode(current).decode()}
    if previous is not None:
        value["previous"] = base64.b64encode(previous).decode()
    return json.dumps(value)


@pytest.fixture
def secrets(monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-2")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="eu-west-2")
        arn = client.create_secret(Name="signing", SecretString=document(NEW, OLD))["ARN"]
        yield client, arn


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_reads_current_and_previous_from_the_secret(secrets):
    _, arn = secrets
    assert SecretsManagerKeys(arn).keys() == SigningKeys(NEW, OLD)


def test_the_value_is_cached_and_a_refresh_is_rate_limited(secrets):
    client, arn = secrets
    clock = Clock()
    provider = SecretsManagerKeys(arn, clock=clock)
    assert provider.keys() == SigningKeys(NEW, OLD)
    client.put_secret_value(SecretId=arn, SecretString=document(NEWER, NEW))
    assert provider.keys() == SigningKeys(NEW, OLD)  # cached (Powertools max_age)
    assert provider.refresh() == SigningKeys(NEWER, NEW)
    assert provider.keys() == SigningKeys(NEWER, NEW)
    client.put_secret_value(SecretId=arn, SecretString=document(OLD))
    clock.now += REFRESH_AFTER_FAILURE_SECONDS - 1
    assert provider.refresh() is None  # bad JWTs cannot hammer Secrets Manager
    clock.now += 1
    assert provider.refresh() == SigningKeys(OLD)


def test_an_unchanged_document_is_parsed_once():
    fetched = []

    def fetch(secret_id, force):
        fetched.append(force)
        return document(NEW, OLD)

    provider = SecretsManagerKeys("arn:aws:secretsmanager:eu-west-2:1:secret:s", fetch=fetch)
    first, second = provider.keys(), provider.keys()
    assert first == SigningKeys(NEW, OLD) and second is first
    assert fetched == [False, False]


def test_an_unreadable_secret_is_unavailable_not_misconfigured(secrets):
    _, arn = secrets
    provider = SecretsManagerKeys(arn.replace("signing", "missing"))
    with pytest.raises(SigningKeyUnavailable, match="ResourceNotFoundException"):
        provider.keys()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("not json", "not JSON"),
        ("[]", '{"current"'),
        ('{"previous": "' + base64.b64encode(OLD).decode() + '"}', "no 'current'"),
        ('{"current": "@@@"}', "not valid base64"),
        ('{"current": "' + base64.b64encode(b"short").decode() + '"}', "at least 32 bytes"),
        ('{"current": 5}', "base64 string"),
    ],
)
def test_a_malformed_document_names_the_rule(text, words):
    with pytest.raises(SigningKeyError, match=words) as caught:
        parse_signing_keys(text)
    assert not isinstance(caught.value, SigningKeyUnavailable)


def test_a_start_without_readable_keys_is_503_and_connect_is_not_called(secrets, chat_settings):
    from botocore.stub import Stubber
    from handler_harness import rest_event

    from handler.service import StartChatService

    _, arn = secrets
    connect = boto3.client("connect", region_name="eu-west-2")
    settings = chat_settings._replace(
        signing_keys_document=None, signing_secret_arn=arn.replace("signing", "missing")
    )
    with Stubber(connect) as stubber:
        service = StartChatService(settings, connect)
        event = rest_event(json.dumps({"ParticipantDetails": {"DisplayName": "Ada"}}))
        response = service.handle(event, "req")
        stubber.assert_no_pending_responses()
    assert response["statusCode"] == 503 and response["headers"]["Retry-After"] == "2"
    assert json.loads(response["body"]) == {
        "error": {
            "code": "SERVICE_UNAVAILABLE",
            "message": "The chat service is busy; try again",
            "requestId": "req",
        }
    }


@pytest.mark.parametrize(
    ("environ", "words"),
    [
        ({}, "SIGNING_SECRET_ARN (the stack's signing secret) is required"),
        (
            {
                "SIGNING_SECRET_ARN": "arn:aws:secretsmanager:eu-west-2:1:secret:s",
                "SIGNING_KEYS": "{}",
            },
            "never both",
        ),
        ({"SIGNING_SECRET_ARN": "my-secret"}, "must be a Secrets Manager secret ARN"),
        (
            {"SIGNING_KEYS": '{"current": "AAAA"}'},
            "SIGNING_KEYS: 'current' must decode to at least 32",
        ),
        (
            {"SIGNING_KEYS": document(NEW), "RESUME_TOKEN_DAYS": "0"},
            "RESUME_TOKEN_DAYS must be a whole number from 1 to 365",
        ),
        (
            {"SIGNING_KEYS": document(NEW), "CHAT_DURATION_IN_MINUTES": "20000"},
            "CHAT_DURATION_IN_MINUTES must be a whole number from 60 to 10080",
        ),
        (
            {"SIGNING_KEYS": document(NEW), "REQUIRE_CUSTOMER_TOKEN": "maybe"},
            "REQUIRE_CUSTOMER_TOKEN must be 'true' or 'false'",
        ),
    ],
)
def test_the_key_source_and_limits_are_checked_at_startup(environ, words):
    from handler.config import ChatSettings, ConfigurationError

    base = {"INSTANCE_ID": "i", "CONTACT_FLOW_ID": "f"}
    with pytest.raises(ConfigurationError, match=words.replace("(", r"\(").replace(")", r"\)")):
        ChatSettings.from_environ({**base, **environ})
