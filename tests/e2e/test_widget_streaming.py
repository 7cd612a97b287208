"""Streaming bots (issue 11 item 8): real ChatJS 5 stitches the emulator's Lex-style chunks;
the widget grows one message in place and lets screen readers read it once, when complete."""

from __future__ import annotations

from playwright.sync_api import expect

WHOLE = (
    "Streaming bots answer in pieces: ChatJS 5 stitches each chunk onto the last,"
    " under one message id."
)

WATCH = """() => {
  window.__streamTexts = [];
  const log = document.querySelector('[data-testid="message-list"]');
  new MutationObserver(() => {
    const node = [...log.querySelectorAll("li[data-role=system]")].find((li) =>
      li.textContent.includes("Streaming"));
    if (!node) return;
    const text = node.querySelector(".body").textContent;
    const busy = node.getAttribute("aria-busy") === "true";
    const last = window.__streamTexts.at(-1);
    if (!last || last.text !== text || last.busy !== busy) window.__streamTexts.push({text, busy});
  }).observe(log, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def test_a_streamed_answer_grows_in_place_and_is_busy_until_complete(chat):
    chat.open().start().wait_for_agent()
    chat.page.evaluate(WATCH)
    chat.send("stream")
    answer = chat.messages.locator("li[data-role=system]", has_text="Streaming bots")
    expect(answer).to_have_count(1)
    expect(answer.locator(".body")).to_have_text(WHOLE)
    expect(answer).not_to_have_attribute("aria-busy", "true")
    expect(chat.messages).not_to_have_attribute("aria-busy", "true")
    # A Lex bot's answer comes as SYSTEM named "BOT"; the sender line shows the bot's label.
    expect(answer.locator(".sender")).to_have_text("Bot")
    seen = chat.page.evaluate("() => window.__streamTexts")
    texts = [s["text"] for s in seen]
    assert len(set(texts)) >= 3, f"the message should grow chunk by chunk, saw {seen}"
    assert all(WHOLE.startswith(text) for text in texts), seen
    assert all(s["busy"] for s in seen if s["text"] != WHOLE), seen
    assert seen[-1] == {"text": WHOLE, "busy": False}
    # After a reload the transcript holds the one completed answer.
    chat.page.reload()
    expect(chat.messages.locator("li[data-role=system]", has_text="Streaming bots")).to_have_count(
        1
    )
