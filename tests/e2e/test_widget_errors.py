"""Failures the visitor meets, shown kindly and recovered from: a dropped websocket (banner,
automatic reconnect, nothing lost) and start-chat rejections (a disallowed attribute from the
host page, throttling, a refused origin, a firewall block that the page can or cannot read).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

BUSY = "We're busy right now. Please try again in a moment."
SITE_NOT_SET_UP = (
    "This site isn't set up to start chats yet. Please let the site owner know, or contact us"
    " another way."
)
FIREWALL = (
    "Our firewall blocked this request. Please try again in a few minutes; if you use a VPN or"
    " proxy, turning it off may help. You can also contact us another way."
)
UNREACHABLE = (
    "We couldn't reach the chat service: a firewall or a network problem may be blocking it."
    " Please try again in a few minutes, or contact us another way."
)


class SocketSwitch:
    """Sits between the page and the emulator's websocket: can drop every live connection and
    refuse new ones until released, as a network outage would."""

    def __init__(self) -> None:
        self.live: list[tuple[Any, Any]] = []
        self.down = False
        self.connections = 0

    def handle(self, route: Any) -> None:
        if self.down:
            route.close(code=1006, reason="network down")
            return
        self.connections += 1
        server = route.connect_to_server()
        self.live.append((route, server))

    def drop(self) -> None:
        self.down = True
        for route, server in self.live:
            server.close()
            route.close(code=1006, reason="network down")
        self.live.clear()

    def restore(self) -> None:
        self.down = False


def test_dropped_websocket_shows_the_banner_and_reconnects(chat):
    switch = SocketSwitch()
    chat.page.route_web_socket(re.compile(r"^ws://127\.0\.0\.1:\d+/"), switch.handle)
    chat.open().start().wait_for_agent()
    chat.ask("before the outage", "You said: before the outage")
    assert switch.connections == 1
    contact_id = chat.contact_id()

    switch.drop()
    expect(chat.banner).to_be_visible()
    expect(chat.banner).to_contain_text("Connection lost")
    # The agent writes while the visitor is offline: it must not be lost.
    chat.emulator.agent_says(contact_id, "sent while you were away")

    switch.restore()
    expect(chat.banner).to_be_hidden(timeout=30_000)
    assert switch.connections >= 2, "the widget reconnected through a new websocket"
    expect(chat.agent_message("sent while you were away")).to_have_count(1)
    # Messages flow both ways again on the same contact.
    chat.emulator.agent_says(contact_id, "live again")
    expect(chat.agent_message("live again")).to_have_count(1)
    chat.send("back online")
    expect(chat.customer_message("back online")).to_have_count(1)
    assert chat.contact_id() == contact_id


def embed_on_host(page: Any, stack: Any, snippet: str) -> Any:
    """A page on the demo host's origin with the documented snippet queue and one tag."""
    page.goto(stack.host_url + "/blank.html")
    page.add_script_tag(
        content="window.ConnectChat=window.ConnectChat||function(){"
        "(ConnectChat.q=ConnectChat.q||[]).push(arguments)};" + snippet
    )
    page.add_script_tag(url=stack.site_url + "/widget.js")
    page.get_by_test_id("chat-launcher").click()
    return page.frame_locator('[data-testid="chat-frame"]')


def test_disallowed_attribute_from_the_host_api_shows_the_servers_reason(chat):
    contacts_before = {c["ContactId"] for c in chat.emulator.contacts()}
    frame = embed_on_host(
        chat.page, chat.stack, 'ConnectChat("setAttributes", {"loyaltyTier": "gold"});'
    )
    frame.locator("#prechat-name").fill("Ada Lovelace")
    frame.get_by_role("button", name="Start chat").click()
    error = frame.get_by_test_id("error-message")
    expect(error).to_contain_text("loyaltyTier")
    expect(error).to_contain_text("not allowed")
    # Nothing lost: the form and what was typed are still there to try again.
    expect(frame.locator("#prechat-name")).to_have_value("Ada Lovelace")
    expect(frame.get_by_role("button", name="Start chat")).to_be_enabled()
    contacts_after = {c["ContactId"] for c in chat.emulator.contacts()}
    assert contacts_after == contacts_before, "the handler must refuse before reaching Connect"


