import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ChatApp, loadConversationView } from "../src/chat/chat-app.js";
import { t } from "../src/i18n/index.js";

const FORGOTTEN_TEXT = t("notice.forgotten");
const FRESH_START_TEXT = t("notice.freshStart");
import { validateConfig } from "../src/chat/config.js";
import { SessionStore } from "../src/chat/session-store.js";
import { formatSavedChatTime } from "../src/chat/ui/prechat-form.js";

const config = validateConfig({
  apiEndpoint: "https://api.example.com/",
  region: "eu-west-2",
  features: { attachments: true },
  preChatFields: [
    { attribute: "topic", label: "Topic", type: "select", options: ["Billing", "Sales"] },
  ],
});

class FakeAdapter {
  constructor({ failConnect = false, transcript = [] } = {}) {
    this.listeners = {};
    this.failConnect = failConnect;
    this.transcript = transcript;
    this.sent = [];
    this.reads = [];
    this.delivered = [];
  }
  on(name, fn) {
    (this.listeners[name] ??= []).push(fn);
  }
  emit(name, value) {
    for (const fn of this.listeners[name] ?? []) fn(value);
  }
  async connect(details) {
    this.details = details;
    if (this.failConnect) throw new Error("gone");
  }
  async loadTranscript() {
    return this.transcript;
  }
  async sendText(text) {
    this.sent.push(text);
    return { data: { Id: `m-${this.sent.length}` } };
  }
  async sendInteractiveResponse(json) {
    this.sent.push(JSON.parse(json));
    return { data: { Id: "r-1" } };
  }
  async sendTyping() {}
  async sendRead(id) {
    this.reads.push(id);
  }
  async sendDelivered(id) {
    this.delivered.push(id);
  }
  async sendAttachment() {
    return { data: { Id: "att-1" } };
  }
  /** @param {string} _attachmentId */
  async downloadAttachment(_attachmentId) {
    return new Blob([]);
  }
  async end() {
    this.emit("ended");
  }
}

const savedChat = {
  contactId: "c-1",
  participantId: "p-1",
  participantToken: "tok",
  displayName: "Ann",
};
const host = { embedded: false, on() {}, start() {}, send: vi.fn() };
const ok = (status, body) => async (_url, _init) => new Response(JSON.stringify(body), { status });
const started = ok(200, {
  data: {
    startChatResult: { ContactId: "c-1", ParticipantId: "p-1", ParticipantToken: "tok" },
    featurePermissions: { ATTACHMENTS: true },
    resumeToken: "rt-1",
  },
});
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const item = (over) => ({
  id: "x",
  kind: "message",
  role: "agent",
  participantRole: "AGENT",
  displayName: "Alex",
  time: new Date("2026-11-25T10:00:00Z"),
  contentType: "text/plain",
  content: "hi",
  attachments: [],
  ...over,
});

async function bootApp({ fetch = started, adapter = new FakeAdapter() } = {}) {
  const root = document.createElement("div");
  document.body.replaceChildren(root);
  const app = new ChatApp({
    root,
    config,
    store: new SessionStore(),
    createAdapter: () => adapter,
    host,
    fetch,
  });
  await app.boot();
  return { app, root, adapter };
}

async function submit(root, name = "Ann") {
  root.querySelector("#prechat-name").value = name;
  root.querySelector("form.prechat").requestSubmit();
  // POST, the conversation chunk's import and connect each take a turn of the event loop.
  for (let turn = 0; turn < 5; turn++) await flush();
}

