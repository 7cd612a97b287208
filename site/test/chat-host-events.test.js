// The chat's side of the host events: which items raise which event, with which payload, once.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChatApp, loadConversationView } from "../src/chat/chat-app.js";
import { validateConfig } from "../src/chat/config.js";
import { itemEvent, startErrorCode } from "../src/chat/host-events.js";
import { SessionStore } from "../src/chat/session-store.js";
import { StartChatError } from "../src/chat/start-chat-api.js";

const config = validateConfig({ apiEndpoint: "https://api.example.com/", region: "eu-west-2" });
const JOINED = "application/vnd.amazonaws.connect.event.participant.joined";
const ENDED = "application/vnd.amazonaws.connect.event.chat.ended";

class FakeAdapter {
  constructor({ transcript = [], failSend = false } = {}) {
    this.listeners = {};
    this.transcript = transcript;
    this.failSend = failSend;
    /** @type {string[] | undefined} the ids it sent read receipts for */
    this.reads = undefined;
  }
  on(name, fn) {
    (this.listeners[name] ??= []).push(fn);
  }
  emit(name, value) {
    for (const fn of this.listeners[name] ?? []) fn(value);
  }
  async connect() {}
  async loadTranscript() {
    return this.transcript;
  }
  async sendText() {
    if (this.failSend) throw new Error("offline");
    return { data: { Id: "m-1" } };
  }
  async sendTyping() {}
  async sendRead(id) {
    (this.reads ??= []).push(id);
  }
  async sendDelivered() {}
  async end() {}
}

const item = (over) => ({
  id: "x",
  kind: "message",
  role: "agent",
  participantRole: "AGENT",
  displayName: "Alex",
  time: new Date("2026-11-25T10:00:00Z"),
  contentType: "text/plain",
  content: "my card number is 4111",
  attachments: [],
  ...over,
});
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const started = async () =>
  new Response(
    JSON.stringify({
      data: {
        startChatResult: { ContactId: "c-1", ParticipantId: "p-1", ParticipantToken: "tok" },
      },
    }),
    {
      status: 200,
    },
  );

function embeddedHost() {
  const handlers = {};
  const sent = [];
  return {
    handlers,
    sent,
    /** Only the host events, in order. */
    events: () => sent.filter(([type]) => type === "event").map(([, event]) => event),
    embedded: true,
    on: (type, fn) => (handlers[type] = fn),
    start() {},
    send: (type, payload) => sent.push([type, payload]),
  };
}

async function boot({ adapter = new FakeAdapter(), fetch = started } = {}) {
  const host = embeddedHost();
  const root = document.createElement("div");
  document.body.replaceChildren(root);
  // Fakes with only the adapter's and the channel's verbs the app uses.
  const fakes = /** @type {any} */ ({ createAdapter: () => adapter, host });
  const app = new ChatApp({ root, config, store: new SessionStore(), fetch, ...fakes });
  await app.boot();
  return { app, root, adapter, host };
}

async function start(root) {
  root.querySelector("#prechat-name").value = "Ann";
  root.querySelector("form.prechat").requestSubmit();
  for (let turn = 0; turn < 5; turn++) await flush();
}

describe("itemEvent and startErrorCode", () => {
  it("turns messages, attachments and agent joins into events, and nothing else", () => {
    expect(itemEvent(item({}), false)).toEqual({
      name: "message",
      payload: { role: "agent", contentType: "text/plain" },
    });
    expect(itemEvent(item({}), true)).toEqual({
      name: "message",
      payload: { role: "agent", contentType: "text/plain", text: "my card number is 4111" },
    });
    expect(
      itemEvent(item({ kind: "attachment", role: "customer", contentType: "" }), true),
    ).toEqual({
      name: "message",
      payload: { role: "customer", contentType: "" },
    });
    expect(itemEvent(item({ kind: "event", role: "system", contentType: JOINED }), false)).toEqual({
      name: "agentJoined",
      payload: { displayName: "Alex" },
    });
    // The visitor's own join, the end event and typing raise nothing.
    expect(
      itemEvent(
        item({ kind: "event", role: "system", participantRole: "CUSTOMER", contentType: JOINED }),
        false,
      ),
    ).toBeNull();
    expect(
      itemEvent(item({ kind: "event", role: "system", contentType: ENDED }), false),
    ).toBeNull();
    expect(itemEvent(item({ kind: "typing" }), false)).toBeNull();
  });

  it("codes a failed start by its cause, without the server's words", () => {
    expect(startErrorCode(new StartChatError("busy", { status: 429 }))).toBe("rate_limited");
    expect(startErrorCode(new StartChatError("no", { status: 403 }))).toBe("forbidden");
    expect(startErrorCode(new StartChatError("Attribute x", { status: 400 }))).toBe(
      "invalid_request",
    );
    expect(startErrorCode(new StartChatError("down", { status: 502 }))).toBe("start_failed");
    expect(startErrorCode(new Error("socket"))).toBe("connect_failed");
  });
});

