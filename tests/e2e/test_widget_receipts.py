"""Typing indicators both ways and read/delivered receipts between the real widget and the
emulated Connect: what the visitor does reaches Connect, what the agent does shows.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

TYPING = "application/vnd.amazonaws.connect.event.typing"
READ = "application/vnd.amazonaws.connect.event.message.read"

# Records every delivered/read mark a visitor's message shows, in order, however briefly.
STATUS_RECORDER = """
window.__statuses = [];
new MutationObserver((mutations) => {
  for (const m of mutations) {
    const node = m.target;
    if (node.matches?.("li[data-role=customer]") && node.dataset.status) {
      window.__statuses.push(node.dataset.status);
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-status"]});
"""


def test_customer_typing_reaches_connect(chat):
    chat.open().start().wait_for_agent()
    contact_id = chat.contact_id()
    seen = chat.emulator.record_items()
    chat.composer.press_sequentially("I have a question")

    def customer_typing():
        return [
            item
            for item in list(seen)
            if item["ContactId"] == contact_id
            and item["ContentType"] == TYPING
            and item.get("ParticipantRole") == "CUSTOMER"
        ]

    typed = chat.wait_until(customer_typing, "the customer's typing event")
    # Throttled: one event for a burst of keystrokes, not one per key.
    assert len(typed) == 1
    assert typed[0]["DisplayName"] == "Ada Lovelace"


def test_agent_typing_shows_then_clears_with_the_message(chat):
    chat.open().start().wait_for_agent()
    chat.send("echo this")
    expect(chat.typing).to_be_visible()
    expect(chat.typing).to_have_text("Alex (emulated agent) is typing…")
    expect(chat.agent_message("You said: echo this")).to_have_count(1)
    expect(chat.typing).to_be_hidden()


def test_customer_read_receipts_reach_connect(chat):
    chat.open().start().wait_for_agent()
    answer = chat.ask("read me", "You said: read me")
    message_id = answer.get_attribute("data-message-id")
    assert message_id
    session = chat.active_session()
    assert session is not None

    def read_receipts():
        transcript = chat.emulator.contact(session["contactId"])["Transcript"]
        return [
            item
            for item in transcript
            if item["ContentType"] == READ and item["MessageMetadata"]["MessageId"] == message_id
        ]

    receipts = chat.wait_until(read_receipts, "the customer's read receipt")
    receipt = receipts[0]["MessageMetadata"]["Receipts"][0]
    assert receipt["RecipientParticipantId"] == session["participantId"]
    assert receipt["ReadTimestamp"]


def test_delivered_and_read_marks_show_when_the_agent_receipts_arrive(chat):
    chat.page.add_init_script(STATUS_RECORDER)
    chat.open().start().wait_for_agent()
    chat.send("mark me")
    mine = chat.customer_message("mark me")
    expect(mine).to_have_attribute("data-status", "read")
    expect(mine.locator(".status")).to_have_text("Read")
    statuses = chat.page.evaluate("() => window.__statuses")
    assert "delivered" in statuses, statuses
    assert statuses.index("delivered") < statuses.index("read"), statuses
    # The marks never go backwards.
    assert statuses[-1] == "read"


# Lets a test hide and show the tab: headless Chromium is always "visible".
VISIBILITY = """
window.__visibility = "visible";
Object.defineProperty(Document.prototype, "visibilityState", {get: () => window.__visibility});
Object.defineProperty(Document.prototype, "hidden", {get: () => window.__visibility === "hidden"});
window.__setVisibility = (state) => {
  window.__visibility = state;
  document.dispatchEvent(new Event("visibilitychange"));
};
"""
DELIVERED = "application/vnd.amazonaws.connect.event.message.delivered"


def customer_receipts(chat, contact_id: str, message_id: str) -> dict[str, list]:
    session = chat.active_session()
    assert session is not None
    found: dict[str, list] = {READ: [], DELIVERED: []}
    for item in chat.emulator.contact(contact_id)["Transcript"]:
        metadata = item.get("MessageMetadata") or {}
        if item["ContentType"] in found and metadata.get("MessageId") == message_id:
            receipt = metadata["Receipts"][0]
            if receipt["RecipientParticipantId"] == session["participantId"]:
                found[item["ContentType"]].append(receipt)
    return found


def test_a_hidden_tab_reads_a_message_only_once_it_is_shown(chat):
    chat.page.add_init_script(VISIBILITY)
    chat.open().start().wait_for_agent()
    contact_id = chat.contact_id()
    chat.page.evaluate("() => window.__setVisibility('hidden')")
    chat.emulator.agent_says(contact_id, "are you still there?")
    message = chat.agent_message("are you still there?")
    expect(message).to_have_count(1)
    message_id = message.get_attribute("data-message-id")
    # ChatJS throttles receipts for a second; give a wrongly sent read time to arrive.
    chat.page.wait_for_timeout(1500)
    assert customer_receipts(chat, contact_id, message_id)[READ] == []

    chat.page.evaluate("() => window.__setVisibility('visible')")
    chat.wait_until(
        lambda: customer_receipts(chat, contact_id, message_id)[READ],
        "a read receipt once the tab is visible",
    )


def test_a_message_is_marked_delivered_while_the_tab_is_hidden(chat):
    chat.page.add_init_script(VISIBILITY)
    chat.open().start().wait_for_agent()
    contact_id = chat.contact_id()
    chat.page.evaluate("() => window.__setVisibility('hidden')")
    chat.emulator.agent_says(contact_id, "did this arrive?")
    message = chat.agent_message("did this arrive?")
    expect(message).to_have_count(1)
    message_id = message.get_attribute("data-message-id")
    chat.wait_until(
        lambda: customer_receipts(chat, contact_id, message_id)[DELIVERED],
        "a delivered receipt for a message that reached a hidden tab",
    )
    assert customer_receipts(chat, contact_id, message_id)[READ] == []
