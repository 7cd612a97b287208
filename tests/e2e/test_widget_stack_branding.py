"""Branding from the stack's `widget` config, end to end: the stack file → local mode's
config.json → the chat page, and the chat's `ready` message → the loader's launcher and frame."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from test_widget_accessibility import serious_violations
from widget_stacks import WIDGET_TIMEOUT_MS, start_widget_stack

from local_mode.runner import LocalStack

pytestmark = pytest.mark.e2e

BRANDING = {
    "primaryColor": "#0b6e4f",
    "logo": "/favicon.svg",
    "fontFamily": "Georgia, serif",
    "position": "left",
    "width": 440,
    "height": 520,
    "displayNames": {"agent": "Support team"},
}


@pytest.fixture(scope="module")
def branded_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    stack = start_widget_stack(tmp_path_factory, "branded", BRANDING)
    yield stack
    stack.stop()


def test_the_stacks_branding_reaches_launcher_frame_and_chat(page: Any, branded_stack):
    expect.set_options(timeout=WIDGET_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(branded_stack.host_url + "/")
    launcher = page.get_by_test_id("chat-launcher")
    launcher.click()
    frame = page.frame_locator('[data-testid="chat-frame"]')
    expect(frame.locator("#prechat-name")).to_be_visible()

    # The chat's ready message carried the stack's layout to the loader.
    iframe_box = page.get_by_test_id("chat-frame").bounding_box()
    assert iframe_box is not None
    assert (iframe_box["x"], iframe_box["width"], iframe_box["height"]) == (20, 440, 520)
    launcher_box = launcher.bounding_box()
    assert launcher_box is not None and launcher_box["x"] == 20
    assert launcher.evaluate("(b) => getComputedStyle(b).backgroundColor") == "rgb(11, 110, 79)"

    frame.get_by_role("button", name="Start chat").click()
    greeting = frame.locator("li[data-role=agent]", has_text="Hi, I'm Alex")
    expect(greeting.locator(".sender")).to_have_text("Support team")
    expect(frame.get_by_test_id("chat-logo")).to_be_visible()
    document = next(f for f in page.frames if f.url.startswith(branded_stack.site_url))
    assert document.evaluate("() => getComputedStyle(document.body).fontFamily") == (
        "Georgia, serif"
    )
    assert document.evaluate(
        "() => getComputedStyle(document.querySelector('.chat-header')).backgroundColor"
    ) == ("rgb(11, 110, 79)")
    assert serious_violations(document) == []
    assert errors == []
