"""A whole chat in the real widget: pre-chat form, agent join, messages with sender and time,
typing, markdown (safely), end of chat, and what the emulator recorded about the contact.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

TIME = re.compile(r"^\s*\d{1,2}:\d{2}")


def test_prechat_form_starts_a_chat_with_name_topic_and_the_stack_flow(chat):
    chat.open().start(name="Ada Lovelace", topic="Sales").wait_for_agent()
    listed = {c["ContactId"]: c for c in chat.emulator.contacts()}
    contact = listed[chat.contact_id()]
    assert contact["Attributes"] == {"topic": "Sales", "customerName": "Ada Lovelace"}
    assert contact["CustomerDisplayName"] == "Ada Lovelace"
    assert contact["ContactFlowId"] == chat.stack.stack.contact_flow_id
    assert contact["InstanceId"] == chat.stack.stack.instance_id
    assert contact["State"] != "ENDED"


def test_agent_joins_types_and_messages_carry_sender_and_time(chat):
    chat.open().start(topic="Billing")
    expect(chat.system_event("Alex (emulated agent) joined the chat")).to_have_count(1)
    expect(chat.agent_message("Hi, I'm Alex")).to_have_count(1)
    chat.send("hello widget")
    # The agent's typing shows before its answer, then goes away when the answer lands.
    expect(chat.typing).to_be_visible()
    expect(chat.typing).to_contain_text("is typing")
    answer = chat.agent_message("You said: hello widget")
    expect(answer).to_have_count(1)
    expect(chat.typing).to_be_hidden()

    mine = chat.customer_message("hello widget")
    expect(mine).to_have_count(1)
    expect(mine.locator(".sender")).to_have_text("You")
    expect(answer.locator(".sender")).to_have_text("Alex (emulated agent)")
    for message in (mine, answer):
        stamp = message.locator("time")
        expect(stamp).to_have_text(TIME)
        assert stamp.get_attribute("datetime"), "each message carries a machine-readable time"
    assert mine.get_attribute("data-role") == "customer"
    assert answer.get_attribute("data-role") == "agent"
    # Order in the log follows the conversation.
    texts = chat.messages.locator("li[data-role] .body").all_inner_texts()
    assert texts.index("hello widget") < texts.index("You said: hello widget")


def test_end_chat_shows_the_ended_event_and_ends_the_contact(chat):
    chat.open().start().wait_for_agent()
    contact_id = chat.contact_id()
    chat.end_chat()
    expect(chat.page.get_by_text("This chat has ended.")).to_be_visible()
    expect(chat.system_event("The chat has ended")).to_have_count(1)
    expect(chat.page.get_by_role("button", name="Start a new chat")).to_be_focused()
    expect(chat.composer).to_have_count(0)
    assert chat.active_session() is None, "an ended chat must not be resumed on reload"
    contact = chat.emulator.contact(contact_id)
    assert contact["State"] == "ENDED"
    assert contact["EndReason"] == "CUSTOMER_DISCONNECT"


def test_agent_ending_the_chat_shows_the_chat_ended_event(chat):
    chat.open().start().wait_for_agent()
    chat.send("bye")
    expect(chat.agent_message("Goodbye")).to_have_count(1)
    expect(chat.system_event("left the chat")).to_have_count(1)
    expect(chat.system_event("The chat has ended")).to_have_count(1)
    expect(chat.page.get_by_text("This chat has ended.")).to_be_visible()
    assert chat.emulator.contact(chat.previous_contact_id())["EndReason"] == "AGENT_DISCONNECT"


def test_markdown_renders_bold_list_and_link(chat):
    chat.open().start().wait_for_agent()
    reply = chat.ask("markdown", "Here is")
    body = reply.locator(".body")
    expect(body.locator("strong")).to_have_text("bold text")
    expect(body.locator("ul > li")).to_have_text(["first item", "second item"])
    link = body.get_by_role("link", name="link to Amazon Connect")
    expect(link).to_have_attribute("href", "https://aws.amazon.com/connect/")
    # Raw markdown syntax must not leak through as text.
    assert "**" not in body.inner_text()


def test_script_and_onerror_payloads_from_the_agent_do_not_execute(chat):
    chat.open().start().wait_for_agent()
    reply = chat.ask("xss", "Markdown with a payload")
    # The markdown around the payload still renders.
    expect(reply.locator(".body strong")).to_have_text("still bold")
    assert chat.page.evaluate("() => window.__xss") is None
    dangerous = chat.page.evaluate(
        """() => {
          const log = document.querySelector('[data-testid="message-list"]');
          const all = [...log.querySelectorAll('*')];
          return {
            scripts: log.querySelectorAll('script, iframe, object, embed').length,
            handlers: all.flatMap((el) => [...el.attributes])
                         .filter((a) => a.name.startsWith('on')).map((a) => a.name),
            images: [...log.querySelectorAll('img')].map((img) => img.getAttribute('src')),
          };
        }"""
    )
    assert dangerous["scripts"] == 0
    assert dangerous["handlers"] == []
    assert "x" not in dangerous["images"], "the payload's <img src=x> must not reach the DOM"
    # Give a late-loading image a moment to fail and fire onerror, had it been kept.
    chat.page.wait_for_timeout(300)
    assert chat.page.evaluate("() => window.__xss") is None


def test_without_a_stack_language_the_browser_language_is_used(new_chat):
    # Item 5's last fallback, on the dev stack (no widget.language).
    chat = new_chat(locale="fr-FR")
    chat.open()
    expect(chat.page.get_by_role("button", name="Démarrer le chat")).to_be_visible()
    expect(chat.page.locator("html")).to_have_attribute("lang", "fr")
