"""Embedding: the one-tag loader on a host page of another origin draws the launcher, opens
the chat in an iframe from the site's origin, moves focus in and out, and a page on an origin
outside allowedOrigins cannot frame the chat (frame-ancestors).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FOREIGN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Not an allowed origin</title></head><body><h1>Someone else's site</h1>
<script src="{site}/widget.js" async></script></body></html>"""


@pytest.fixture(scope="module")
def foreign_host(widget_stack) -> Iterator[str]:
    """A throwaway aiohttp server on another port: an origin not in allowedOrigins."""
    loop = asyncio.new_event_loop()
    page = FOREIGN_PAGE.format(site=widget_stack.site_url)

    async def serve(request: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html")

    async def start() -> tuple[web.AppRunner, str]:
        app = web.Application()
        app.router.add_get("/", serve)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        return runner, f"http://127.0.0.1:{port}"

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner, url = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    yield url
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)


def chat_frame(page: Any, site_url: str) -> Any:
    frames = [frame for frame in page.frames if frame.url.startswith(site_url + "/chat.html")]
    assert len(frames) == 1, [frame.url for frame in page.frames]
    return frames[0]


def focused_test_id(target: Any) -> str | None:
    return target.evaluate("() => document.activeElement?.dataset?.testid ?? null")


def test_one_tag_on_another_origin_opens_the_chat_in_a_site_iframe(chat):
    stack = chat.stack
    assert stack.host_url != stack.site_url
    chat.page.goto(stack.host_url + "/")
    # One tag, nothing else from the widget on the host page before it runs.
    tags = chat.page.locator(f'script[src="{stack.site_url}/widget.js"]')
    expect(tags).to_have_count(1)
    launcher = chat.page.get_by_test_id("chat-launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    iframe = chat.page.get_by_test_id("chat-frame")
    expect(iframe).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    assert iframe.get_attribute("src").startswith(stack.site_url + "/chat.html")

    frame = chat.page.frame_locator('[data-testid="chat-frame"]')
    # The host page's setDisplayName prefilled the form.
    expect(frame.locator("#prechat-name")).to_have_value("Demo visitor")
    frame.get_by_role("button", name="Start chat").click()
    expect(frame.locator("li[data-role=system]", has_text="joined the chat")).to_have_count(1)
    frame.locator("#composer-message").fill("hello from the host page")
    frame.locator("#composer-message").press("Enter")
    expect(
        frame.locator("li[data-role=agent]", has_text="You said: hello from the host page")
    ).to_have_count(1)
    contact_id = chat_frame(chat.page, stack.site_url).evaluate(
        "() => JSON.parse(sessionStorage.getItem('connect-chat:session')).contactId"
    )
    contact = chat.emulator.contact(contact_id)
    # setAttributes from the host page arrived, through the allowlist, on the contact.
    assert contact["Attributes"]["topic"] == "Billing"
    assert contact["CustomerDisplayName"] == "Demo visitor"


def test_focus_moves_into_the_chat_on_open_and_back_on_close(chat):
    chat.page.goto(chat.stack.host_url + "/")
    launcher = chat.page.get_by_test_id("chat-launcher")
    launcher.focus()
    chat.page.keyboard.press("Enter")
    iframe = chat.page.get_by_test_id("chat-frame")
    expect(iframe).to_be_visible()
    frame = chat.page.frame_locator('[data-testid="chat-frame"]')
    expect(frame.locator("#prechat-name")).to_be_focused()
    assert focused_test_id(chat.page) == "chat-frame"

    # Escape inside the chat closes it and gives focus back to the launcher.
    chat.page.keyboard.press("Escape")
    expect(iframe).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")

    # Reopen with the keyboard, close with the chat's own minimise button.
    chat.page.keyboard.press("Enter")
    expect(iframe).to_be_visible()
    expect(frame.locator("#prechat-name")).to_be_focused()
    frame.get_by_role("button", name="Minimise chat").click()
    expect(iframe).to_be_hidden()
    expect(launcher).to_be_focused()


def refused_by_csp(message: Any) -> bool:
    return "frame-ancestors" in message.text


def test_an_origin_outside_allowed_origins_cannot_frame_the_chat(chat, foreign_host):
    chat.page.goto(foreign_host + "/")
    with chat.page.expect_console_message(refused_by_csp) as message_info:
        chat.page.get_by_test_id("chat-launcher").click()
    assert chat.stack.site_url in message_info.value.text
    expect(chat.page.get_by_test_id("chat-frame")).to_be_attached()
    framed = [frame for frame in chat.page.frames if frame != chat.page.main_frame]
    assert framed, "the loader still creates its iframe"
    # Chromium did not render our chat page inside it.
    for frame in framed:
        assert not frame.url.startswith(chat.stack.site_url), frame.url
        assert frame.locator("#app").count() == 0


def test_a_live_chat_reopens_with_its_transcript_on_the_next_host_page(chat):
    chat.page.goto(chat.stack.host_url + "/")
    chat.page.get_by_test_id("chat-launcher").click()
    frame = chat.page.frame_locator('[data-testid="chat-frame"]')
    frame.get_by_role("button", name="Start chat").click()
    expect(frame.locator("li[data-role=system]", has_text="joined the chat")).to_have_count(1)
    frame.locator("#composer-message").fill("before navigating")
    frame.locator("#composer-message").press("Enter")
    echo = frame.locator("li[data-role=agent]", has_text="You said: before navigating")
    expect(echo).to_have_count(1)
    read_contact = "() => JSON.parse(sessionStorage.getItem('connect-chat:session')).contactId"
    contact_id = chat_frame(chat.page, chat.stack.site_url).evaluate(read_contact)

    chat.page.reload()
    # The loader reopens the live chat by itself, on the same contact, with its transcript.
    expect(chat.page.get_by_test_id("chat-frame")).to_be_visible()
    expect(echo).to_have_count(1)
    expect(frame.locator("li[data-role=customer]", has_text="before navigating")).to_have_count(1)
    assert chat_frame(chat.page, chat.stack.site_url).evaluate(read_contact) == contact_id