describe("ChatApp", () => {
  beforeAll(async () => {
    await loadConversationView();
  });

  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it("shows the pre-chat form with labelled fields", async () => {
    const { root } = await bootApp();
    expect(root.querySelector('label[for="prechat-name"]').textContent).toContain("Name");
    expect(root.querySelector("#prechat-topic").tagName).toBe("SELECT");
    expect(root.querySelector("button[type=submit]").textContent).toBe("Start chat");
  });

  it("takes the display name and attributes the host page sets", async () => {
    const handlers = {};
    const embeddedHost = {
      embedded: true,
      on: (type, fn) => (handlers[type] = fn),
      start() {},
      send: vi.fn(),
    };
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    const fetch = vi.fn(started);
    const app = new ChatApp({
      root,
      config,
      store: new SessionStore(),
      createAdapter: () => new FakeAdapter(),
      host: embeddedHost,
      fetch,
    });
    await app.boot();
    expect(embeddedHost.send).toHaveBeenCalledWith("ready", {
      active: false,
      layout: { position: "right", width: 380, height: 600, primaryColor: "#1f4fd1" },
    });
    handlers.setDisplayName("Bo");
    handlers.setAttributes({ plan: "pro" });
    expect(root.querySelector("#prechat-name").value).toBe("Bo");
    root.querySelector("#prechat-topic").value = "Billing";
    await submit(root, "Bo");
    const body = JSON.parse(fetch.mock.calls[0][1].body);
    expect(body.ParticipantDetails.DisplayName).toBe("Bo");
    expect(body.Attributes).toEqual({ plan: "pro", topic: "Billing" });
    expect(embeddedHost.send).toHaveBeenCalledWith("active", true);
  });

  it("refuses an empty name without calling the API", async () => {
    const fetch = vi.fn(started);
    const { root } = await bootApp({ fetch });
    await submit(root, "");
    expect(fetch).not.toHaveBeenCalled();
    expect(root.querySelector("#prechat-error").textContent).toBe("Name is required.");
  });

  it("starts a chat, saves it for a reload and shows the conversation", async () => {
    const fetch = vi.fn(started);
    const { root, adapter } = await bootApp({ fetch });
    root.querySelector("#prechat-topic").value = "Sales";
    await submit(root);
    const body = JSON.parse(fetch.mock.calls[0][1].body);
    expect(body.ParticipantDetails.DisplayName).toBe("Ann");
    expect(body.Attributes).toEqual({ topic: "Sales" });
    expect(adapter.details).toEqual({
      ContactId: "c-1",
      ParticipantId: "p-1",
      ParticipantToken: "tok",
    });
    expect(new SessionStore().loadActive()).toMatchObject({
      contactId: "c-1",
      displayName: "Ann",
      attachments: true,
    });
    expect(root.querySelector('[data-testid="message-list"]')).not.toBeNull();
    expect(root.querySelector('label[for="composer-message"]').textContent).toBe("Message");
    expect(root.querySelector("#composer-file")).not.toBeNull();
  });

  it("keeps the send box disabled until ChatJS is connected", async () => {
    /** @type {() => void} */
    let finishConnect;
    const adapter = new FakeAdapter();
    adapter.connect = (details) =>
      new Promise((resolve) => {
        adapter.details = details;
        finishConnect = resolve;
      });
    const { root } = await bootApp({ adapter });
    await submit(root);
    const box = root.querySelector("#composer-message");
    expect(box.disabled).toBe(true);
    expect(root.querySelector("form.composer button[type=submit]").disabled).toBe(true);
    finishConnect();
    await flush();
    expect(box.disabled).toBe(false);
  });

  it("shows the busy text on 429 and keeps what the visitor typed", async () => {
    const { root } = await bootApp({
      fetch: ok(429, { error: { code: "TooManyRequests", message: "x", requestId: "r" } }),
    });
    await submit(root, "Ann");
    expect(root.querySelector('[data-testid="error-message"]').textContent).toBe(
      "We're busy right now. Please try again in a moment.",
    );
    expect(root.querySelector("#prechat-name").value).toBe("Ann");
    expect(root.querySelector("button[type=submit]").disabled).toBe(false);
  });

  it("goes back to the form when the websocket cannot connect", async () => {
    const { root } = await bootApp({ adapter: new FakeAdapter({ failConnect: true }) });
    await submit(root, "Ann");
    expect(root.querySelector('[data-testid="error-message"]').textContent).toBe(
      t("error.connectFailed"),
    );
    expect(root.querySelector("#prechat-name").value).toBe("Ann");
    expect(new SessionStore().loadActive()).toBeNull();
  });

  it("resumes the saved chat after a reload with its transcript", async () => {
    new SessionStore().saveActive({
      contactId: "c-1",
      participantId: "p-1",
      participantToken: "tok",
      displayName: "Ann",
    });
    const adapter = new FakeAdapter({
      transcript: [
        item({ id: "a", role: "customer", content: "before reload" }),
        item({ id: "b", content: "answer" }),
      ],
    });
    const { root } = await bootApp({ adapter });
    expect(adapter.details.ContactId).toBe("c-1");
    const messages = [...root.querySelectorAll('[data-testid="message-list"] li')];
    expect(messages.map((m) => [m.dataset.role, m.querySelector(".body").textContent])).toEqual([
      ["customer", "before reload"],
      ["agent", "answer"],
    ]);
  });

  it("does not reconnect with a token saved longer ago than the chat can last", async () => {
    const store = new SessionStore();
    store.saveActive({
      contactId: "c-1",
      participantId: "p-1",
      participantToken: "tok",
      displayName: "Ann",
    });
    const saved = JSON.parse(sessionStorage.getItem("connect-chat:session"));
    saved.savedAt -= (config.chatDurationInMinutes + 1) * 60_000;
    sessionStorage.setItem("connect-chat:session", JSON.stringify(saved));
    const adapter = new FakeAdapter();
    const { app } = await bootApp({ adapter });
    expect(adapter.details).toBeUndefined();
    expect(app.state).toBe("prechat");
    expect(sessionStorage.getItem("connect-chat:session")).toBeNull();
  });

  it("minimises on Escape wherever focus is in the frame, even on the page itself", async () => {
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    const embeddedHost = { embedded: true, on() {}, start() {}, send: vi.fn() };
    const app = new ChatApp({
      root,
      config,
      store: new SessionStore(),
      createAdapter: () => new FakeAdapter(),
      host: embeddedHost,
      fetch: started,
    });
    await app.boot();
    embeddedHost.send.mockClear();
    // A click on the header's empty space leaves focus on <body>, outside the app's element.
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(embeddedHost.send).toHaveBeenCalledWith("close");
  });

  it("offers a new chat when the saved one is over", async () => {
    new SessionStore().saveActive({
      contactId: "c-1",
      participantId: "p-1",
      participantToken: "tok",
      displayName: "Ann",
      resumeToken: "rt-1",
    });
    const { root } = await bootApp({ adapter: new FakeAdapter({ failConnect: true }) });
    expect(root.querySelector('[data-testid="error-message"]').textContent).toBe(
      t("error.resumeFailed"),
    );
    expect(root.querySelector("#prechat-continue").checked).toBe(true);
  });

  it("continues the previous chat through PersistentChat", async () => {
    new SessionStore().finish({ ...savedChat, contactId: "c-old", resumeToken: "rt-old" });
    const fetch = vi.fn(started);
    const { root } = await bootApp({ fetch });
    expect(root.querySelector("#prechat-name").value).toBe("Ann");
    await submit(root, "Ann");
    expect(JSON.parse(fetch.mock.calls[0][1].body).PersistentChat).toEqual({
      RehydrationType: "ENTIRE_PAST_SESSION",
      SourceContactId: "rt-old",
    });
    // The next chat of the series continues with the token this start returned.
    expect(new SessionStore().loadActive().resumeToken).toBe("rt-1");
  });

  it("starts a new chat and says so when the API refuses the continuation", async () => {
    new SessionStore().finish({ ...savedChat, resumeToken: "rt-expired" });
    const refused = {
      error: {
        code: "PERSISTENT_CHAT_NOT_AUTHORIZED",
        message: "send the resumeToken",
        requestId: "r",
      },
    };
    const fetch = vi.fn().mockImplementationOnce(ok(403, refused)).mockImplementationOnce(started);
    const { root } = await bootApp({ fetch });
    await submit(root, "Ann");
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(JSON.parse(fetch.mock.calls[0][1].body).PersistentChat.SourceContactId).toBe(
      "rt-expired",
    );
    expect(JSON.parse(fetch.mock.calls[1][1].body)).not.toHaveProperty("PersistentChat");
    expect(root.querySelector('[data-testid="chat-notice"]').textContent).toBe(FRESH_START_TEXT);
    expect(new SessionStore().loadActive().resumeToken).toBe("rt-1");
  });

  describe("on a shared device", () => {
    const DAY_MS = 1440 * 60_000;
    const savePrevious = (name, endedAgoMs) =>
      localStorage.setItem(
        "connect-chat:previous",
        JSON.stringify({
          resumeToken: "rt-old",
          displayName: name,
          endedAt: Date.now() - endedAgoMs,
        }),
      );

    it("names whose chat and when before continuing a fresh one", async () => {
      const endedAt = Date.now() - 60_000;
      localStorage.setItem(
        "connect-chat:previous",
        JSON.stringify({ resumeToken: "rt-old", displayName: "Grace Hopper", endedAt }),
      );
      const { root } = await bootApp();
      expect(root.querySelector('label[for="prechat-continue"]').textContent).toBe(
        `Continue the chat of Grace Hopper from ${formatSavedChatTime(endedAt)}?`,
      );
      expect(root.querySelector("#prechat-continue").checked).toBe(true);
      expect(root.querySelector("#prechat-name").value).toBe("Grace Hopper");
    });

    it("shows a saved name as text, never as markup", async () => {
      savePrevious('<img src=x onerror="alert(1)">', 60_000);
      const { root } = await bootApp();
      const label = root.querySelector('label[for="prechat-continue"]');
      expect(label.querySelector("img")).toBeNull();
      expect(label.textContent).toContain('the chat of <img src=x onerror="alert(1)"> from');
    });

    it("neither offers nor pre-fills a chat older than the window, and drops its record", async () => {
      savePrevious("Grace Hopper", DAY_MS + 60_000);
      const fetch = vi.fn(started);
      const { root } = await bootApp({ fetch });
      expect(root.querySelector("#prechat-continue")).toBeNull();
      expect(root.querySelector("#prechat-name").value).toBe("");
      expect(localStorage.getItem("connect-chat:previous")).toBeNull();
      await submit(root, "Next Visitor");
      expect(JSON.parse(fetch.mock.calls[0][1].body).PersistentChat).toBeUndefined();
    });

    it.each([
      ["contactId", { contactId: "c-old" }],
      ["sourceContactId", { sourceContactId: "c-old" }],
    ])("neither offers nor sends the raw contact id an older widget kept as %s", async (_, id) => {
      localStorage.setItem(
        "connect-chat:previous",
        JSON.stringify({ ...id, displayName: "Grace Hopper", endedAt: Date.now() - 60_000 }),
      );
      const fetch = vi.fn(started);
      const { root } = await bootApp({ fetch });
      expect(root.querySelector("#prechat-continue")).toBeNull();
      expect(localStorage.getItem("connect-chat:previous")).toBeNull();
      await submit(root, "Next Visitor");
      expect(fetch.mock.calls[0][1].body).not.toContain("c-old");
    });

    it("follows the configured window", async () => {
      savePrevious("Grace Hopper", 11 * 60_000);
      const short = validateConfig({
        apiEndpoint: "https://api.example.com/",
        region: "eu-west-2",
        persistentChat: { offerForMinutes: 10 },
      });
      const root = document.createElement("div");
      document.body.replaceChildren(root);
      await new ChatApp({
        root,
        config: short,
        store: new SessionStore(),
        createAdapter: () => new FakeAdapter(),
        host,
        fetch: started,
      }).boot();
      expect(root.querySelector("#prechat-continue")).toBeNull();
      expect(root.querySelector("#prechat-name").value).toBe("");
    });

    it("does not continue a chat that went stale while the form was open", async () => {
      savePrevious("Grace Hopper", DAY_MS - 60_000);
      const fetch = vi.fn(started);
      const { root } = await bootApp({ fetch });
      expect(root.querySelector("#prechat-continue").checked).toBe(true);
      const record = JSON.parse(localStorage.getItem("connect-chat:previous"));
      record.endedAt -= 2 * 60_000;
      localStorage.setItem("connect-chat:previous", JSON.stringify(record));
      await submit(root, "Grace Hopper");
      expect(JSON.parse(fetch.mock.calls[0][1].body).PersistentChat).toBeUndefined();
    });

    it("forgets everything saved from the pre-chat form", async () => {
      savePrevious("Grace Hopper", 60_000);
      localStorage.setItem("connect-chat:another-key", "x");
      localStorage.setItem("unrelated", "kept");
      const { root } = await bootApp();
      const forget = [...root.querySelectorAll("button")].find(
        (b) => b.textContent === "Forget me on this device",
      );
      forget.click();
      expect(Object.keys(localStorage)).toEqual(["unrelated"]);
      expect(sessionStorage.length).toBe(0);
      expect(root.querySelector("#prechat-continue")).toBeNull();
      expect(root.querySelector("#prechat-name").value).toBe("");
      expect(root.querySelector('[data-testid="error-message"]').textContent).toBe(FORGOTTEN_TEXT);
      expect([...root.querySelectorAll("button")].map((b) => b.textContent)).toEqual([
        "Start chat",
      ]);
      expect(document.activeElement).toBe(root.querySelector("#prechat-name"));
    });

    it("offers no forget button when nothing is saved", async () => {
      const { root } = await bootApp();
      expect([...root.querySelectorAll("button")].map((b) => b.textContent)).toEqual([
        "Start chat",
      ]);
    });

    it("forgets the chat that just ended, and takes its transcript off the screen", async () => {
      const { root, adapter } = await bootApp();
      await submit(root);
      adapter.emit("item", item({ id: "m9", content: "your order 42 ships today" }));
      [...root.querySelectorAll("button")].find((b) => b.textContent === "End chat").click();
      root.querySelector('[data-testid="end-confirm"]').click();
      expect(localStorage.getItem("connect-chat:previous")).not.toBeNull();
      const forget = [...root.querySelectorAll(".ended button")].find(
        (b) => b.textContent === "Forget me on this device",
      );
      forget.click();
      expect(localStorage.length).toBe(0);
      expect(sessionStorage.length).toBe(0);
      expect(root.textContent).not.toContain("your order 42");
      expect(root.querySelector("form.prechat")).not.toBeNull();
      expect(root.querySelector("#prechat-name").value).toBe("");
    });
  });

  it("sends messages, ties them to the server id and shows receipts", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    root.querySelector("#composer-message").value = "hello";
    root.querySelector("form.composer").requestSubmit();
    await flush();
    expect(adapter.sent).toEqual(["hello"]);
    const mine = root.querySelector('[data-message-id="m-1"]');
    expect(mine.dataset.role).toBe("customer");
    adapter.emit("item", item({ id: "m-1", role: "customer", content: "hello" }));
    expect(root.querySelectorAll('[data-role="customer"]')).toHaveLength(1);
    adapter.emit("receipt", { messageId: "m-1", delivered: true, read: false });
    expect(mine.querySelector(".status").textContent).toBe("Delivered");
    adapter.emit("receipt", { messageId: "m-1", delivered: true, read: true });
    expect(mine.querySelector(".status").textContent).toBe("Read");
  });

  it("sends a read receipt for agent messages and shows and hides the typing indicator", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    adapter.emit("typing", item({ kind: "typing" }));
    const typing = root.querySelector('[data-testid="typing-indicator"]');
    expect(typing.hidden).toBe(false);
    expect(typing.textContent).toBe("Alex is typing…");
    adapter.emit("item", item({ id: "a-1" }));
    expect(typing.hidden).toBe(true);
    expect(adapter.reads).toEqual(["a-1"]);
  });

  it("marks agent messages delivered on arrival and read only while the page is visible, once each", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    try {
      adapter.emit("item", item({ id: "a-2", content: "while away" }));
      adapter.emit("item", item({ id: "a-2", content: "while away" }));
      expect(adapter.delivered).toEqual(["a-2"]);
      expect(adapter.reads).toEqual([]);
      visibility.mockReturnValue("visible");
      document.dispatchEvent(new Event("visibilitychange"));
      expect(adapter.reads).toEqual(["a-2"]);
    } finally {
      visibility.mockRestore();
    }
    // Re-reading the transcript does not send the receipts again.
    adapter.emit("connection", "established");
    adapter.transcript = [item({ id: "a-2", content: "while away" })];
    await flush();
    expect(adapter.reads).toEqual(["a-2"]);
    expect(adapter.delivered).toEqual(["a-2"]);
  });

  it("answers an interactive message with an interactive response", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    const content = JSON.stringify({
      templateType: "QuickReply",
      version: "1.0",
      data: {
        content: { title: "How was it?", elements: [{ title: "Great" }, { title: "Poor" }] },
      },
    });
    adapter.emit(
      "item",
      item({
        id: "q",
        contentType: "application/vnd.amazonaws.connect.message.interactive",
        content,
      }),
    );
    const great = [...root.querySelectorAll("button.choice")].find(
      (b) => b.textContent === "Great",
    );
    great.click();
    await flush();
    expect(adapter.sent[0]).toMatchObject({
      templateType: "QuickReply",
      data: { content: { title: "Great" } },
    });
    expect(great.disabled).toBe(true);
    expect(root.querySelector('[data-message-id="r-1"] .body').textContent).toBe("Great");
  });

  it("shows system events and the end of the chat", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    adapter.emit(
      "item",
      item({
        id: "e1",
        kind: "event",
        role: "system",
        contentType: "application/vnd.amazonaws.connect.event.participant.joined",
      }),
    );
    adapter.emit(
      "item",
      item({
        id: "e2",
        kind: "event",
        role: "system",
        contentType: "application/vnd.amazonaws.connect.event.chat.ended",
        participantRole: "SYSTEM",
      }),
    );
    const system = [...root.querySelectorAll('[data-role="system"] .body')].map(
      (n) => n.textContent,
    );
    expect(system).toEqual(["Alex joined the chat", "The chat has ended"]);
    expect(root.querySelector("form.composer")).toBeNull();
    expect(root.querySelector(".ended button").textContent).toBe("Start a new chat");
    expect(new SessionStore().loadActive()).toBeNull();
    expect(new SessionStore().loadPrevious()).toMatchObject({
      resumeToken: "rt-1",
      displayName: "Ann",
    });
    expect(localStorage.getItem("connect-chat:previous")).not.toContain("c-1");
  });

  it("asks before ending: Keep chatting leaves the chat as it was", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    const end = vi.spyOn(adapter, "end");
    root.querySelector("button.end").click();
    const dialog = root.querySelector('[data-testid="end-dialog"]');
    expect([dialog.querySelector("h2").textContent, dialog.querySelector("p").textContent]).toEqual(
      ["End this chat?", "You won't be able to send more messages in this chat."],
    );
    expect(document.activeElement).toBe(root.querySelector('[data-testid="end-cancel"]'));
    root.querySelector('[data-testid="end-cancel"]').click();
    await flush();
    expect([
      root.querySelector("dialog"),
      root.querySelector(".ended"),
      end.mock.calls.length,
    ]).toEqual([null, null, 0]);
    expect(document.activeElement).toBe(root.querySelector("button.end"));
  });

  it("ends the chat from the End chat button", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    const end = vi.spyOn(adapter, "end");
    [...root.querySelectorAll("button")].find((b) => b.textContent === "End chat").click();
    root.querySelector('[data-testid="end-confirm"]').click();
    // Over for the visitor at once, before the disconnect has answered.
    expect(root.querySelector(".ended")).not.toBeNull();
    expect(new SessionStore().loadPrevious().resumeToken).toBe("rt-1");
    await flush();
    expect(end).toHaveBeenCalled();
  });

  it("ends locally even when the disconnect fails", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    adapter.end = async () => {
      throw new Error("offline");
    };
    [...root.querySelectorAll("button")].find((b) => b.textContent === "End chat").click();
    root.querySelector('[data-testid="end-confirm"]').click();
    await flush();
    expect(root.querySelector(".ended")).not.toBeNull();
    expect(new SessionStore().loadActive()).toBeNull();
  });

  it("shows a banner while the connection is lost", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    const banner = root.querySelector('[data-testid="connection-banner"]');
    expect(banner.hidden).toBe(true);
    adapter.emit("connection", "lost");
    expect(banner.hidden).toBe(false);
    expect(banner.textContent).toMatch(/Reconnecting/);
    adapter.emit("connection", "established");
    expect(banner.hidden).toBe(true);
  });

  it("ignores ChatJS connection noise after the chat ended", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    adapter.emit(
      "item",
      item({
        id: "e",
        kind: "event",
        role: "system",
        contentType: "application/vnd.amazonaws.connect.event.chat.ended",
      }),
    );
    adapter.emit("connection", "lost");
    expect(root.querySelector('[data-testid="connection-banner"]').hidden).toBe(true);
  });

  it("re-reads the transcript when the socket (re)connects, so nothing posted meanwhile is lost", async () => {
    const adapter = new FakeAdapter();
    const { root } = await bootApp({ adapter });
    await submit(root);
    adapter.transcript = [
      item({
        id: "joined",
        kind: "event",
        role: "system",
        contentType: "application/vnd.amazonaws.connect.event.participant.joined",
      }),
    ];
    adapter.emit("connection", "established");
    await flush();
    expect(root.querySelectorAll('[data-role="system"]')).toHaveLength(1);
    adapter.emit("connection", "established");
    await flush();
    expect(root.querySelectorAll('[data-role="system"]')).toHaveLength(1);
  });

  it("catches up again shortly after connecting (ChatJS reports the socket before it is subscribed)", async () => {
    const adapter = new FakeAdapter();
    const { root } = await bootApp({ adapter });
    await submit(root);
    vi.useFakeTimers();
    try {
      const reads = vi.spyOn(adapter, "loadTranscript");
      adapter.emit("connection", "established");
      await vi.advanceTimersByTimeAsync(0);
      expect(reads).toHaveBeenCalledTimes(1);
      // Posted while the subscribe was still pending: only a later transcript read has it.
      adapter.transcript = [item({ id: "greeting", content: "Hi, I'm Alex" })];
      await vi.advanceTimersByTimeAsync(5000);
      expect(reads).toHaveBeenCalledTimes(3);
      expect(root.querySelector('[data-message-id="greeting"]')).not.toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses files over the limit or of the wrong type before uploading", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    const upload = vi.spyOn(adapter, "sendAttachment");
    const input = root.querySelector("#composer-file");
    Object.defineProperty(input, "files", {
      value: [new File(["x"], "run.exe")],
      configurable: true,
    });
    input.dispatchEvent(new Event("change"));
    await flush();
    expect(upload).not.toHaveBeenCalled();
    expect(root.querySelector('[data-testid="error-message"]').textContent).toMatch(
      /can't be sent/,
    );
    Object.defineProperty(input, "files", {
      value: [new File(["hello"], "notes.txt")],
      configurable: true,
    });
    input.dispatchEvent(new Event("change"));
    await flush();
    expect(upload).toHaveBeenCalledTimes(1);
  });

  it("downloads the transcript as text with what the log shows, during and after the chat", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    adapter.emit(
      "item",
      item({
        id: "a1",
        content: '**Hi** <img src=x onerror="window.__xss=1">',
        contentType: "text/markdown",
      }),
    );
    adapter.emit(
      "item",
      item({
        id: "f1",
        kind: "attachment",
        role: "customer",
        participantRole: "CUSTOMER",
        displayName: "Ann",
        time: new Date("2026-11-25T10:01:00Z"),
        attachments: [{ id: "x", name: "bill.pdf", contentType: "application/pdf" }],
      }),
    );
    const created = [];
    const clicked = [];
    const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = (blob) => {
      created.push(blob);
      return "blob:https://chat.example.net/t";
    };
    URL.revokeObjectURL = () => {};
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(
      /** @this {HTMLAnchorElement} */ function () {
        clicked.push(this.getAttribute("download"));
      },
    );
    try {
      root.querySelector('[data-testid="download-transcript"]').click();
      await vi.waitFor(() => expect(created).toHaveLength(1));
      expect(created[0].type).toBe("application/octet-stream");
      const text = (await created[0].text()).replace(/\[[^\]]*\]/g, "[time]");
      // UTF-8 with a byte-order mark (text() drops the mark when it decodes).
      expect([...new Uint8Array(await created[0].arrayBuffer()).slice(0, 3)]).toEqual([
        0xef, 0xbb, 0xbf,
      ]);
      expect(text.split("\n").slice(0, 2)).toEqual([
        "Chat with us - Chat transcript",
        "Contact ID: c-1",
      ]);
      // The log shows the agent's raw HTML as text; the file keeps it as text, never markup.
      expect(text.split("\n").slice(4)).toEqual([
        '[time] Alex: Hi <img src=x onerror="window.__xss=1">',
        "[time] You: Attachment: bill.pdf",
        "",
      ]);
      expect(clicked[0]).toMatch(/^chat-transcript-\d{4}-\d{2}-\d{2}-\d{4}\.txt$/);
      adapter.emit("ended");
      root.querySelector('[data-testid="download-transcript"]').click();
      await vi.waitFor(() => expect(created).toHaveLength(2));
    } finally {
      click.mockRestore();
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
    }
  });

  it("saves an agent's file under its name and never lets it render in the chat's origin", async () => {
    const { root, adapter } = await bootApp();
    await submit(root);
    // S3 serves what was uploaded; an HTML or SVG file would run as a page of the chat origin.
    adapter.downloadAttachment = vi.fn(
      async () => new Blob(["<script>parent.steal()</script>"], { type: "text/html" }),
    );
    const created = [];
    const clicked = [];
    const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = (blob) => {
      created.push(blob);
      return "blob:https://chat.example.net/1";
    };
    URL.revokeObjectURL = () => {};
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(
      /** @this {HTMLAnchorElement} */ function () {
        clicked.push({ href: this.getAttribute("href"), download: this.getAttribute("download") });
      },
    );
    try {
      adapter.emit(
        "item",
        item({
          id: "f-1",
          kind: "attachment",
          attachments: [{ id: "a-1", name: "", contentType: "text/html" }],
        }),
      );
      root.querySelector("button.attachment").click();
      for (let turn = 0; turn < 3; turn++) await flush();
      expect(adapter.downloadAttachment).toHaveBeenCalledWith("a-1");
      expect(created).toHaveLength(1);
      expect(created[0].type).toBe("application/octet-stream");
      expect(await created[0].text()).toBe("<script>parent.steal()</script>");
      expect(clicked).toEqual([
        { href: "blob:https://chat.example.net/1", download: "attachment" },
      ]);
    } finally {
      click.mockRestore();
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
    }
  });
});

