"""Resume after a reload (same contact from sessionStorage, transcript shown) and persistent
chat (a new chat continues the previous one through PersistentChat / SourceContactId).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_reload_mid_chat_resumes_the_same_contact_with_its_transcript(chat):
    chat.open().start().wait_for_agent()
    chat.ask("before the reload", "You said: before the reload")
    before = chat.active_session()
    assert before is not None
    contacts_before = len(chat.emulator.contacts())

    chat.page.reload()
    expect(chat.composer).to_be_visible()
    # No pre-chat form: the saved chat is resumed.
    expect(chat.page.locator("#prechat-name")).to_have_count(0)
    expect(chat.customer_message("before the reload")).to_have_count(1)
    expect(chat.agent_message("You said: before the reload")).to_have_count(1)
    expect(chat.system_event("joined the chat")).to_have_count(1)
    assert chat.active_session()["contactId"] == before["contactId"]
    assert len(chat.emulator.contacts()) == contacts_before, "a reload must not start a chat"
    # The resumed chat is live.
    chat.ask("after the reload", "You said: after the reload")
    transcript = chat.emulator.contact(before["contactId"])["Transcript"]
    said = [item.get("Content") for item in transcript if item.get("ParticipantRole") == "CUSTOMER"]
    assert said.count("before the reload") == 1
    assert said.count("after the reload") == 1


def test_new_chat_continues_the_previous_conversation(chat):
    chat.open().start(name="Grace Hopper").wait_for_agent()
    chat.ask("remember my order 42", "You said: remember my order 42")
    chat.end_chat()
    first = chat.previous_contact_id()
    chat.page.get_by_role("button", name="Start a new chat").click()

    continue_box = chat.page.get_by_label("Continue my previous conversation")
    expect(continue_box).to_be_checked()
    expect(chat.page.locator("#prechat-name")).to_have_value("Grace Hopper")
    with chat.page.expect_request(
        lambda request: request.url == chat.stack.api_url and request.method == "POST"
    ) as started:
        chat.page.get_by_role("button", name="Start chat").click()
    body = started.value.post_data_json
    assert body["PersistentChat"] == {
        "RehydrationType": "ENTIRE_PAST_SESSION",
        "SourceContactId": first,
    }

    expect(chat.composer).to_be_visible()
    # The previous conversation is shown in the new chat.
    expect(chat.customer_message("remember my order 42")).to_have_count(1)
    expect(chat.agent_message("You said: remember my order 42")).to_have_count(1)
    second = chat.contact_id()
    assert second != first
    assert chat.emulator.contact(second)["ContinuedFromContactId"] == first
    # The agent of the new chat joins and answers in the same conversation.
    expect(chat.agent_message("Hi, I'm Alex")).to_have_count(2)
    chat.ask("still there?", "You said: still there?")


def test_unticking_continue_starts_a_fresh_conversation(chat):
    chat.open().start().wait_for_agent()
    chat.ask("old topic", "You said: old topic")
    chat.end_chat()
    chat.page.get_by_role("button", name="Start a new chat").click()
    chat.page.get_by_label("Continue my previous conversation").uncheck()
    chat.start().wait_for_agent()
    expect(chat.customer_message("old topic")).to_have_count(0)
    assert chat.emulator.contact(chat.contact_id())["ContinuedFromContactId"] is None
