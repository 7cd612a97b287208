"""Accessibility of the real widget: axe-core finds no serious or critical violation on the
pre-chat form or an active chat; the whole chat works from the keyboard; new messages are in
a live region; a phone-sized viewport gets a full-screen chat; reduced motion means no motion.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "site" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 667}


def serious_violations(page: Any) -> list[dict[str, Any]]:
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` in site/"
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does
        # not block it the way an injected <script> would be.
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ["violations"]});
          return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map((n) => n.target.join(" "))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_violation_on_the_prechat_form(new_chat):
    chat = new_chat()
    chat.open()
    expect(chat.page.locator("#prechat-name")).to_be_visible()
    assert serious_violations(chat.page) == []


def test_axe_finds_no_serious_violation_in_an_active_chat(new_chat):
    chat = new_chat()
    chat.open().start(topic="Support").wait_for_agent()
    chat.ask("markdown", "Here is")
    chat.send("list")
    expect(chat.messages.locator(".interactive")).to_have_count(1)
    chat.page.locator("#composer-file").set_input_files(
        {"name": "note.txt", "mimeType": "text/plain", "buffer": b"a note"}
    )
    expect(chat.messages.get_by_role("button", name="Download note.txt")).to_be_visible()
    assert serious_violations(chat.page) == []


def test_axe_finds_no_serious_violation_when_embedded(new_chat):
    chat = new_chat()
    chat.page.goto(chat.stack.host_url + "/")
    chat.page.get_by_test_id("chat-launcher").click()
    frame = chat.page.frame_locator('[data-testid="chat-frame"]')
    expect(frame.locator("#prechat-name")).to_be_visible()
    chat_document = next(f for f in chat.page.frames if f.url.startswith(chat.stack.site_url))
    # The chat's own document inside the frame, then the host page with the launcher.
    assert serious_violations(chat_document) == []
    assert serious_violations(chat.page) == []


def test_axe_finds_no_serious_violation_in_the_shared_device_states(new_chat):
    chat = new_chat()
    chat.open().start(name="Grace Hopper").wait_for_agent()
    chat.end_chat()
    forget = chat.page.get_by_role("button", name="Forget me on this device")
    # The ended chat, with "Start a new chat" and "Forget me on this device".
    expect(forget).to_be_visible()
    assert serious_violations(chat.page) == []
    chat.page.get_by_role("button", name="Start a new chat").click()
    # The pre-chat form offering to continue a named chat.
    expect(chat.page.locator("#prechat-continue")).to_be_checked()
    assert serious_violations(chat.page) == []
    forget.click()
    # After forgetting: the notice and an empty form.
    expect(chat.error).to_contain_text("nothing about you")
    assert serious_violations(chat.page) == []


def test_axe_finds_no_serious_violation_when_the_start_is_refused(new_chat):
    chat = new_chat()
    # An origin the API refuses (see test_widget_errors.py): the refusal's message is shown.
    chat.page.goto(chat.stack.site_url.replace("127.0.0.1", "localhost", 1) + "/index.html")
    chat.page.locator("#prechat-name").fill("Ada Lovelace")
    chat.page.get_by_role("button", name="Start chat").click()
    expect(chat.error).to_contain_text("isn't set up to start chats")
    assert serious_violations(chat.page) == []


def focused(page: Any) -> str:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return `${el.tagName.toLowerCase()}#${el.id}|${(el.textContent || "").trim()}`;
        }"""
    )


