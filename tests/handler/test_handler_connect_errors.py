"""Connect's errors become the documented status codes, and nothing of the SDK leaks."""

import json

import boto3
import pytest
from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError
from botocore.stub import Stubber
from handler_harness import CONTACT_FLOW_ID, INSTANCE_ID, rest_event

from handler.connect_errors import connect_failure
from handler.service import StartChatService

SDK_SECRET = f"instance {INSTANCE_ID} flow {CONTACT_FLOW_ID} arn:aws:connect:eu-west-2:1234"
BODY = json.dumps({"ParticipantDetails": {"DisplayName": "Ada"}})


@pytest.mark.parametrize(
    ("code", "http_status", "status", "machine_code", "retry_after"),
    [
        ("InvalidRequestException", 400, 400, "INVALID_REQUEST", None),
        ("InvalidParameterException", 400, 400, "INVALID_REQUEST", None),
        ("ResourceNotFoundException", 404, 500, "CONFIGURATION_ERROR", None),
        ("AccessDeniedException", 403, 500, "CONFIGURATION_ERROR", None),
        ("LimitExceededException", 429, 429, "THROTTLED", "30"),
        ("TooManyRequestsException", 429, 429, "THROTTLED", "2"),
        ("ThrottlingException", 429, 429, "THROTTLED", "2"),
        ("InternalServiceException", 500, 503, "SERVICE_UNAVAILABLE", None),
        ("SomethingNew", 502, 503, "SERVICE_UNAVAILABLE", None),
    ],
)
def test_connect_client_errors_map_to_safe_answers(
    chat_settings, code, http_status, status, machine_code, retry_after
):
    client = boto3.client(
        "connect", region_name="eu-west-2", aws_access_key_id="a", aws_secret_access_key="b"
    )
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "start_chat_contact", code, SDK_SECRET, http_status_code=http_status
        )
        response = StartChatService(chat_settings, client).handle(rest_event(BODY), "req-9")
    assert response["statusCode"] == status
    error = json.loads(response["body"])["error"]
    assert error["code"] == machine_code and error["requestId"] == "req-9"
    assert response["headers"].get("Retry-After") == retry_after
    assert INSTANCE_ID not in response["body"] and CONTACT_FLOW_ID not in response["body"]
    assert code not in response["body"] and "arn:" not in response["body"]


@pytest.mark.parametrize(
    "error",
    [
        EndpointConnectionError(endpoint_url="https://connect"),
        ConnectTimeoutError(endpoint_url="https://connect"),
        ReadTimeoutError(endpoint_url="https://connect"),
    ],
)
def test_network_failures_are_503(error):
    failure = connect_failure(error)
    assert failure is not None
    assert (failure.rejection.status, failure.rejection.code) == (503, "SERVICE_UNAVAILABLE")
    assert failure.error_type == type(error).__name__


def test_errors_that_are_not_from_the_sdk_are_not_mapped():
    assert connect_failure(RuntimeError("bug")) is None


class ExplodingConnect:
    def start_chat_contact(self, **_):
        raise RuntimeError(f"bug with {INSTANCE_ID}")


def test_unexpected_errors_are_a_json_500_with_cors_and_no_detail(chat_settings):
    response = StartChatService(chat_settings, ExplodingConnect()).handle(rest_event(BODY), "r")
    assert response["statusCode"] == 500
    assert json.loads(response["body"])["error"]["code"] == "INTERNAL_ERROR"
    assert "Access-Control-Allow-Origin" in response["headers"]
    assert INSTANCE_ID not in response["body"] and "bug" not in response["body"]