describe("ChatApp languages", () => {
  beforeEach(async () => {
    sessionStorage.clear();
    const { loadLocale } = await import("../src/i18n/index.js");
    await loadLocale("en");
  });

  it("draws in the stack's language, then the host's setLanguage relabels the page and <html>", async () => {
    const handlers = {};
    const embeddedHost = {
      embedded: true,
      on: (type, fn) => (handlers[type] = fn),
      start() {},
      send: vi.fn(),
    };
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    const spanish = validateConfig({
      apiEndpoint: "https://api.example.com/",
      region: "eu-west-2",
      language: "es",
    });
    const app = new ChatApp({
      root,
      config: spanish,
      store: new SessionStore(),
      createAdapter: () => new FakeAdapter(),
      host: embeddedHost,
      fetch: started,
    });
    await app.boot();
    const submit = () => root.querySelector("button[type=submit]").textContent;
    expect([submit(), document.documentElement.lang, document.documentElement.dir]).toEqual([
      "Iniciar chat",
      "es",
      "ltr",
    ]);
    handlers.setLanguage("ar");
    await vi.waitFor(() => expect(document.documentElement.lang).toBe("ar"));
    expect([submit(), document.documentElement.lang, document.documentElement.dir]).toEqual([
      "بدء الدردشة",
      "ar",
      "rtl",
    ]);
    expect(root.querySelector('[data-action="minimise"]').getAttribute("aria-label")).toBe(
      "تصغير الدردشة",
    );
    expect(root.querySelector("form.prechat").getAttribute("aria-label")).toBe("بدء دردشة");
  });
});

