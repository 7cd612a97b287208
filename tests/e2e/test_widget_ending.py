"""Ending well (issue 11 item 7): End chat asks first; with the stack's post-chat survey the
chat stays connected for the flow's disconnect branch, then offers a new chat."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from test_widget_accessibility import serious_violations
from widget_stacks import start_widget_stack

from local_mode.runner import LocalStack


@pytest.fixture(scope="module")
def widget_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """The dev stack with widget.postChatSurvey on."""
    stack = start_widget_stack(tmp_path_factory, "survey", {"postChatSurvey": True})
    yield stack
    stack.stop()


def test_end_chat_asks_first_and_escape_keeps_the_chat(new_chat):
    # Reduced motion: axe must not catch a bubble mid fade-in.
    chat = new_chat(reduced_motion="reduce")
    chat.open().start().wait_for_agent()
    chat.page.locator("button.end").click()
    dialog = chat.page.get_by_role("dialog", name="End this chat?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Keep chatting")).to_be_focused()
    assert serious_violations(chat.page) == []
    chat.page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(chat.page.locator("button.end")).to_be_focused()
    chat.ask("still here", "You said: still here")
    assert chat.emulator.contact(chat.contact_id())["State"] == "CONNECTED"


def test_survey_runs_after_the_visitor_ends_then_a_new_chat_is_offered(new_chat):
    chat = new_chat(reduced_motion="reduce")
    chat.open().start().wait_for_agent()
    contact_id = chat.contact_id()
    chat.end_chat()
    expect(chat.page.get_by_test_id("survey-note")).to_have_text(
        "You've left the chat. Please answer our short survey below."
    )
    expect(chat.system_event("left the chat")).to_have_count(1)
    survey = chat.messages.locator(".interactive", has_text="How would you rate this chat?")
    expect(survey).to_be_visible()
    contact = chat.emulator.contact(contact_id)
    assert (contact["State"], contact["DisconnectOnCustomerExit"]) == ("CONNECTED", ["AGENT"])
    assert serious_violations(chat.page) == []

    survey.get_by_role("button", name="Good", exact=True).click()
    expect(chat.messages.get_by_text("Thank you for your feedback. Goodbye!")).to_be_visible()
    expect(chat.page.get_by_text("This chat has ended.")).to_be_visible()
    expect(chat.page.get_by_test_id("survey-note")).to_have_count(0)
    restart = chat.page.get_by_role("button", name="Start a new chat")
    expect(restart).to_be_focused()
    contact = chat.emulator.contact(contact_id)
    assert (contact["State"], contact["EndReason"]) == ("ENDED", "CUSTOMER_DISCONNECT")
    restart.click()
    expect(chat.page.locator("#prechat-name")).to_be_visible()
