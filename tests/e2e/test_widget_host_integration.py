"""Issue 11, the host half, through the one-tag embed on local mode's demo host page: host
events, launch control, the unread badge and branding from the host API."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from test_widget_accessibility import serious_violations

pytestmark = pytest.mark.e2e

FRAME = '[data-testid="chat-frame"]'
READ = "application/vnd.amazonaws.connect.event.message.read"


def host_events(page: Any, name: str | None = None) -> list[Any]:
    """What the demo host page's ConnectChat("on") listeners heard, in order."""
    events = page.evaluate("() => window.hostEvents || []")
    return [payload for event, payload in events if event == name] if name else events


def queue_before_the_tag(page: Any, *calls: str) -> None:
    """Host API calls made before widget.js loads (the snippet queue), as a host page would."""
    stub = (
        "window.ConnectChat=window.ConnectChat||function(){"
        "(ConnectChat.q=ConnectChat.q||[]).push(arguments)};"
    )
    page.add_init_script(stub + "".join(f"ConnectChat({call});" for call in calls))


def chat_document(page: Any, site_url: str) -> Any:
    return next(f for f in page.frames if f.url.startswith(site_url + "/chat.html"))


def start_embedded_chat(chat: Any) -> Any:
    page = chat.page
    page.get_by_test_id("chat-launcher").click()
    frame = page.frame_locator(FRAME)
    frame.get_by_role("button", name="Start chat").click()
    expect(frame.locator("li[data-role=agent]", has_text="Hi, I'm Alex")).to_have_count(1)
    return frame


def test_the_host_page_hears_the_chat_as_plain_data_without_message_text(chat):
    page = chat.page
    page.goto(chat.stack.host_url + "/")
    frame = start_embedded_chat(chat)
    frame.locator("#composer-message").fill("my card is 4111 1111")
    frame.locator("#composer-message").press("Enter")
    expect(frame.locator("li[data-role=agent]", has_text="You said: my card")).to_have_count(1)
    contact_id = chat_document(page, chat.stack.site_url).evaluate(
        "() => JSON.parse(sessionStorage.getItem('connect-chat:session')).contactId"
    )
    frame.get_by_role("button", name="End chat").click()
    # The visitor's "End chat" asks first (issue 11's End-chat dialog).
    frame.get_by_role("dialog", name="End this chat?").get_by_role(
        "button", name="End chat"
    ).click()
    expect(frame.get_by_role("button", name="Start a new chat")).to_be_visible()
    chat.wait_until(lambda: host_events(page, "chatEnded"), "chatEnded on the host page")

    assert host_events(page, "opened") == [{}]
    assert host_events(page, "chatStarted") == [{"contactId": contact_id}]
    assert host_events(page, "agentJoined") == [{"displayName": "Alex (emulated agent)"}]
    messages = host_events(page, "message")
    # The greeting, the visitor's message, the echo: roles and types, never the text.
    assert {"role": "customer", "contentType": "text/plain"} in messages
    assert {"role": "agent", "contentType": "text/plain"} in messages
    assert all(set(payload) == {"role", "contentType"} for payload in messages)
    assert "4111" not in str(host_events(page))
    assert host_events(page, "chatEnded") == [{"contactId": contact_id, "reason": "customer"}]
    assert host_events(page, "error") == []


def test_message_text_reaches_only_a_listener_that_opted_in(chat):
    page = chat.page
    page.goto(chat.stack.host_url + "/")
    page.evaluate(
        """() => {
          window.withText = [];
          ConnectChat("on", "message", (p) => window.withText.push(p), {includeText: true});
        }"""
    )
    frame = start_embedded_chat(chat)
    frame.locator("#composer-message").fill("hello there")
    frame.locator("#composer-message").press("Enter")
    expect(frame.locator("li[data-role=agent]", has_text="You said: hello there")).to_have_count(1)
    chat.wait_until(
        lambda: (
            {"role": "customer", "contentType": "text/plain", "text": "hello there"}
            in page.evaluate("() => window.withText")
        ),
        "the opted-in listener to hear the text",
    )
    # The demo page's own listener did not ask for text and still gets none.
    assert all("text" not in payload for payload in host_events(page, "message"))


