"""Only local mode's own pages and non-browser clients drive its control endpoints.

A page on any origin the developer visits can send simple requests (text/plain POSTs, no-cors
GETs) to 127.0.0.1, and a DNS-rebinding page can pose as a non-browser client; both must be
refused before the endpoint acts. Only the Participant Service keeps AWS's open CORS.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import make_mocked_request
from local_mode_clients import connect_customer, start_chat

from local_mode.local_guard import loopback_hosts, loopback_origins, refuse_foreign_caller
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path

EVIL = "https://evil.example"
SIGNED = "AWS4-HMAC-SHA256 Credential=x/20260101/eu-west-2/connect/aws4_request"


def raw(
    stack: Any,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes = b"",
    host: str | None = "own",
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request with exactly these headers (http.client lets us forge or omit Host)."""
    parts = urlsplit(stack.emulator_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    if host is not None:
        connection.putheader("Host", parts.netloc if host == "own" else host)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, response.headers, payload


def refusal_code(status: int, headers: http.client.HTTPMessage, payload: bytes) -> str:
    assert status == 403, payload
    assert headers["x-amzn-ErrorType"] == "AccessDeniedException"
    assert not [name for name in headers if name.lower().startswith("access-control-")]
    body = json.loads(payload)
    assert set(body) == {"code", "message"} and body["message"]
    return body["code"]


def transcript_of(stack: Any, contact_id: str) -> list[dict[str, Any]]:
    status, _, payload = raw(stack, "GET", f"/_emulator/contacts/{contact_id}", {})
    assert status == 200
    return json.loads(payload)["Transcript"]


def test_foreign_page_cannot_inject_an_agent_message_with_a_simple_post(local):
    contact_id = start_chat(local)["ContactId"]
    before = transcript_of(local, contact_id)
    phishing = json.dumps({"content": "Log in again at https://evil.example/connect"}).encode()
    answer = raw(
        local,
        "POST",
        f"/_emulator/contacts/{contact_id}/messages",
        {"Origin": EVIL, "Content-Type": "text/plain", "Sec-Fetch-Site": "cross-site"},
        phishing,
    )
    assert refusal_code(*answer) == "FOREIGN_ORIGIN"
    assert transcript_of(local, contact_id) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/_emulator/contacts"),
        ("POST", "/_emulator/faults"),
        ("POST", "/_emulator/contacts/CONTACT/takeover"),
        ("POST", "/_emulator/contacts/CONTACT/end"),
        ("GET", "/agent"),
        ("GET", "/agent/static/console.js"),
        ("PUT", "/contact/chat"),
        ("OPTIONS", "/_emulator/contacts"),
        ("OPTIONS", "/contact/chat"),
    ],
)
def test_control_console_and_connect_api_refuse_other_origins(local, method, path):
    contact_id = start_chat(local)["ContactId"]
    path = path.replace("CONTACT", contact_id)
    headers = {"Origin": EVIL, "Access-Control-Request-Method": "POST"}
    assert refusal_code(*raw(local, method, path, headers)) == "FOREIGN_ORIGIN"
    # The takeover/end attempts changed nothing.
    status, _, payload = raw(local, "GET", f"/_emulator/contacts/{contact_id}", {})
    detail = json.loads(payload)
    assert (status, detail["State"], detail["HumanAgent"]) == (200, "INITIATED", False)


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:PORT", "127.0.0.1", "127.0.0.1:1", "127.0.0.2:PORT"]
)
def test_dns_rebinding_host_is_refused_even_without_origin(local, host):
    port = str(urlsplit(local.emulator_url).port)
    answer = raw(local, "GET", "/_emulator/contacts", {}, host=host.replace("PORT", port))
    assert refusal_code(*answer) == "FOREIGN_HOST"