describe("ChatApp host events", () => {
  beforeAll(async () => {
    await loadConversationView();
  });
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it("reports a new chat: started, the agent joining, messages once each and without text", async () => {
    const adapter = new FakeAdapter({
      transcript: [item({ id: "j", kind: "event", role: "system", contentType: JOINED })],
    });
    const { root, host } = await boot({ adapter });
    await start(root);
    adapter.emit("item", item({ id: "a-1" }));
    adapter.emit("item", item({ id: "a-1" }));
    adapter.emit(
      "item",
      item({
        id: "c-1",
        role: "customer",
        participantRole: "CUSTOMER",
        contentType: "text/markdown",
      }),
    );
    expect(host.events()).toEqual([
      { name: "chatStarted", payload: { contactId: "c-1" } },
      { name: "agentJoined", payload: { displayName: "Alex" } },
      { name: "message", payload: { role: "agent", contentType: "text/plain" } },
      { name: "message", payload: { role: "customer", contentType: "text/markdown" } },
    ]);
  });

  it("adds message text only after the host opted in", async () => {
    const { root, host, adapter } = await boot();
    await start(root);
    host.handlers.events({ includeText: true });
    adapter.emit("item", item({ id: "a-1", content: "hello" }));
    host.handlers.events({ includeText: false });
    adapter.emit("item", item({ id: "a-2", content: "bye" }));
    host.handlers.events({ includeText: "yes" });
    adapter.emit("item", item({ id: "a-3", content: "again" }));
    expect(host.events().filter((event) => event.name === "message")).toEqual([
      { name: "message", payload: { role: "agent", contentType: "text/plain", text: "hello" } },
      { name: "message", payload: { role: "agent", contentType: "text/plain" } },
      { name: "message", payload: { role: "agent", contentType: "text/plain" } },
    ]);
  });

  it("keeps a resumed chat's history quiet and reports only what is new", async () => {
    new SessionStore().saveActive({
      contactId: "c-9",
      participantId: "p",
      participantToken: "tok",
      displayName: "Ann",
    });
    const adapter = new FakeAdapter({
      transcript: [item({ id: "old-1" }), item({ id: "old-2", role: "customer" })],
    });
    const { host } = await boot({ adapter });
    adapter.emit("item", item({ id: "old-1" }));
    adapter.emit("item", item({ id: "new-1" }));
    expect(host.events()).toEqual([
      { name: "message", payload: { role: "agent", contentType: "text/plain" } },
    ]);
  });

  it("reports what arrived between two pages of the host site, and only that", async () => {
    const store = new SessionStore();
    store.saveActive({
      contactId: "c-9",
      participantId: "p",
      participantToken: "tok",
      displayName: "Ann",
    });
    store.saveReported(Date.parse("2026-11-25T10:00:00Z"));
    const adapter = new FakeAdapter({
      transcript: [
        item({ id: "seen", time: new Date("2026-11-25T10:00:00Z") }),
        item({ id: "while-away", time: new Date("2026-11-25T10:00:05Z") }),
      ],
    });
    const { host } = await boot({ adapter });
    expect(host.events()).toEqual([
      { name: "message", payload: { role: "agent", contentType: "text/plain" } },
    ]);
    expect(store.loadReported()).toBe(Date.parse("2026-11-25T10:00:05Z"));
  });

  it.each([
    [
      "customer",
      async ({ root }) => {
        // "End chat" asks first (issue 11's End-chat dialog); the visitor confirms.
        root.querySelector("button.end").click();
        root.querySelector('[data-testid="end-confirm"]').click();
      },
    ],
    ["host", async ({ host }) => host.handlers.endChat()],
    [
      "connect",
      async ({ adapter }) =>
        adapter.emit(
          "item",
          item({
            id: "e",
            kind: "event",
            role: "system",
            participantRole: "SYSTEM",
            contentType: ENDED,
          }),
        ),
    ],
  ])("reports the end with reason %s, once", async (reason, end) => {
    const context = await boot();
    await start(context.root);
    await end(context);
    await flush();
    context.adapter.emit("ended");
    const ended = context.host.events().filter((event) => event.name === "chatEnded");
    expect(ended).toEqual([{ name: "chatEnded", payload: { contactId: "c-1", reason } }]);
    expect(context.root.querySelector(".ended")).not.toBeNull();
  });

  it("keeps a minimised chat's messages unread for the agent until the visitor opens it", async () => {
    const { root, host, adapter } = await boot();
    host.handlers.open();
    await start(root);
    adapter.emit("item", item({ id: "seen" }));
    host.handlers.close();
    adapter.emit("item", item({ id: "while-minimised" }));
    expect(adapter.reads).toEqual(["seen"]);
    host.handlers.open();
    expect(adapter.reads).toEqual(["seen", "while-minimised"]);
  });

  it("ignores endChat from the host when no chat is on", async () => {
    const { host, root } = await boot();
    host.handlers.endChat();
    expect(host.events()).toEqual([]);
    expect(root.querySelector("form.prechat")).not.toBeNull();
  });

  it("reports failures by code", async () => {
    const busy = async () =>
      new Response(JSON.stringify({ error: { code: "TooManyRequests", message: "x" } }), {
        status: 429,
      });
    const { root, host } = await boot({ fetch: busy });
    await start(root);
    expect(host.events()).toEqual([{ name: "error", payload: { code: "rate_limited" } }]);

    const failing = await boot({ adapter: new FakeAdapter({ failSend: true }) });
    await start(failing.root);
    failing.root.querySelector("#composer-message").value = "hi";
    failing.root.querySelector("form.composer").requestSubmit();
    await flush();
    failing.adapter.emit("connection", "lost");
    expect(failing.host.events().filter((event) => event.name === "error")).toEqual([
      { name: "error", payload: { code: "send_failed" } },
      { name: "error", payload: { code: "connection_lost" } },
    ]);
  });
});
