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
