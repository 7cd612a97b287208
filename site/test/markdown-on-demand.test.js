import { describe, expect, it, vi } from "vitest";

describe("the markdown renderer on demand", () => {
  it("shows a markdown message as its plain text (never HTML) until the renderer loads, then draws it", async () => {
    // A fresh copy of the list module: the setup file's has the renderer loaded already.
    vi.resetModules();
    const { MessageList } = await import("../src/chat/ui/message-list.js");
    const ol = document.createElement("ol");
    const list = new MessageList(ol, { markdown: true, onSelect: vi.fn(), onDownload: vi.fn() });
    list.add({
      id: "m1",
      kind: "message",
      role: "agent",
      participantRole: "AGENT",
      displayName: "Alex",
      time: new Date(Date.UTC(2026, 10, 25, 10, 1)),
      contentType: "text/markdown",
      content: "**bold** <img src=x onerror=alert(1)>",
      attachments: [],
    });
    const body = () => ol.querySelector('[data-message-id="m1"] .body');
    expect([body().textContent, body().children.length]).toEqual([
      "**bold** <img src=x onerror=alert(1)>",
      0,
    ]);
    await vi.waitFor(() => expect(body().querySelector("strong")).not.toBeNull());
    expect(body().innerHTML).toBe(
      "<p><strong>bold</strong> &lt;img src=x onerror=alert(1)&gt;</p>\n",
    );
  });
});