describe("ChatApp post-chat survey", () => {
  beforeEach(() => sessionStorage.clear());

  it("keeps the connection after the visitor ends, shows the survey, then offers a new chat", async () => {
    const surveyConfig = validateConfig({
      apiEndpoint: "https://api.example.com/",
      region: "eu-west-2",
      features: { postChatSurvey: true },
    });
    const adapter = new FakeAdapter();
    // ChatJS 4+: disconnectParticipant resolves and the socket stays until chat.ended.
    adapter.end = vi.fn(async () => {});
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    const app = new ChatApp({
      root,
      config: surveyConfig,
      store: new SessionStore(),
      createAdapter: () => adapter,
      host,
      fetch: started,
    });
    await app.boot();
    await submit(root);
    root.querySelector("button.end").click();
    root.querySelector('[data-testid="end-confirm"]').click();
    await flush();
    expect(adapter.end).toHaveBeenCalledWith({ awaitServerEnd: true });
    expect([app.state, root.querySelector(".ended"), root.querySelector("button.end")]).toEqual([
      "survey",
      null,
      null,
    ]);
    expect(root.querySelector('[data-testid="survey-note"]').textContent).toBe(
      "You've left the chat. Please answer our short survey below.",
    );
    const survey = JSON.stringify({
      templateType: "ListPicker",
      version: "1.0",
      data: {
        content: {
          title: "How would you rate this chat?",
          elements: [{ title: "Very good" }, { title: "Poor" }],
        },
      },
    });
    adapter.emit(
      "item",
      item({
        id: "s1",
        role: "system",
        participantRole: "SYSTEM",
        displayName: "SYSTEM_MESSAGE",
        contentType: "application/vnd.amazonaws.connect.message.interactive",
        content: survey,
      }),
    );
    [...root.querySelectorAll("button.choice")]
      .find((b) => b.textContent.includes("Very good"))
      .click();
    await flush();
    expect(adapter.sent.at(-1).data.content.title).toBe("Very good");
    host.send.mockClear();
    adapter.emit("ended");
    expect([app.state, root.querySelector('[data-testid="survey-note"]')]).toEqual(["ended", null]);
    // Connect ends the survey, but the visitor is who left: the host hears "customer".
    expect(
      host.send.mock.calls.filter(
        ([type, event]) => type === "event" && event.name === "chatEnded",
      ),
    ).toEqual([
      ["event", { name: "chatEnded", payload: { contactId: "c-1", reason: "customer" } }],
    ]);
    expect(root.querySelector(".ended button").textContent).toBe("Start a new chat");
    root.querySelector(".ended button").click();
    expect(root.querySelector("form.prechat")).not.toBeNull();
  });

  it("ends at once when the stack has no survey", async () => {
    const { root, adapter, app } = await bootApp();
    await submit(root);
    const end = vi.spyOn(adapter, "end");
    root.querySelector("button.end").click();
    root.querySelector('[data-testid="end-confirm"]').click();
    await flush();
    expect([app.state, end.mock.calls[0]]).toEqual(["ended", []]);
  });
});