def test_throttling_shows_we_are_busy_and_the_retry_works(chat):
    chat.open()
    chat.emulator.arm_fault("StartChatContact", "ThrottlingException", count=10)
    try:
        chat.page.locator("#prechat-name").fill("Busy Visitor")
        chat.page.locator("#prechat-topic").select_option("Support")
        chat.page.get_by_role("button", name="Start chat").click()
        expect(chat.error).to_have_text(BUSY)
        expect(chat.page.locator("#prechat-name")).to_have_value("Busy Visitor")
        expect(chat.page.locator("#prechat-topic")).to_have_value("Support")
        assert chat.active_session() is None
    finally:
        chat.emulator.disarm("StartChatContact")
    chat.page.get_by_role("button", name="Start chat").click()
    expect(chat.composer).to_be_visible()
    expect(chat.error).to_have_text("")
    contact = chat.emulator.contact(chat.contact_id())
    assert contact["Attributes"]["topic"] == "Support"


class SlowSubscribe:
    """Holds the page's websocket subscribe frames until released: a slow network between
    CreateParticipantConnection and the websocket subscription."""

    def __init__(self) -> None:
        self.held: list[tuple[Any, Any]] = []
        self.released = False

    def handle(self, route: Any) -> None:
        server = route.connect_to_server()

        def to_server(message: Any) -> None:
            if not self.released and "aws/subscribe" in str(message):
                self.held.append((server, message))
            else:
                server.send(message)

        route.on_message(to_server)

    def release(self) -> None:
        self.released = True
        for server, message in self.held:
            server.send(message)
        self.held.clear()


def test_items_posted_before_the_websocket_subscribes_are_shown(chat):
    # A bot or a quick agent can speak between CreateParticipantConnection and the websocket
    # subscription; Connect does not replay those on the socket, only in the transcript.
    slow = SlowSubscribe()
    chat.page.route_web_socket(re.compile(r"^ws://127\.0\.0\.1:\d+/"), slow.handle)
    chat.open().start()

    def greeted() -> bool:
        session = chat.active_session()
        if session is None:
            return False
        transcript = chat.emulator.contact(session["contactId"])["Transcript"]
        return any(item.get("Content", "").startswith("Hi, I'm Alex") for item in transcript)

    chat.wait_until(greeted, "the agent to join and greet while the subscribe is held")
    assert slow.held, "the page's subscribe frame was held"
    slow.release()
    expect(chat.system_event("joined the chat")).to_have_count(1)
    expect(chat.agent_message("Hi, I'm Alex")).to_have_count(1)


def test_a_page_origin_the_api_refuses_says_the_site_is_not_set_up(chat):
    # The same site server under another origin (localhost, not 127.0.0.1): the operator left
    # this origin out of allowedOrigins. The real handler refuses it; the page must read why.
    local_site = chat.stack.site_url.replace("127.0.0.1", "localhost", 1)
    contacts_before = {c["ContactId"] for c in chat.emulator.contacts()}
    answers: list[Any] = []
    chat.page.on("response", lambda r: answers.append(r) if r.url == chat.stack.api_url else None)
    chat.page.goto(local_site + "/index.html")
    chat.page.locator("#prechat-name").fill("Ada Lovelace")
    chat.page.get_by_role("button", name="Start chat").click()
    expect(chat.error).to_have_text(SITE_NOT_SET_UP)
    refusal = next(r for r in answers if r.request.method == "POST")
    assert refusal.status == 403
    assert refusal.json()["error"]["code"] == "FORBIDDEN_ORIGIN"
    assert refusal.headers["access-control-allow-origin"] == "*"
    expect(chat.page.locator("#prechat-name")).to_have_value("Ada Lovelace")
    expect(chat.page.get_by_role("button", name="Start chat")).to_be_enabled()
    assert {c["ContactId"] for c in chat.emulator.contacts()} == contacts_before