def tab_to(page: Any, wanted: str, backwards: bool = False, limit: int = 25) -> None:
    """Presses Tab (or Shift+Tab) until the focused element's id or text contains `wanted`."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        seen.append(now)
        if wanted in now:
            return
    raise AssertionError(f"{wanted!r} not reachable with {key}; focus went through {seen}")


def test_the_whole_chat_works_with_the_keyboard_alone(new_chat):
    chat = new_chat()
    page = chat.page
    chat.open()
    expect(page.locator("#prechat-name")).to_be_visible()
    tab_to(page, "#prechat-name")
    page.keyboard.type("Keyboard User")
    tab_to(page, "#prechat-topic")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    tab_to(page, "Start chat")
    page.keyboard.press("Enter")
    # Focus lands in the message box once the chat is live.
    expect(chat.composer).to_be_focused()
    expect(chat.agent_message("Hi, I'm Alex")).to_have_count(1)
    page.keyboard.type("quick")
    page.keyboard.press("Enter")
    expect(chat.messages.locator("button.choice")).to_have_count(3)
    tab_to(page, "Great", backwards=True)
    page.keyboard.press("Enter")
    expect(chat.agent_message("You chose: Great")).to_have_count(1)
    tab_to(page, "#composer-message")
    page.keyboard.type("typed without a mouse")
    page.keyboard.press("Enter")
    expect(chat.agent_message("You said: typed without a mouse")).to_have_count(1)
    tab_to(page, "End chat", backwards=True)
    page.keyboard.press("Enter")
    # The confirmation opens on "Keep chatting"; the next stop is its End chat.
    expect(page.get_by_role("button", name="Keep chatting")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Start a new chat")).to_be_focused()
    contact = chat.emulator.contact(chat.previous_contact_id())
    assert contact["Attributes"]["topic"] == "Sales"
    assert contact["State"] == "ENDED"


def test_new_messages_arrive_in_a_live_region(new_chat):
    chat = new_chat()
    chat.open().start().wait_for_agent()
    answer = chat.ask("announce me", "You said: announce me")
    region = answer.evaluate(
        """(node) => {
          const live = node.closest('[aria-live], [role="log"], [role="status"]');
          return live && {live: live.getAttribute('aria-live'), role: live.getAttribute('role'),
                          relevant: live.getAttribute('aria-relevant')};
        }"""
    )
    assert region is not None, "new messages must be inside an aria-live region"
    assert region["live"] in ("polite", "assertive") or region["role"] == "log"
    assert region["relevant"] in (None, "additions", "additions text")


def test_phone_viewport_gets_a_full_screen_chat(new_chat):
    chat = new_chat(viewport=PHONE)
    chat.open()
    expect(chat.page.locator("#prechat-name")).to_be_visible()
    box = chat.page.get_by_test_id("chat-panel").bounding_box()
    assert box == {"x": 0, "y": 0, **PHONE}
    no_sideways_scroll = chat.page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )
    assert no_sideways_scroll


def test_phone_viewport_on_a_host_page_gets_a_full_screen_frame(new_chat):
    chat = new_chat(viewport=PHONE)
    chat.page.goto(chat.stack.host_url + "/")
    chat.page.get_by_test_id("chat-launcher").click()
    iframe = chat.page.get_by_test_id("chat-frame")
    expect(iframe).to_be_visible()
    assert iframe.bounding_box() == {"x": 0, "y": 0, **PHONE}


MOTION = """() => [...document.querySelectorAll('*')].flatMap((el) => {
  const style = getComputedStyle(el);
  const moving = [];
  if (style.animationName !== 'none' && parseFloat(style.animationDuration) > 0)
    moving.push(`${el.className}: animation ${style.animationName}`);
  if (style.transitionDuration.split(',').some((d) => parseFloat(d) > 0))
    moving.push(`${el.className}: transition ${style.transitionDuration}`);
  if (style.scrollBehavior === 'smooth') moving.push(`${el.className}: smooth scroll`);
  return moving;
})"""


@pytest.mark.parametrize(
    ("preference", "expect_motion"), [("reduce", False), ("no-preference", True)]
)
def test_reduced_motion_turns_every_animation_off(new_chat, preference, expect_motion):
    chat = new_chat(reduced_motion=preference)
    chat.open().start().wait_for_agent()
    moving = chat.page.evaluate(MOTION)
    # The control case proves the probe sees the widget's motion when it is allowed.
    assert bool(moving) is expect_motion, moving