def test_missing_host_is_refused(local):
    # HTTP/1.1 without Host is refused by aiohttp's parser; HTTP/1.0 reaches the guard.
    parts = urlsplit(local.emulator_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"GET /_emulator/contacts HTTP/1.0\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, _, payload = reply.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"HTTP/1.0 403 Forbidden"
    assert json.loads(payload)["code"] == "FOREIGN_HOST"


def test_cross_site_no_cors_get_is_refused(local):
    # <script src=".../_emulator/contacts"> on another site: a GET without Origin.
    answer = raw(local, "GET", "/_emulator/contacts", {"Sec-Fetch-Site": "cross-site"})
    assert refusal_code(*answer) == "CROSS_SITE"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST"])
def test_own_console_origin_and_loopback_names_are_served(local, name):
    port = urlsplit(local.emulator_url).port
    own = f"http://{name}:{port}"
    status, headers, payload = raw(
        local,
        "GET",
        "/_emulator/contacts",
        {"Origin": own.lower(), "Sec-Fetch-Site": "same-origin"},
        host=f"{name}:{port}",
    )
    assert status == 200, payload
    assert "contacts" in json.loads(payload)
    assert "Access-Control-Allow-Origin" not in headers


def test_non_browser_client_is_served(local):
    status, _, payload = raw(local, "GET", "/_emulator/faults", {})
    assert (status, json.loads(payload)) == (200, {"faults": {}})


def test_console_page_cannot_be_framed(local):
    status, headers, _ = raw(local, "GET", "/agent", {"Sec-Fetch-Site": "none"})
    assert status == 200
    assert headers["Content-Security-Policy"] == (
        "default-src 'self'; style-src 'self'; frame-ancestors 'none'"
    )


def test_participant_service_keeps_aws_open_cors(local):
    started = start_chat(local)
    token = connect_customer(local, started["ParticipantToken"])["ConnectionCredentials"][
        "ConnectionToken"
    ]
    status, headers, payload = raw(
        local,
        "POST",
        "/participant/transcript",
        {"Origin": EVIL, "X-Amz-Bearer": token, "Content-Type": "application/json"},
        b"{}",
    )
    assert status == 200, payload
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = raw(
        local,
        "OPTIONS",
        "/participant/message",
        {"Origin": EVIL, "Access-Control-Request-Method": "POST"},
    )
    assert (status, headers["Access-Control-Allow-Origin"]) == (200, "*")


def test_connect_api_serves_boto3_style_callers(local):
    body = json.dumps(
        {
            "InstanceId": "x",
            "ContactFlowId": "y",
            "ParticipantDetails": {"DisplayName": "Ann"},
        }
    ).encode()
    status, headers, _ = raw(local, "PUT", "/contact/chat", {"Authorization": SIGNED}, body)
    # Reaches StartChatContact (which knows no instance "x"), not the guard.
    assert (status, headers["x-amzn-ErrorType"]) == (404, "ResourceNotFoundException")


GOOD = frozenset({"127.0.0.1:8082", "localhost:8082", "[::1]:8082"})
ORIGINS = frozenset({"http://127.0.0.1:8082", "http://localhost:8082", "http://[::1]:8082"})


def test_loopback_helpers_name_the_three_local_names():
    assert loopback_hosts(8082) == GOOD
    assert loopback_origins(8082) == ORIGINS


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"Host": "127.0.0.1:8082"}, None),
        ({"Host": "Localhost:8082", "Origin": "http://LOCALHOST:8082"}, None),
        ({"Host": "[::1]:8082", "Sec-Fetch-Site": "same-site"}, None),
        ({"Host": "127.0.0.1:8082", "Sec-Fetch-Site": "none"}, None),
        ({}, "FOREIGN_HOST"),
        ({"Host": "127.0.0.1:8083"}, "FOREIGN_HOST"),
        ({"Host": "evil.example:8082", "Origin": "http://evil.example:8082"}, "FOREIGN_HOST"),
        ({"Host": "127.0.0.1:8082", "Origin": "null"}, "FOREIGN_ORIGIN"),
        ({"Host": "127.0.0.1:8082", "Origin": "http://127.0.0.1:8080"}, "FOREIGN_ORIGIN"),
        ({"Host": "127.0.0.1:8082", "Origin": "https://127.0.0.1:8082"}, "FOREIGN_ORIGIN"),
        ({"Host": "127.0.0.1:8082", "Sec-Fetch-Site": "Cross-Site"}, "CROSS_SITE"),
    ],
)  # fmt: skip
def test_refuse_foreign_caller_rules(headers, code):
    request = make_mocked_request("POST", "/_emulator/faults", headers=headers)
    refusal = refuse_foreign_caller(request, ORIGINS, GOOD)
    if code is None:
        assert refusal is None
    else:
        assert refusal is not None and refusal.status == 403
        assert refusal.headers["x-amzn-ErrorType"] == "AccessDeniedException"
        assert refusal.text is not None and json.loads(refusal.text)["code"] == code


@pytest.fixture
def foreign_page(local) -> Iterator[Any]:
    """Chromium on the demo host page: an origin that is not the emulator's."""
    path = chromium_path()
    if path is None:
        pytest.skip("no chromium")  # the e2e suite itself fails under CI=true without one
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.goto(local.host_url + "/blank.html")
        yield page
        browser.close()


@pytest.mark.e2e
def test_real_browser_on_another_origin_changes_and_reads_nothing(local, foreign_page):
    contact_id = start_chat(local)["ContactId"]
    before = transcript_of(local, contact_id)
    outcome = foreign_page.evaluate(
        """async ([base, id]) => {
          const body = JSON.stringify({content: "Verify your account: https://evil.example"});
          // A simple request: no preflight, so only the server can stop it.
          await fetch(`${base}/_emulator/contacts/${id}/messages`,
                      {method: "POST", mode: "no-cors", body,
                       headers: {"Content-Type": "text/plain"}});
          const form = document.createElement("form");
          form.method = "POST";
          form.enctype = "text/plain";
          form.action = `${base}/_emulator/contacts/${id}/takeover`;
          form.target = "sink";
          const sink = document.createElement("iframe");
          sink.name = "sink";
          document.body.append(sink, form);
          const loaded = new Promise((resolve) => sink.addEventListener("load", resolve));
          form.submit();
          await loaded;
          try {
            await fetch(`${base}/_emulator/contacts`);
            return "read";
          } catch (error) {
            return error.name;
          }
        }""",
        [local.emulator_url, contact_id],
    )
    assert outcome == "TypeError"  # the CORS read failed: no Access-Control-Allow-Origin
    status, _, payload = raw(local, "GET", f"/_emulator/contacts/{contact_id}", {})
    detail = json.loads(payload)
    assert (status, detail["HumanAgent"], detail["Transcript"]) == (200, False, before)
