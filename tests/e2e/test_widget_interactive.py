"""Interactive messages in the real widget: each template the scripted agent sends renders,
and a choice goes back to Connect as an interactive.response that the agent answers.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

RESPONSE = "application/vnd.amazonaws.connect.message.interactive.response"

# command, the template's title, how many choices it offers, the choice to pick (None: first)
TEMPLATES = [
    ("list", "Which plan are you interested in?", 3, "Team"),
    ("quick", "How was your experience?", 3, "Good"),
    ("time", "Schedule a call back", 3, None),
    ("panel", "How can I help you?", 2, "Talk to a person"),
    ("carousel", "Popular topics", 6, "Check my order"),
]


@pytest.mark.parametrize(("command", "title", "choices", "pick"), TEMPLATES)
def test_interactive_message_renders_and_the_choice_is_answered(
    chat, command, title, choices, pick
):
    chat.open().start().wait_for_agent()
    chat.send(command)
    interactive = chat.page.locator(".interactive")
    card = chat.messages.locator("li[data-role=agent]").filter(has=interactive).last
    expect(card).to_be_visible()
    expect(card.locator(".interactive-title").first).to_have_text(title)
    buttons = card.locator("button.choice")
    expect(buttons).to_have_count(choices)
    chosen = buttons.first if pick is None else buttons.filter(has_text=pick).first
    chosen_title = chosen.locator(".choice-title").inner_text()
    chosen.click()

    expect(chat.customer_message(chosen_title)).to_have_count(1)
    expect(chat.agent_message(f"You chose: {chosen_title}")).to_have_count(1)
    # One choice per message: the options lock once used.
    expect(buttons.first).to_be_disabled()

    transcript = chat.emulator.contact(chat.contact_id())["Transcript"]
    responses = [
        json.loads(item["Content"])
        for item in transcript
        if item["ContentType"] == RESPONSE and item.get("ParticipantRole") == "CUSTOMER"
    ]
    assert len(responses) == 1
    assert responses[0]["data"]["content"]["title"] == chosen_title
    if command == "carousel":
        assert responses[0]["templateType"] == "Panel"
