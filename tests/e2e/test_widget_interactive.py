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


INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive"
PIXEL = "https://images.example.com/plan.png"
NOT_HTTPS = [
    "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
    "javascript:alert(1)",
    "http://images.example.com/plan.png",
]


def test_interactive_images_that_are_not_https_are_not_drawn(chat):
    # An agent, bot or flow can put any string in imageData; only https images are drawn.
    chat.open().start().wait_for_agent()
    elements = [{"title": "Safe", "imageType": "URL", "imageData": PIXEL}] + [
        {"title": f"Unsafe {i}", "imageType": "URL", "imageData": url}
        for i, url in enumerate(NOT_HTTPS)
    ]
    picker = {
        "templateType": "ListPicker",
        "version": "1.0",
        "data": {
            "content": {
                "title": "Pick a plan",
                "imageType": "URL",
                "imageData": NOT_HTTPS[0],
                "elements": elements,
            }
        },
    }
    emulator = chat.stack.emulator
    contact = emulator.store.contacts[chat.contact_id()]

    def agent_sends_the_picker() -> None:
        # The control endpoint posts only text; the agent's seat posts like its scripted replies.
        seat = emulator.agent.seat(contact)
        emulator.store.post(
            contact,
            seat.participant,
            item_type="MESSAGE",
            content_type=INTERACTIVE,
            content=json.dumps(picker),
        )

    chat.stack.run_in_loop(agent_sends_the_picker)
    card = chat.messages.locator("li[data-role=agent]").filter(has_text="Pick a plan")
    expect(card.locator("button.choice")).to_have_count(4)
    expect(card.locator("button.choice .choice-title")).to_have_text(
        ["Safe", "Unsafe 0", "Unsafe 1", "Unsafe 2"]
    )
    sources = card.locator("img").evaluate_all("(imgs) => imgs.map((i) => i.getAttribute('src'))")
    assert sources == [PIXEL]
