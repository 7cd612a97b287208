import { describe, expect, it, vi } from "vitest";
import { MessageList, systemEventText } from "../src/chat/ui/message-list.js";

const at = (minute) => new Date(Date.UTC(2026, 10, 25, 10, minute));
const message = (id, minute, over = {}) => ({
  id,
  kind: "message",
  role: "agent",
  participantRole: "AGENT",
  displayName: "Alex",
  time: at(minute),
  contentType: "text/plain",
  content: id,
  attachments: [],
  ...over,
});

function newList() {
  const ol = document.createElement("ol");
  return {
    ol,
    list: new MessageList(ol, { markdown: true, onSelect: vi.fn(), onDownload: vi.fn() }),
  };
}

describe("MessageList", () => {
  it("keeps messages in time order whatever order they arrive in", () => {
    const { ol, list } = newList();
    list.add(message("greeting", 2));
    list.add(
      message("joined", 1, {
        kind: "event",
        role: "system",
        contentType: "application/vnd.amazonaws.connect.event.participant.joined",
      }),
    );
    list.add(message("later", 5));
    list.add(message("middle", 3));
    expect([...ol.children].map((li) => li.dataset.messageId)).toEqual([
      "joined",
      "greeting",
      "middle",
      "later",
    ]);
  });

  it("shows each message once even when the websocket and the transcript both deliver it", () => {
    const { ol, list } = newList();
    list.add(message("a", 1));
    list.add(message("a", 1));
    expect(ol.children).toHaveLength(1);
  });

  it("labels sender and time, and never renders plain text as HTML", () => {
    const { ol, list } = newList();
    list.add(message("x", 1, { content: "<img src=x onerror=alert(1)>" }));
    const li = ol.firstElementChild;
    expect(li.dataset.role).toBe("agent");
    expect(li.querySelector(".sender").textContent).toBe("Alex");
    expect(li.querySelector("time").getAttribute("datetime")).toBe("2026-11-25T10:01:00.000Z");
    expect(li.querySelector("img")).toBeNull();
    expect(li.querySelector(".body").textContent).toBe("<img src=x onerror=alert(1)>");
  });

  it("applies a receipt that arrives before its message", () => {
    const { ol, list } = newList();
    list.applyReceipt({ messageId: "m", read: true, delivered: true });
    list.add(message("m", 1, { role: "customer", participantRole: "CUSTOMER" }));
    expect(ol.firstElementChild.dataset.status).toBe("read");
  });

  it("offers attachments as download buttons", () => {
    const onDownload = vi.fn();
    const ol = document.createElement("ol");
    const list = new MessageList(ol, { markdown: true, onSelect: vi.fn(), onDownload });
    list.add(
      message("f", 1, { kind: "attachment", attachments: [{ id: "att", name: "receipt.txt" }] }),
    );
    const button = ol.querySelector("button.attachment");
    expect(button.getAttribute("aria-label")).toBe("Download receipt.txt");
    button.click();
    expect(onDownload).toHaveBeenCalledWith({ id: "att", name: "receipt.txt" });
  });
});

describe("systemEventText", () => {
  const event = (suffix, participantRole = "AGENT") => ({
    contentType: `application/vnd.amazonaws.connect.event.${suffix}`,
    participantRole,
    displayName: "Alex",
  });
  it("names agent joins and leaves, hides the visitor's own", () => {
    expect(systemEventText(event("participant.joined"))).toBe("Alex joined the chat");
    expect(systemEventText(event("participant.left"))).toBe("Alex left the chat");
    expect(systemEventText(event("participant.joined", "CUSTOMER"))).toBeNull();
    expect(systemEventText(event("chat.ended", "SYSTEM"))).toBe("The chat has ended");
  });
});

