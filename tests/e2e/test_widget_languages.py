"""Languages and the formatting toolbar (issue 11 items 5 and 9) on a stack with
widget.language "de" and widget.customerFormatting on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from test_widget_accessibility import serious_violations
from widget_stacks import start_widget_stack

from local_mode.runner import LocalStack


@pytest.fixture(scope="module")
def widget_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    stack = start_widget_stack(
        tmp_path_factory, "lang", {"language": "de", "customerFormatting": True}
    )
    yield stack
    stack.stop()


def test_the_stack_language_beats_the_browser_and_only_its_locale_is_fetched(new_chat):
    chat = new_chat(locale="fr-FR")
    locales: list[str] = []
    chat.page.on(
        "request",
        lambda r: (
            locales.append(r.url.rsplit("/", 1)[-1])
            if any(f"/assets/{c}-" in r.url for c in ("es", "fr", "de", "pt-BR", "ja", "ar"))
            else None
        ),
    )
    chat.open()
    expect(chat.page.get_by_role("button", name="Chat starten")).to_be_visible()
    html = chat.page.locator("html")
    expect(html).to_have_attribute("lang", "de")
    expect(html).to_have_attribute("dir", "ltr")
    assert [name.split("-")[0] for name in locales] == ["de"]


def test_the_host_set_language_wins_and_arabic_is_laid_out_right_to_left(new_chat):
    # Reduced motion: axe must not catch a bubble mid fade-in.
    chat = new_chat(locale="en-GB", reduced_motion="reduce")
    page = chat.page
    page.goto(chat.stack.host_url + "/")
    page.wait_for_function("() => window.ConnectChat && window.ConnectChat.connectChatInstalled")
    page.evaluate("() => ConnectChat('setLanguage', 'ar')")
    page.get_by_test_id("chat-launcher").click()
    frame = page.frame_locator('[data-testid="chat-frame"]')
    start = frame.get_by_role("button", name="بدء الدردشة")
    expect(start).to_be_visible()
    expect(frame.locator("html")).to_have_attribute("lang", "ar")
    expect(frame.locator("html")).to_have_attribute("dir", "rtl")
    document = next(f for f in page.frames if f.url.startswith(chat.stack.site_url))
    assert serious_violations(document) == []
    frame.locator("#prechat-name").fill("Ada")
    start.click()
    expect(frame.get_by_text("Alex (emulated agent)").first).to_be_visible()
    # Right to left: the visitor's own bubbles sit on the left, the agent's on the right.
    frame.locator("#composer-message").fill("مرحبا")
    frame.locator("#composer-message").press("Enter")
    mine = frame.locator("li[data-role=customer]").first
    theirs = frame.locator("li[data-role=agent]").first
    expect(mine).to_be_visible()
    assert mine.bounding_box()["x"] < theirs.bounding_box()["x"]
    assert serious_violations(document) == []


def test_the_visitor_formats_with_the_toolbar_and_shortcuts_and_sends_markdown(new_chat):
    chat = new_chat(reduced_motion="reduce")
    chat.open()
    chat.page.locator("#prechat-name").fill("Ada")
    chat.page.get_by_role("button", name="Chat starten").click()
    expect(chat.system_event("ist dem Chat beigetreten")).to_have_count(1)
    expect(chat.agent_message("Hi, I'm Alex")).to_have_count(1)
    seen = chat.emulator.record_items()
    toolbar = chat.page.get_by_role("toolbar", name="Formatierung")
    expect(toolbar).to_be_visible()
    chat.composer.fill("wichtig")
    chat.composer.press("Control+a")
    toolbar.get_by_role("button", name="Fett").click()
    expect(chat.composer).to_have_value("**wichtig**")
    chat.composer.press("End")
    chat.composer.type(" und ")
    chat.composer.press("Control+i")
    chat.composer.type("schnell")
    expect(chat.composer).to_have_value("**wichtig** und _schnell_")
    chat.composer.press("Enter")
    mine = chat.customer_message("wichtig")
    expect(mine.locator("strong")).to_have_text("wichtig")
    expect(mine.locator("em")).to_have_text("schnell")
    sent = chat.wait_until(
        lambda: [
            i for i in seen if i.get("ParticipantRole") == "CUSTOMER" and i["Type"] == "MESSAGE"
        ],
        "the customer's message",
    )
    assert (sent[0]["ContentType"], sent[0]["Content"]) == (
        "text/markdown",
        "**wichtig** und _schnell_",
    )
    assert serious_violations(chat.page) == []
