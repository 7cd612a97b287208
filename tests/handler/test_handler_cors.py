"""CORS by exact allowlist: echo only allowed origins, refuse the rest before Connect is called."""

import json

import pytest
from handler_harness import ALLOWED_ORIGIN, OTHER_ALLOWED_ORIGIN, rest_event

from handler.cors import ALLOWED_HEADERS
from handler.service import StartChatService

BODY = json.dumps({"ParticipantDetails": {"DisplayName": "Ada"}})


@pytest.fixture
def service(chat_settings, recording_connect):
    return StartChatService(chat_settings, recording_connect.client)


def cors_headers(response):
    return {k: v for k, v in response["headers"].items() if k.lower().startswith("access-control")}


@pytest.mark.parametrize("origin", [ALLOWED_ORIGIN, OTHER_ALLOWED_ORIGIN])
def test_allowed_origin_is_echoed_with_vary(service, origin):
    response = service.handle(rest_event(BODY, origin=origin), "r")
    assert response["statusCode"] == 200
    assert cors_headers(response) == {"Access-Control-Allow-Origin": origin}
    assert response["headers"]["Vary"] == "Origin"


def test_preflight_from_an_allowed_origin(service, recording_connect):
    event = rest_event(
        None,
        method="OPTIONS",
        origin=ALLOWED_ORIGIN,
        content_type=None,
        extra_headers={
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-aws-waf-token",
        },
    )
    response = service.handle(event, "r")
    assert response["statusCode"] == 200 and json.loads(response["body"]) == {}
    headers = cors_headers(response)
    assert headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert headers["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    allowed = {h.strip().lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "authorization", "x-amz-date", "x-amz-security-token"} <= allowed
    assert {"x-api-key", "x-aws-waf-token"} <= allowed
    assert 0 < int(headers["Access-Control-Max-Age"]) <= 7200
    assert "Access-Control-Allow-Credentials" not in headers
    assert "*" not in json.dumps(headers) and "*" not in ALLOWED_HEADERS
    assert recording_connect.calls == []


REFUSED_ORIGINS = [
    "https://evil.example",
    "https://www.example.com.evil.example",
    "https://WWW.EXAMPLE.COM",
    "http://www.example.com",
    "https://www.example.com/",
    "null",
    "*",
    "",
]


@pytest.mark.parametrize("origin", REFUSED_ORIGINS)
def test_disallowed_origin_is_403_readable_by_the_page_without_echo_or_connect_call(
    service, recording_connect, origin
):
    # The widget tells a refused origin (the operator's allowlist) from a firewall block only
    # if the browser lets it read this 403: '*', never the refused Origin echoed.
    response = service.handle(rest_event(BODY, origin=origin), "r")
    assert response["statusCode"] == 403
    assert json.loads(response["body"])["error"]["code"] == "FORBIDDEN_ORIGIN"
    assert cors_headers(response) == {"Access-Control-Allow-Origin": "*"}
    assert response["headers"]["Vary"] == "Origin"
    assert recording_connect.calls == []


@pytest.mark.parametrize("origin", REFUSED_ORIGINS)
def test_disallowed_origins_preflight_passes_so_the_refusal_can_be_read(
    service, recording_connect, origin
):
    response = service.handle(rest_event(None, origin=origin, method="OPTIONS"), "r")
    assert response["statusCode"] == 200 and json.loads(response["body"]) == {}
    assert cors_headers(response) == {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": "600",
    }
    assert response["headers"]["Vary"] == "Origin"
    assert recording_connect.calls == []


def test_request_without_origin_is_served_without_cors_headers(service, recording_connect):
    response = service.handle(rest_event(BODY, origin=None), "r")
    assert response["statusCode"] == 200
    assert cors_headers(response) == {}
    assert len(recording_connect.calls) == 1


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", None])
def test_other_methods_are_405_json(service, recording_connect, method):
    response = service.handle(rest_event(BODY, method=method), "r")
    assert response["statusCode"] == 405
    assert json.loads(response["body"])["error"]["code"] == "METHOD_NOT_ALLOWED"
    assert recording_connect.calls == []
