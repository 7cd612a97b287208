"""Interactive message templates, in the JSON shapes Amazon Connect sends to chat clients.

Content type application/vnd.amazonaws.connect.message.interactive; the customer's choice
comes back as ...interactive.response. Images are left out so local mode stays offline.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive"
INTERACTIVE_RESPONSE = "application/vnd.amazonaws.connect.message.interactive.response"


def _template(template_type: str, content: dict[str, Any]) -> str:
    return json.dumps(
        {"templateType": template_type, "version": "1.0", "data": {"content": content}}
    )


def list_picker() -> str:
    return _template(
        "ListPicker",
        {
            "title": "Which plan are you interested in?",
            "subtitle": "Tap to select an option",
            "elements": [
                {"title": "Starter", "subtitle": "$10 a month"},
                {"title": "Team", "subtitle": "$25 a month"},
                {"title": "Enterprise", "subtitle": "Let's talk"},
            ],
        },
    )


def quick_reply() -> str:
    return _template(
        "QuickReply",
        {
            "title": "How was your experience?",
            "elements": [{"title": "Great"}, {"title": "Good"}, {"title": "Poor"}],
        },
    )


def time_picker() -> str:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    slots = [
        {"date": (tomorrow + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M+00:00"), "duration": 60}
        for h in (0, 2, 5)
    ]
    return _template(
        "TimePicker",
        {
            "title": "Schedule a call back",
            "subtitle": "Pick a time that suits you",
            "timeZoneOffset": 0,
            "location": {
                "title": "Phone call",
                "latitude": 47.616299,
                "longitude": -122.333031,
                "radius": 1,
            },
            "timeslots": slots,
        },
    )


def _panel_content(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "subtitle": "Choose an option",
        "elements": [{"title": "Check my order"}, {"title": "Talk to a person"}],
    }


def panel() -> str:
    return _template("Panel", _panel_content("How can I help you?"))


def carousel() -> str:
    elements = [
        {
            "templateIdentifier": f"panel-{index}",
            "templateType": "Panel",
            "version": "1.0",
            "data": {"content": _panel_content(title)},
        }
        for index, title in enumerate(["Orders", "Billing", "Returns"])
    ]
    return _template(
        "Carousel",
        {"title": "Popular topics", "omitTitleFromCarouselMessage": False, "elements": elements},
    )


def survey() -> str:
    """The post-chat survey's one question, as the disconnect flow sends it."""
    return json.dumps(
        {
            "templateType": "ListPicker",
            "templateIdentifier": "post-chat-survey",
            "version": "1.0",
            "data": {
                "content": {
                    "title": "How would you rate this chat?",
                    "subtitle": "Your answer helps us improve",
                    "elements": [
                        {"title": "Very good"},
                        {"title": "Good"},
                        {"title": "Poor"},
                    ],
                }
            },
        }
    )


def chosen_title(response: str) -> str:
    """The title the customer picked in an interactive.response, whatever the template."""
    try:
        payload = json.loads(response)
    except ValueError:
        return "(unreadable choice)"
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("selectedElement", "title"):
                value = node.get(key)
                if isinstance(value, str) and value:
                    found.append(value)
                    return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload.get("data") if isinstance(payload, dict) else payload)
    return found[0] if found else "(unknown choice)"
