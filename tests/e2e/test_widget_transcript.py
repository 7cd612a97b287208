"""Transcript download (issue 11 item 6): a text file with names, times, messages and
attachment names, during and after the chat, through the one-tag embed."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

STAMP = r"\[[^\]]+\] "


def download_transcript(frame, page) -> tuple[str, str]:
    with page.expect_download() as info:
        frame.get_by_role("button", name="Download transcript").click()
    download = info.value
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return download.suggested_filename, raw.decode("utf-8-sig")


def test_transcript_downloads_during_and_after_the_chat_from_the_host_page(chat):
    page = chat.page
    page.goto(chat.stack.host_url + "/")
    page.get_by_test_id("chat-launcher").click()
    frame = page.frame_locator('[data-testid="chat-frame"]')
    frame.locator("#prechat-name").fill("Ada Lovelace")
    frame.get_by_role("button", name="Start chat").click()
    log = frame.get_by_test_id("message-list")
    expect(log.locator("li[data-role=agent]", has_text="Hi, I'm Alex")).to_have_count(1)
    frame.locator("#composer-message").fill("xss")
    frame.locator("#composer-message").press("Enter")
    expect(log.locator("li[data-role=agent]", has_text="still bold")).to_have_count(1)
    frame.locator("#composer-message").fill("file")
    frame.locator("#composer-message").press("Enter")
    expect(log.get_by_role("button", name="Download receipt.txt")).to_be_visible()

    name, text = download_transcript(frame, page)
    assert re.fullmatch(r"chat-transcript-\d{4}-\d{2}-\d{2}-\d{4}\.txt", name)
    lines = text.split("\n")
    assert lines[0] == "Chat with us - Chat transcript"
    assert re.fullmatch(r"Contact ID: [0-9a-f-]{36}", lines[1])
    body = [re.sub(STAMP, "", line) for line in lines[4:] if line]
    assert body[0] == "Alex (emulated agent) joined the chat"
    assert body[1].startswith("Alex (emulated agent): Hi, I'm Alex")
    assert "You: xss" in body
    assert "You: file" in body
    assert "Alex (emulated agent): Attachment: receipt.txt" in body
    assert all(re.match(STAMP, line) or line.startswith("    ") for line in lines[4:] if line)

    frame.locator("button.end").click()
    frame.get_by_role("dialog").get_by_role("button", name="End chat").click()
    expect(frame.get_by_text("This chat has ended.")).to_be_visible()
    # The visitor's chat is over at once; Connect's chat.ended event follows.
    expect(log.locator("li[data-role=system]", has_text="The chat has ended")).to_have_count(1)
    _, after = download_transcript(frame, page)
    assert re.sub(STAMP, "", after.rstrip("\n").split("\n")[-1]) == "The chat has ended"
    chat_document = next(f for f in page.frames if f.url.startswith(chat.stack.site_url))
    assert chat_document.evaluate("() => window.__xss") is None