describe("MessageList.addPending", () => {
  it("re-places a sent message by the server's time", () => {
    const { ol, list } = newList();
    list.add(message("agent-reply", 3));
    // The visitor's clock runs 10 minutes fast.
    const pending = list.addPending(
      message("", 13, { role: "customer", participantRole: "CUSTOMER", content: "hi" }),
    );
    expect(ol.lastElementChild).toBe(pending.node);
    pending.confirm("mine", "2026-11-25T10:02:00.000Z");
    expect([...ol.children].map((li) => li.dataset.messageId)).toEqual(["mine", "agent-reply"]);
    expect(pending.node.dataset.status).toBe("sent");
  });

  it("marks a failed send", () => {
    const { list } = newList();
    const pending = list.addPending(message("", 1, { role: "customer" }));
    pending.fail("status.notSent");
    expect(pending.node.dataset.status).toBe("failed");
    expect(pending.node.querySelector(".status").textContent).toBe("Not sent");
  });
});

describe("upload placeholders", () => {
  it("are replaced by the echoed attachment (ChatJS returns no id for uploads)", () => {
    const { ol, list } = newList();
    const pending = list.addPending(
      message("", 1, {
        kind: "attachment",
        role: "customer",
        attachments: [{ id: "", name: "notes.txt", size: 10 }],
      }),
    );
    pending.confirm(undefined);
    expect(pending.node.dataset.status).toBe("sent");
    list.add(
      message("att-item", 1, {
        kind: "attachment",
        role: "customer",
        participantRole: "CUSTOMER",
        attachments: [{ id: "a1", name: "notes.txt" }],
      }),
    );
    expect(ol.children).toHaveLength(1);
    expect(ol.firstElementChild.dataset.messageId).toBe("att-item");
  });
});

describe("interactive-message images", () => {
  const INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive";
  const HTTPS = "https://cdn.example.com/a.png";
  // Every URL an agent, bot or flow could put in imageData that must not become an <img>: a
  // data: image (arbitrary content, SVG included), script, plain http and other schemes.
  const UNSAFE = [
    "data:image/png;base64,iVBORw0KGgo=",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    " data:image/gif;base64,R0lGOD==",
    "javascript:alert(1)",
    "http://cdn.example.com/a.png",
    "//cdn.example.com/a.png",
    "blob:https://cdn.example.com/x",
  ];
  const element = (title, imageData) => ({
    title,
    subtitle: `${title} sub`,
    imageType: "URL",
    imageData,
    imageDescription: `${title} picture`,
  });
  const listContent = (templateType, imageData) => ({
    title: `${templateType} title`,
    subtitle: `${templateType} subtitle`,
    imageType: "URL",
    imageData,
    imageDescription: "header picture",
    elements: [element("Safe", HTTPS), ...UNSAFE.map((url, i) => element(`Unsafe ${i}`, url))],
  });
  const render = (template) => {
    const { ol, list } = newList();
    list.add(message("m1", 1, { contentType: INTERACTIVE, content: JSON.stringify(template) }));
    return ol;
  };
  const images = (root) =>
    [...root.querySelectorAll("img")].map((img) => [
      img.getAttribute("src"),
      img.getAttribute("alt"),
    ]);
  const choices = (root) => [...root.querySelectorAll("button.choice")].map((b) => b.textContent);
  const expectedChoices = ["Safe", ...UNSAFE.map((_, i) => `Unsafe ${i}`)].map(
    (t) => `${t}${t} sub`,
  );

  it.each(["ListPicker", "Panel"])(
    "%s: only https images are drawn; the others leave their choice as text",
    (templateType) => {
      for (const headerUrl of UNSAFE) {
        const root = render({
          templateType,
          version: "1.0",
          data: { content: listContent(templateType, headerUrl) },
        });
        expect(images(root)).toEqual([[HTTPS, "Safe picture"]]);
        expect(choices(root)).toEqual(expectedChoices);
        expect(root.querySelector(".interactive-title").textContent).toBe(`${templateType} title`);
      }
      const safeHeader = render({
        templateType,
        version: "1.0",
        data: { content: listContent(templateType, HTTPS) },
      });
      expect(images(safeHeader)).toEqual([
        [HTTPS, "header picture"],
        [HTTPS, "Safe picture"],
      ]);
    },
  );

  it("draws no image whose imageType is not URL, even an https one", () => {
    const content = {
      ...listContent("ListPicker", HTTPS),
      imageType: "BASE64",
      elements: [{ ...element("Inline", HTTPS), imageType: "BASE64" }],
    };
    const root = render({ templateType: "ListPicker", version: "1.0", data: { content } });
    expect(images(root)).toEqual([]);
    expect(choices(root)).toEqual(["InlineInline sub"]);
  });

  it("Carousel: no panel draws an unsafe image", () => {
    const panel = (title, imageData) => ({
      templateType: "Panel",
      version: "1.0",
      data: { content: { ...listContent("Panel", imageData), title } },
    });
    const root = render({
      templateType: "Carousel",
      version: "1.0",
      data: {
        content: {
          title: "Pick one",
          elements: [panel("First", UNSAFE[0]), panel("Second", UNSAFE[4]), panel("Third", HTTPS)],
        },
      },
    });
    expect(images(root)).toEqual([
      [HTTPS, "Safe picture"],
      [HTTPS, "Safe picture"],
      [HTTPS, "header picture"],
      [HTTPS, "Safe picture"],
    ]);
    expect(
      [...root.querySelectorAll(".carousel .interactive-title")].map((n) => n.textContent),
    ).toEqual(["First", "Second", "Third"]);
    expect(choices(root)).toEqual([...expectedChoices, ...expectedChoices, ...expectedChoices]);
    expect(root.innerHTML).not.toMatch(/data:|javascript:|http:\/\/|blob:/i);
  });
});