describe("ChatApp customer formatting", () => {
  beforeEach(() => sessionStorage.clear());

  async function chatWith(features) {
    const adapter = new FakeAdapter();
    const sendText = vi.spyOn(adapter, "sendText");
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    const app = new ChatApp({
      root,
      config: validateConfig({
        apiEndpoint: "https://api.example.com/",
        region: "eu-west-2",
        features,
      }),
      store: new SessionStore(),
      createAdapter: () => adapter,
      host,
      fetch: started,
    });
    await app.boot();
    await submit(root);
    return { root, sendText };
  }

  it("with the stack's customerFormatting, shows the toolbar and sends Markdown", async () => {
    const { root, sendText } = await chatWith({ customerFormatting: true });
    await vi.waitFor(() => expect(root.querySelector('[role="toolbar"]')).not.toBeNull());
    const box = root.querySelector("#composer-message");
    box.value = "**hi**";
    box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await flush();
    expect(sendText.mock.calls).toEqual([["**hi**", "text/markdown"]]);
    expect(root.querySelector("li[data-role=customer] .body strong").textContent).toBe("hi");
  });

  it("without it, has no toolbar and sends plain text", async () => {
    const { root, sendText } = await chatWith({});
    for (let turn = 0; turn < 5; turn++) await flush();
    expect(root.querySelector('[role="toolbar"]')).toBeNull();
    const box = root.querySelector("#composer-message");
    box.value = "**hi**";
    box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await flush();
    expect(sendText.mock.calls).toEqual([["**hi**", "text/plain"]]);
    expect(root.querySelector("li[data-role=customer] .body").textContent).toBe("**hi**");
  });
});
