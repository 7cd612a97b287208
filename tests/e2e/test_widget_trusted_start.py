"""Issue 8 in Chromium: a persistent series of three chats, a stolen contact id refused, and a
signed-in visitor whose signed identity reaches the contact flow (the agent's `whoami`).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

CONTINUE = re.compile(r"^Continue the chat of .+ from ")
FRESH_START_TEXT = "We couldn't continue your previous conversation, so this is a new chat."


def end_and_start_again(chat, greetings):
    chat.end_chat()
    chat.page.get_by_role("button", name="Start a new chat").click()
    expect(chat.page.get_by_label(CONTINUE)).to_be_checked()
    chat.page.get_by_role("button", name="Start chat").click()
    expect(chat.composer).to_be_enabled()
    # The continued conversation shows the earlier greetings; the new agent adds one.
    expect(chat.agent_message("Hi, I'm Alex")).to_have_count(greetings)


def test_a_persistent_series_of_three_chats_each_continues(chat):
    chat.open().start(name="Grace Hopper").wait_for_agent()
    chat.ask("first chat", "You said: first chat")
    first = chat.contact_id()
    end_and_start_again(chat, greetings=2)
    chat.ask("second chat", "You said: second chat")
    second = chat.contact_id()
    # The third chat used to fail: ENTIRE_PAST_SESSION went out with the latest contact id.
    end_and_start_again(chat, greetings=3)
    third = chat.contact_id()
    expect(chat.customer_message("first chat")).to_have_count(1)
    expect(chat.customer_message("second chat")).to_have_count(1)
    chat.ask("third chat", "You said: third chat")
    assert len({first, second, third}) == 3
    assert chat.emulator.contact(second)["ContinuedFromContactId"] == first
    assert chat.emulator.contact(third)["ContinuedFromContactId"] == second
    # What the widget keeps for a continuation is the resume token, never a contact id.
    kept = chat.page.evaluate("() => JSON.stringify(localStorage)")
    assert first not in kept and second not in kept and "resumeToken" in kept


def test_a_stolen_contact_id_is_refused_and_reads_nothing(chat, new_chat):
    chat.open().start(name="Alice").wait_for_agent()
    chat.ask("my secret order 77", "You said: my secret order 77")
    alice = chat.contact_id()
    chat.end_chat()

    mallory = new_chat()
    mallory.open()
    answer = mallory.page.evaluate(
        """async ([url, contactId]) => {
            const response = await fetch(url, {
              method: "POST",
              headers: {"Content-Type": "application/json"},
              body: JSON.stringify({
                ParticipantDetails: {DisplayName: "M"},
                PersistentChat: {
                  RehydrationType: "ENTIRE_PAST_SESSION", SourceContactId: contactId,
                },
              }),
            });
            return {status: response.status, body: await response.json()};
        }""",
        [mallory.stack.api_url, alice],
    )
    assert answer["status"] == 403
    assert answer["body"]["error"]["code"] == "PERSISTENT_CHAT_NOT_AUTHORIZED"
    assert "resumeToken" in answer["body"]["error"]["message"]

    # A widget holding a forged token starts a fresh chat, says so, and shows nothing of Alice's.
    contacts_before = len(mallory.emulator.contacts())
    mallory.page.evaluate(
        """() => localStorage.setItem("connect-chat:previous",
            JSON.stringify({resumeToken: "AQEAAAAAforged", displayName: "M",
                            endedAt: Date.now()}))"""
    )
    mallory.page.reload()
    expect(mallory.page.get_by_label(CONTINUE)).to_be_checked()
    mallory.start(name="M").wait_for_agent()
    expect(mallory.page.get_by_test_id("chat-notice")).to_have_text(FRESH_START_TEXT)
    expect(mallory.customer_message("my secret order 77")).to_have_count(0)
    assert len(mallory.emulator.contacts()) == contacts_before + 1
    assert mallory.emulator.contact(mallory.contact_id())["ContinuedFromContactId"] is None


def test_a_signed_in_visitor_reaches_the_flow_with_the_signed_identity(chat):
    stack = chat.stack
    chat.page.goto(stack.host_url + "/?signedIn=1")
    expect(chat.page.get_by_label("Signed-in visitor", exact=False)).to_be_checked()
    with chat.page.expect_request(
        lambda request: request.url == stack.api_url and request.method == "POST"
    ) as started:
        chat.page.get_by_test_id("chat-launcher").click()
        frame = chat.page.frame_locator('[data-testid="chat-frame"]')
        frame.get_by_role("button", name="Start chat").click()
    assert started.value.headers["authorization"].startswith("Bearer ey")
    expect(frame.locator("li[data-role=system]", has_text="joined the chat")).to_have_count(1)
    frame.locator("#composer-message").fill("whoami")
    frame.locator("#composer-message").press("Enter")
    reply = frame.locator("li[data-role=agent]", has_text="Customer id:")
    expect(reply).to_have_count(1)
    text = reply.inner_text()
    # The signed name wins over the page's setDisplayName; the signed attribute is not in the
    # dev stack's allowedAttributes and still arrives; the page's setAttributes too.
    assert "Display name: Ada Lovelace" in text
    assert "Customer id: demo-customer-42" in text
    assert 'loyaltyTier="gold"' in text and 'topic="Billing"' in text
    assert "Chat duration: 1500 minutes" in text


def test_an_anonymous_visitor_on_the_same_page_has_no_customer_id(chat):
    chat.page.goto(chat.stack.host_url + "/")
    expect(chat.page.get_by_label("Signed-in visitor", exact=False)).not_to_be_checked()
    chat.page.get_by_test_id("chat-launcher").click()
    frame = chat.page.frame_locator('[data-testid="chat-frame"]')
    frame.get_by_role("button", name="Start chat").click()
    expect(frame.locator("li[data-role=system]", has_text="joined the chat")).to_have_count(1)
    frame.locator("#composer-message").fill("whoami")
    frame.locator("#composer-message").press("Enter")
    reply = frame.locator("li[data-role=agent]", has_text="Customer id:")
    expect(reply).to_contain_text("Customer id: (none: not signed in)")
    expect(reply).to_contain_text("Display name: Demo visitor")
