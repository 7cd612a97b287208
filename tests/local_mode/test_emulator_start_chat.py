"""StartChatContact through unmodified boto3, with the real service's constraints and errors."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError
from local_mode_clients import DEV, connect_client, error_code, start_chat


def raw_put(stack: Any, body: bytes, signed: bool = True) -> tuple[int, dict[str, str], Any]:
    headers = {"Content-Type": "application/json"}
    if signed:
        headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-2/connect"
    request = urllib.request.Request(
        stack.emulator_url + "/contact/chat", data=body, headers=headers, method="PUT"
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_start_chat_returns_contact_participant_and_token(local):
    result = start_chat(local, Attributes={"topic": "Billing"})
    assert result["ContactId"] and result["ParticipantId"] and result["ParticipantToken"]
    assert "ContinuedFromContactId" not in result
    contacts = json.loads(urllib.request.urlopen(local.emulator_url + "/_emulator/contacts").read())
    listed = next(c for c in contacts["contacts"] if c["ContactId"] == result["ContactId"])
    assert listed["Attributes"] == {"topic": "Billing"}
    assert listed["ContactFlowId"] == DEV.contact_flow_id
    assert listed["State"] == "INITIATED"


def test_same_client_token_returns_the_same_chat(local):
    first = start_chat(local, ClientToken="retry-1")
    second = start_chat(local, ClientToken="retry-1")
    assert first["ContactId"] == second["ContactId"]
    assert first["ParticipantToken"] == second["ParticipantToken"]


@pytest.mark.parametrize(
    ("fields", "code", "status"),
    [
        ({"InstanceId": "not-our-instance"}, "ResourceNotFoundException", 404),
        ({"ContactFlowId": "not-a-flow"}, "ResourceNotFoundException", 404),
        ({"Attributes": {"bad key!": "x"}}, "InvalidParameterException", 400),
        ({"Attributes": {"k": "v" * 32767, "k2": "v" * 10}}, "InvalidParameterException", 400),
        ({"SupportedMessagingContentTypes": ["text/markdown"]}, "InvalidRequestException", 400),
        (
            {"SupportedMessagingContentTypes": ["text/plain", "image/png"]},
            "InvalidParameterException",
            400,
        ),
        (
            {"InitialMessage": {"ContentType": "text/plain", "Content": "x" * 1025}},
            "InvalidParameterException",
            400,
        ),
        (
            {"InitialMessage": {"ContentType": "application/json", "Content": "{}"}},
            "InvalidParameterException",
            400,
        ),
        ({"ChatDurationInMinutes": 10081}, "InvalidParameterException", 400),
        (
            {"PersistentChat": {"RehydrationType": "FROM_SEGMENT", "SourceContactId": "nope"}},
            "InvalidRequestException",
            400,
        ),
        (
            {
                "PersistentChat": {"RehydrationType": "FROM_SEGMENT", "SourceContactId": "x"},
                "RelatedContactId": "y",
            },
            "InvalidRequestException",
            400,
        ),
    ],
)
def test_invalid_requests_get_the_services_error(local, fields, code, status):
    with pytest.raises(ClientError) as excinfo:
        start_chat(local, **fields)
    assert error_code(excinfo) == (code, status)
    assert excinfo.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "SerializationException"),
        (b"[]", "InvalidParameterException"),
        (b'{"InstanceId": ""}', "InvalidParameterException"),
        (b'{"InstanceId": "i", "ContactFlowId": "f"}', "InvalidParameterException"),
        (b'{"ChatDurationInMinutes": 59}', "InvalidParameterException"),
    ],
)
def test_malformed_bodies_get_400_with_error_type(local, body, code):
    status, headers, payload = raw_put(local, body)
    assert status == 400
    assert headers["x-amzn-ErrorType"] == code
    assert payload["Message"]


def test_unsigned_request_is_refused_like_aws(local):
    status, headers, _ = raw_put(local, b"{}", signed=False)
    assert status == 403
    assert headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("ThrottlingException", 429),
        ("LimitExceededException", 429),
        ("InternalServiceException", 500),
    ],
)
def test_injected_faults_fail_the_next_calls_then_clear(local, error, status):
    body = json.dumps({"operation": "StartChatContact", "error": error, "count": 2}).encode()
    urllib.request.urlopen(
        urllib.request.Request(local.emulator_url + "/_emulator/faults", data=body, method="POST")
    )
    for _ in range(2):
        with pytest.raises(ClientError) as excinfo:
            start_chat(local)
        assert error_code(excinfo) == (error, status)
    assert start_chat(local)["ContactId"]


def test_unknown_fault_name_is_rejected_with_reason(local):
    body = json.dumps({"operation": "StartChatContact", "error": "Nope"}).encode()
    request = urllib.request.Request(
        local.emulator_url + "/_emulator/faults", data=body, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(request)
    assert excinfo.value.code == 400
    assert "ThrottlingException" in json.loads(excinfo.value.read())["message"]


def test_client_library_sends_a_put_to_contact_chat(local):
    client = connect_client(local)
    model = client.meta.service_model.operation_model("StartChatContact")
    assert model.http == {"method": "PUT", "requestUri": "/contact/chat"}
