"""Attachments in the real widget (the dev stack enables them): send, download, and the
size and type limits refused before anything is uploaded.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

NOTE = b"order 1234: the parcel arrived damaged\n"
AGENT_FILE = b"Receipt #1234 from the local Amazon Connect emulator.\n"


def attachments_in(chat, contact_id: str, role: str) -> list[dict]:
    transcript = chat.emulator.contact(contact_id)["Transcript"]
    return [
        attachment
        for item in transcript
        if item["Type"] == "ATTACHMENT" and item.get("ParticipantRole") == role
        for attachment in item.get("Attachments", [])
    ]


def test_customer_sends_a_small_file_and_it_appears(chat):
    chat.open().start().wait_for_agent()
    chat.page.locator("#composer-file").set_input_files(
        {"name": "damage-note.txt", "mimeType": "text/plain", "buffer": NOTE}
    )
    sent = chat.messages.locator("li[data-role=customer]", has_text="damage-note.txt")
    expect(sent.first).to_be_visible()
    # Once Connect has it (the websocket echoes it back), the visitor sees it once, settled.
    expect(chat.messages.locator("li[data-role=customer][data-message-id]")).to_have_count(1)
    expect(sent).to_have_count(1)
    expect(sent).not_to_have_attribute("data-status", "sending")
    expect(sent).not_to_have_attribute("data-status", "failed")
    expect(sent.get_by_role("button", name="Download damage-note.txt")).to_be_visible()
    expect(chat.error).to_have_text("")
    uploaded = attachments_in(chat, chat.contact_id(), "CUSTOMER")
    assert [a["AttachmentName"] for a in uploaded] == ["damage-note.txt"]
    assert uploaded[0]["Status"] == "APPROVED"


def test_agent_file_can_be_downloaded(chat):
    chat.open().start().wait_for_agent()
    chat.send("file")
    button = chat.messages.get_by_role("button", name="Download receipt.txt")
    expect(button).to_be_visible()
    with chat.page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == "receipt.txt"
    with open(download.path(), "rb") as received:
        assert received.read() == AGENT_FILE
    expect(chat.error).to_have_text("")


def test_disallowed_file_type_is_refused_with_a_clear_message(chat):
    chat.open().start().wait_for_agent()
    chat.page.locator("#composer-file").set_input_files(
        {"name": "installer.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}
    )
    expect(chat.error).to_contain_text('"installer.exe" can\'t be sent')
    expect(chat.error).to_contain_text("allowed types are")
    expect(chat.messages.locator("li[data-role=customer]", has_text="installer.exe")).to_have_count(
        0
    )
    assert attachments_in(chat, chat.contact_id(), "CUSTOMER") == []


def test_oversize_file_is_refused_with_a_clear_message(chat):
    chat.open().start().wait_for_agent()
    # Built in the page: 20 MB + 1 byte, one over Connect's attachment limit, without
    # shipping 20 MB through the driver.
    chat.page.evaluate(
        """() => {
          const file = new File([new Uint8Array(20 * 1024 * 1024 + 1)], "scan.pdf",
                                {type: "application/pdf"});
          const transfer = new DataTransfer();
          transfer.items.add(file);
          const input = document.querySelector("#composer-file");
          input.files = transfer.files;
          input.dispatchEvent(new Event("change", {bubbles: true}));
        }"""
    )
    expect(chat.error).to_contain_text('"scan.pdf" is too large: the limit is 20 MB')
    expect(chat.messages.locator("li[data-role=customer]", has_text="scan.pdf")).to_have_count(0)
    assert attachments_in(chat, chat.contact_id(), "CUSTOMER") == []
    # The chat goes on after a refusal.
    chat.ask("still here", "You said: still here")


def test_customer_sends_a_file_of_several_megabytes(chat):
    # Several network chunks: the emulator must read the whole PUT, as S3 does.
    size = 6 * 1024 * 1024 + 7
    expected = bytes(n % 251 for n in range(size))
    chat.open().start().wait_for_agent()
    chat.page.evaluate(
        """(size) => {
          const bytes = new Uint8Array(size);
          for (let n = 0; n < size; n += 1) bytes[n] = n % 251;
          const file = new File([bytes], "scan.pdf", {type: "application/pdf"});
          const transfer = new DataTransfer();
          transfer.items.add(file);
          const input = document.querySelector("#composer-file");
          input.files = transfer.files;
          input.dispatchEvent(new Event("change", {bubbles: true}));
        }""",
        size,
    )
    sent = chat.messages.locator("li[data-role=customer][data-message-id]", has_text="scan.pdf")
    expect(sent).to_have_count(1)
    expect(sent).not_to_have_attribute("data-status", "failed")
    expect(chat.error).to_have_text("")
    uploaded = attachments_in(chat, chat.contact_id(), "CUSTOMER")
    assert [(a["AttachmentName"], a["Status"]) for a in uploaded] == [("scan.pdf", "APPROVED")]
    with chat.page.expect_download() as download_info:
        sent.get_by_role("button", name="Download scan.pdf").click()
    with open(download_info.value.path(), "rb") as received:
        assert received.read() == expected