describe("MessageList streamed bot answers", () => {
  const bot = (content, streaming) =>
    message("s1", 4, {
      role: "system",
      participantRole: "SYSTEM",
      displayName: "BOT",
      content,
      streaming,
    });

  function listInLog() {
    const log = document.createElement("div");
    const { ol, list } = newList();
    log.append(ol);
    return { log, ol, list };
  }

  it("grows one message in place and is busy (not announced) until the answer completes", () => {
    const { log, ol, list } = listInLog();
    list.add(bot("Streaming ", true));
    list.add(bot("Streaming bots answer ", true));
    const node = ol.querySelector('[data-message-id="s1"]');
    expect([
      ol.children.length,
      node.querySelector(".body").textContent,
      node.getAttribute("aria-busy"),
      log.getAttribute("aria-busy"),
    ]).toEqual([1, "Streaming bots answer ", "true", "true"]);
    list.add(bot("Streaming bots answer in pieces.", false));
    expect([
      ol.children.length,
      node.querySelector(".body").textContent,
      node.hasAttribute("aria-busy"),
      log.hasAttribute("aria-busy"),
    ]).toEqual([1, "Streaming bots answer in pieces.", false, false]);
    // A chunk that arrives after the end changes nothing.
    list.add(bot("Streaming ", true));
    expect([node.querySelector(".body").textContent, node.hasAttribute("aria-busy")]).toEqual([
      "Streaming bots answer in pieces.",
      false,
    ]);
  });

  it("never rewrites a finished message that comes back under its Id", () => {
    const { ol, list } = listInLog();
    list.add(message("m1", 1, { content: "original" }));
    list.add(message("m1", 1, { content: "rewritten", streaming: true }));
    expect(ol.querySelector(".body").textContent).toBe("original");
  });

  it("stops waiting for a stream whose end never comes", () => {
    vi.useFakeTimers();
    try {
      const { log, ol, list } = listInLog();
      list.add(bot("Half an ans", true));
      vi.advanceTimersByTime(15000);
      expect([
        ol.firstElementChild.hasAttribute("aria-busy"),
        log.hasAttribute("aria-busy"),
      ]).toEqual([false, false]);
    } finally {
      vi.useRealTimers();
    }
  });
});