def test_agent_messages_while_minimised_count_on_the_launcher(chat):
    page = chat.page
    page.goto(chat.stack.host_url + "/")
    frame = start_embedded_chat(chat)
    contact_id = chat_document(page, chat.stack.site_url).evaluate(
        "() => JSON.parse(sessionStorage.getItem('connect-chat:session')).contactId"
    )
    frame.get_by_role("button", name="Minimise chat").click()
    launcher = page.get_by_test_id("chat-launcher")
    expect(launcher).to_have_attribute("aria-label", "Open chat")
    minimised = [
        chat.emulator.agent_says(contact_id, "Are you still there?")["Id"],
        chat.emulator.agent_says(contact_id, "I can help with billing.")["Id"],
    ]

    def read_ids() -> set[str]:
        transcript = chat.emulator.contact(contact_id)["Transcript"]
        return {i["MessageMetadata"]["MessageId"] for i in transcript if i["ContentType"] == READ}

    expect(launcher).to_have_attribute("aria-label", "Chat, 2 unread messages")
    expect(page.get_by_test_id("chat-unread-badge")).to_have_text("2")
    expect(page.get_by_role("button", name="Chat, 2 unread messages")).to_be_visible()
    assert serious_violations(page) == []
    # Unread for the agent too: delivered, not read, while the visitor cannot see them.
    page.wait_for_timeout(1500)
    assert read_ids().isdisjoint(minimised)

    # The next page of the site keeps the chat minimised, connected and counted.
    page.reload()
    expect(launcher).to_have_attribute("aria-label", "Chat, 2 unread messages")
    expect(page.locator(FRAME)).to_be_hidden()
    latest = chat.emulator.agent_says(contact_id, "One more thing.")["Id"]
    expect(launcher).to_have_attribute("aria-label", "Chat, 3 unread messages")

    launcher.click()
    expect(launcher).to_have_attribute("aria-label", "Close chat")
    expect(page.get_by_test_id("chat-unread-badge")).to_be_hidden()
    expect(frame.locator("li[data-role=agent]", has_text="One more thing.")).to_have_count(1)
    # ChatJS sends one read receipt for the newest message (it stands for all before it).
    chat.wait_until(lambda: latest in read_ids(), "the read receipt once opened")
    assert [payload["count"] for payload in host_events(page, "unreadChanged")] == [2, 3, 0]


def test_the_host_hides_the_launcher_opens_on_load_and_ends_the_chat(chat):
    page = chat.page
    queue_before_the_tag(page, '"settings", {launcher: false, openOnLoad: true}')
    page.goto(chat.stack.host_url + "/")
    expect(page.get_by_test_id("chat-launcher")).to_be_hidden()
    expect(page.locator(FRAME)).to_be_visible()
    frame = page.frame_locator(FRAME)
    frame.get_by_role("button", name="Start chat").click()
    expect(frame.locator("li[data-role=agent]", has_text="Hi, I'm Alex")).to_have_count(1)
    contact_id = chat_document(page, chat.stack.site_url).evaluate(
        "() => JSON.parse(sessionStorage.getItem('connect-chat:session')).contactId"
    )

    page.evaluate('() => ConnectChat("endChat")')
    # No confirmation: the chat is over at once, for the visitor and for Connect.
    expect(frame.get_by_role("button", name="Start a new chat")).to_be_visible()
    chat.wait_until(lambda: host_events(page, "chatEnded"), "chatEnded on the host page")
    assert host_events(page, "chatEnded") == [{"contactId": contact_id, "reason": "host"}]
    chat.wait_until(
        lambda: chat.emulator.contact(contact_id)["State"] == "ENDED",
        "the emulator to see the customer disconnect",
    )

    # The visitor closes it; on the next page openOnLoad no longer overrides that choice.
    frame.get_by_role("button", name="Minimise chat").click()
    # The frame asks the loader by postMessage: reload only once the loader has taken the
    # choice (it hides the frame and stores the choice in one step), as a person would.
    expect(page.locator(FRAME)).to_be_hidden()
    page.reload()
    expect(page.locator(FRAME)).to_have_count(0)
    page.evaluate('() => ConnectChat("open")')
    expect(page.locator(FRAME)).to_be_visible()


def test_branding_from_the_host_api_reaches_launcher_frame_and_chat(chat):
    page = chat.page
    queue_before_the_tag(
        page,
        '"theme", {primaryColor: "#ffd400", position: "left", width: 420, height: 560,'
        ' logo: "/favicon.svg", fontFamily: "Georgia, serif",'
        ' displayNames: {agent: "Support team"}}',
    )
    page.goto(chat.stack.host_url + "/")
    launcher = page.get_by_test_id("chat-launcher")
    box = launcher.bounding_box()
    assert box is not None and box["x"] == 20
    # A light brand colour gets a black icon (WCAG 1.4.11).
    assert launcher.evaluate("(b) => getComputedStyle(b).color") == "rgb(0, 0, 0)"
    frame = start_embedded_chat(chat)
    iframe_box = page.locator(FRAME).bounding_box()
    assert iframe_box is not None
    assert (iframe_box["x"], iframe_box["width"], iframe_box["height"]) == (20, 420, 560)
    expect(frame.get_by_test_id("chat-logo")).to_be_visible()
    expect(frame.get_by_test_id("chat-logo")).to_have_attribute("alt", "")
    expect(
        frame.locator("li[data-role=agent]", has_text="Hi, I'm Alex").locator(".sender")
    ).to_have_text("Support team")
    document = chat_document(page, chat.stack.site_url)
    assert document.evaluate("() => getComputedStyle(document.body).fontFamily") == (
        "Georgia, serif"
    )
    assert serious_violations(document) == []
