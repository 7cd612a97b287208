"""Resume after a reload (same contact from sessionStorage, transcript shown), persistent
chat (a new chat continues the previous one through PersistentChat, with the resume token), and
the shared device: continuation only while fresh, named before it is loaded, and "forget me".
"""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# "Continue the chat of Grace Hopper from 14:05?" (the time as the browser formats it)
CONTINUE_GRACE = re.compile(r"^Continue the chat of Grace Hopper from \d{1,2}:\d{2}( [AP]M)?\?$")
FORGET = "Forget me on this device"
FORGOTTEN = "Done: nothing about you or your chats is saved on this device any more."


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
    token = chat.previous_resume_token()
    chat.page.get_by_role("button", name="Start a new chat").click()

    continue_box = chat.page.get_by_label(CONTINUE_GRACE)
    expect(continue_box).to_be_checked()
    expect(chat.page.locator("#prechat-name")).to_have_value("Grace Hopper")
    with chat.page.expect_request(
        lambda request: request.url == chat.stack.api_url and request.method == "POST"
    ) as started:
        chat.page.get_by_role("button", name="Start chat").click()
    body = started.value.post_data_json
    # The API's resume token, never the contact id.
    assert body["PersistentChat"] == {
        "RehydrationType": "ENTIRE_PAST_SESSION",
        "SourceContactId": token,
    }
    assert first not in token

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
    chat.page.get_by_label(re.compile(r"^Continue the chat of Ada Lovelace from ")).uncheck()
    chat.start().wait_for_agent()
    expect(chat.customer_message("old topic")).to_have_count(0)
    assert chat.emulator.contact(chat.contact_id())["ContinuedFromContactId"] is None


def end_a_chat_as(chat, name: str, said: str) -> str:
    chat.open().start(name=name).wait_for_agent()
    chat.ask(said, f"You said: {said}")
    chat.end_chat()
    expect(chat.page.get_by_role("button", name="Start a new chat")).to_be_visible()
    return chat.previous_contact_id()


def test_the_next_visitor_sees_whose_chat_before_continuing_and_can_forget_it(chat):
    end_a_chat_as(chat, "Grace Hopper", "my card ends 4242")
    # The next person at the computer opens the chat in a new tab.
    page = chat.page.context.new_page()
    page.goto(chat.stack.site_url + "/index.html")
    expect(page.get_by_label(CONTINUE_GRACE)).to_be_checked()
    page.get_by_role("button", name=FORGET).click()
    expect(page.get_by_test_id("error-message")).to_have_text(FORGOTTEN)
    expect(page.locator("#prechat-name")).to_have_value("")
    expect(page.locator("#prechat-name")).to_be_focused()
    expect(page.locator("#prechat-continue")).to_have_count(0)
    expect(page.get_by_role("button", name=FORGET)).to_have_count(0)
    keys = page.evaluate(
        "() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]"
        ".filter((k) => k.startsWith('connect-chat:'))"
    )
    assert keys == []
    contacts_before = {c["ContactId"] for c in chat.emulator.contacts()}
    with page.expect_request(
        lambda request: request.url == chat.stack.api_url and request.method == "POST"
    ) as started:
        page.locator("#prechat-name").fill("Next Visitor")
        page.get_by_role("button", name="Start chat").click()
    assert "PersistentChat" not in started.value.post_data_json
    expect(page.locator("#composer-message")).to_be_visible()
    new = {c["ContactId"] for c in chat.emulator.contacts()} - contacts_before
    (contact_id,) = new
    assert chat.emulator.contact(contact_id)["ContinuedFromContactId"] is None
    expect(page.get_by_text("my card ends 4242")).to_have_count(0)


def test_a_chat_older_than_the_window_is_neither_offered_nor_named(chat):
    first = end_a_chat_as(chat, "Grace Hopper", "an old question")
    # The record as the widget wrote it, aged past the default window of 1440 minutes.
    record = json.loads(chat.page.evaluate("() => localStorage.getItem('connect-chat:previous')"))
    # The resume token, whose chat it was and when it ended: never the contact id.
    assert sorted(record) == ["displayName", "endedAt", "resumeToken"]
    assert record["displayName"] == "Grace Hopper" and first not in record["resumeToken"]
    record["endedAt"] = int(time.time() * 1000) - (1440 * 60_000 + 60_000)
    chat.page.evaluate(
        "(r) => localStorage.setItem('connect-chat:previous', r)", json.dumps(record)
    )
    chat.open()
    expect(chat.page.locator("#prechat-name")).to_have_value("")
    expect(chat.page.locator("#prechat-continue")).to_have_count(0)
    expect(chat.page.get_by_role("button", name=FORGET)).to_have_count(0)
    assert chat.page.evaluate("() => localStorage.getItem('connect-chat:previous')") is None


def test_forget_me_after_a_chat_takes_its_transcript_off_the_screen(chat):
    end_a_chat_as(chat, "Grace Hopper", "private words")
    chat.page.get_by_role("button", name=FORGET).click()
    expect(chat.page.get_by_text("private words")).to_have_count(0)
    expect(chat.error).to_have_text(FORGOTTEN)
    expect(chat.page.locator("#prechat-name")).to_have_value("")
    assert chat.saved_keys() == {"local": [], "session": []}
    # Reloading brings nothing back either.
    chat.page.reload()
    expect(chat.page.locator("#prechat-name")).to_have_value("")
    expect(chat.page.locator("#prechat-continue")).to_have_count(0)