def waf_filtered_response() -> dict[str, Any]:
    """API Gateway's answer when AWS WAF blocks a request: the WAF_FILTERED gateway response,
    rendered from the stack's own DEFAULT_4XX template and headers (components/chat_api.py)."""
    from components.chat_api import GATEWAY_CORS_HEADERS, GATEWAY_ERROR_TEMPLATE

    body = (
        GATEWAY_ERROR_TEMPLATE.replace("$context.error.responseType", "WAF_FILTERED")
        .replace("$context.error.messageString", json.dumps("Forbidden"))
        .replace("$context.requestId", "waf-req-1")
    )
    headers = {
        name.removeprefix("gatewayresponse.header."): value.strip("'")
        for name, value in GATEWAY_CORS_HEADERS.items()
    }
    return {"statusCode": 403, "headers": headers, "body": body}


class Firewall:
    """Stands in for AWS WAF in front of local mode's API: while up, requests with the blocked
    methods get the WAF_FILTERED gateway response instead of reaching the handler, as on AWS.

    A body rule (BodyTooLarge, the core rule set) blocks only the POST; the rate rule, the IP
    lists and the geo rule block the preflight too. Playwright's routes cannot stand in: they
    answer preflights themselves and exempt fulfilled responses from CORS."""

    def __init__(self, stack: Any, methods: set[str]) -> None:
        from local_mode.api_adapter import StartChatApi

        self.api = next(
            route.handler.__self__
            for runner in stack.runners
            for route in runner.app.router.routes()
            if isinstance(getattr(route.handler, "__self__", None), StartChatApi)
        )
        self.methods = methods
        self.blocked: list[str] = []
        self.handler = self.api.lambda_handler

    def __enter__(self) -> Firewall:
        def filtered(event: dict[str, Any], context: Any) -> dict[str, Any]:
            if event["httpMethod"] in self.methods:
                self.blocked.append(event["httpMethod"])
                return waf_filtered_response()
            return self.handler(event, context)

        self.api.lambda_handler = filtered
        return self

    def __exit__(self, *exc: object) -> None:
        self.api.lambda_handler = self.handler


def test_a_firewall_block_the_page_can_read_is_named_as_the_firewall(chat):
    chat.open()
    chat.page.locator("#prechat-name").fill("Blocked Visitor")
    with Firewall(chat.stack, {"POST"}) as firewall:
        chat.page.get_by_role("button", name="Start chat").click()
        expect(chat.error).to_have_text(FIREWALL)
        assert firewall.blocked == ["POST"]
    assert chat.active_session() is None
    # Nothing lost: once the block lifts (the rate window passes), the same form starts the chat.
    expect(chat.page.locator("#prechat-name")).to_have_value("Blocked Visitor")
    chat.page.get_by_role("button", name="Start chat").click()
    expect(chat.composer).to_be_visible()
    expect(chat.error).to_have_text("")


def test_a_blocked_preflight_is_reported_as_firewall_or_network(chat):
    # The rate rule or an IP list blocks the preflight: its 403 fails the preflight whatever its
    # headers, and the browser reports only a network error to the page.
    console: list[str] = []
    chat.page.on("console", lambda message: console.append(message.text))
    chat.open()
    chat.page.locator("#prechat-name").fill("Opaque Visitor")
    with Firewall(chat.stack, {"OPTIONS", "POST"}) as firewall:
        chat.page.get_by_role("button", name="Start chat").click()
        expect(chat.error).to_have_text(UNREACHABLE)
        assert firewall.blocked == ["OPTIONS"], "the POST never leaves the browser"
    assert any("CORS" in line for line in console), console
    expect(chat.page.locator("#prechat-name")).to_have_value("Opaque Visitor")
    expect(chat.page.get_by_role("button", name="Start chat")).to_be_enabled()
