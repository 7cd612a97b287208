import { beforeEach, describe, expect, it, vi } from "vitest";
import { ChatApp } from "../src/chat/chat-app.js";
import { validateConfig } from "../src/chat/config.js";
import { bindHostCommands, cleanCustomerToken } from "../src/chat/host-commands.js";
import { SessionStore } from "../src/chat/session-store.js";
import { t } from "../src/i18n/index.js";

const SIGN_IN_TEXT = t("error.signIn");
import { installWidget } from "../src/loader/host-api.js";

const JWT_A = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnLWE";
const JWT_B = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiIn0.c2lnLWI";
const config = validateConfig({ apiEndpoint: "https://api.example.com/", region: "eu-west-2" });
const startedBody = {
  data: {
    startChatResult: { ContactId: "c-1", ParticipantId: "p-1", ParticipantToken: "tok" },
    featurePermissions: {},
    resumeToken: "rt-1",
  },
};
const answer = (status, body) => async () => new Response(JSON.stringify(body), { status });
const expired = answer(401, {
  error: { code: "INVALID_CUSTOMER_TOKEN", message: "expired", requestId: "r" },
});

// Only what a start needs; the rest of ChatTransport is never called before the chat connects.
class FakeAdapter {
  on() {}
  async connect() {}
  async loadTranscript() {
    return [];
  }
}

/** An embedded chat whose host answers customerTokenRequest with `tokens`, one per request. */
async function embeddedApp({ fetch, tokens = [], provider = true }) {
  const handlers = {};
  const host = {
    embedded: true,
    on: (type, fn) => (handlers[type] = fn),
    start() {},
    send: vi.fn((type, payload) => {
      if (type === "customerTokenRequest")
        queueMicrotask(() =>
          handlers.customerToken({ id: payload.id, token: tokens.shift() ?? null }),
        );
    }),
  };
  const root = document.createElement("div");
  document.body.replaceChildren(root);
  const app = new ChatApp({
    root,
    config,
    store: new SessionStore(),
    createAdapter: () =>
      /** @type {import("../src/chat/chat-adapter.js").ChatTransport} */ (
        /** @type {unknown} */ (new FakeAdapter())
      ),
    host,
    fetch,
  });
  await app.boot();
  if (provider) handlers.customerTokenProvider(true);
  return { app, root, host, handlers };
}

async function submit(root) {
  root.querySelector("#prechat-name").value = "Ann";
  root.querySelector("form").requestSubmit();
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

const authorizations = (fetch) =>
  fetch.mock.calls.map(([, init]) => init.headers.Authorization ?? null);

describe("customer tokens in the chat", () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it("asks the host's callback at each start and sends the JWT as a Bearer token", async () => {
    const fetch = vi.fn(answer(200, startedBody));
    const { root } = await embeddedApp({ fetch, tokens: [JWT_A] });
    await submit(root);
    expect(authorizations(fetch)).toEqual([`Bearer ${JWT_A}`]);
  });

  it("on 401 asks the host for a new token once, then retries", async () => {
    const fetch = vi
      .fn()
      .mockImplementationOnce(expired)
      .mockImplementationOnce(answer(200, startedBody));
    const { root, host } = await embeddedApp({ fetch, tokens: [JWT_A, JWT_B] });
    await submit(root);
    expect(authorizations(fetch)).toEqual([`Bearer ${JWT_A}`, `Bearer ${JWT_B}`]);
    expect(host.send.mock.calls.filter(([type]) => type === "customerTokenRequest")).toHaveLength(
      2,
    );
  });

  it("gives up after one new token and asks the visitor to sign in again", async () => {
    const fetch = vi.fn(expired);
    const { root } = await embeddedApp({ fetch, tokens: [JWT_A, JWT_B, JWT_A] });
    await submit(root);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(root.querySelector('[data-testid="error-message"]').textContent).toBe(SIGN_IN_TEXT);
  });

  it("uses the token set with setCustomerToken when the host has no callback", async () => {
    const fetch = vi.fn(answer(200, startedBody));
    const { root, handlers, host } = await embeddedApp({ fetch, provider: false });
    handlers.setCustomerToken(JWT_B);
    await submit(root);
    expect(authorizations(fetch)).toEqual([`Bearer ${JWT_B}`]);
    expect(host.send.mock.calls.some(([type]) => type === "customerTokenRequest")).toBe(false);
  });

  it("sends no Authorization header for an anonymous visitor", async () => {
    const fetch = vi.fn(answer(200, startedBody));
    const { root } = await embeddedApp({ fetch, provider: false });
    await submit(root);
    expect(authorizations(fetch)).toEqual([null]);
  });
});

describe("cleanCustomerToken", () => {
  it("accepts a compact JWT, treats empty as sign-out and drops anything else", () => {
    expect(cleanCustomerToken(JWT_A)).toBe(JWT_A);
    expect(cleanCustomerToken(null)).toBe("");
    expect(cleanCustomerToken("")).toBe("");
    expect(cleanCustomerToken("not a jwt")).toBeNull();
    expect(cleanCustomerToken("a.b.c\nInjected: header")).toBeNull();
    expect(cleanCustomerToken({ token: JWT_A })).toBeNull();
    expect(cleanCustomerToken(`${JWT_A}${"x".repeat(48 * 1024)}`)).toBeNull();
  });

  it("binds setCustomerToken, dropping a malformed one", () => {
    const handlers = {};
    const actions = {
      open() {},
      setDisplayName() {},
      setAttributes() {},
      theme() {},
      setCustomerToken: vi.fn(),
    };
    bindHostCommands({ on: (type, fn) => (handlers[type] = fn) }, actions);
    handlers.setCustomerToken("junk");
    handlers.setCustomerToken(JWT_A);
    handlers.setCustomerToken(null);
    expect(actions.setCustomerToken.mock.calls).toEqual([[JWT_A], [null]]);
  });
});

describe("the loader's customer-token commands", () => {
  function setup() {
    document.body.replaceChildren();
    sessionStorage.clear();
    const win = {
      location: { origin: "https://www.example.com" },
      sessionStorage,
      console: { warn: vi.fn() },
      listeners: [],
      addEventListener(type, fn) {
        if (type === "message") this.listeners.push(fn);
      },
      dispatch(event) {
        for (const fn of this.listeners) fn(event);
      },
    };
    const widget = installWidget(win, document, "https://chat.example.net/widget.js");
    win.ConnectChat("open");
    const frameWindow = { postMessage: vi.fn() };
    Object.defineProperty(widget.frame(), "contentWindow", {
      value: frameWindow,
      configurable: true,
    });
    const fromFrame = (type, payload) =>
      win.dispatch({
        origin: "https://chat.example.net",
        source: frameWindow,
        data: { source: "connect-chat", type, payload },
      });
    fromFrame("ready");
    const sent = () =>
      frameWindow.postMessage.mock.calls
        .map(([message]) => [message.type, message.payload])
        .filter(([t]) => t !== "open");
    return { win, fromFrame, sent };
  }

  it("posts setCustomerToken's string to the chat", () => {
    const { win, sent } = setup();
    win.ConnectChat("setCustomerToken", JWT_A);
    win.ConnectChat("setCustomerToken", null);
    expect(sent()).toEqual([
      ["setCustomerToken", JWT_A],
      ["setCustomerToken", null],
    ]);
  });

  it("calls the host's callback when the chat asks, and posts the string it resolves to", async () => {
    const { win, fromFrame, sent } = setup();
    const callback = vi.fn(async () => JWT_B);
    win.ConnectChat("setCustomerTokenProvider", callback);
    fromFrame("customerTokenRequest", { id: "q-1" });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(callback).toHaveBeenCalledTimes(1);
    expect(sent()).toEqual([
      ["customerTokenProvider", true],
      ["customerToken", { id: "q-1", token: JWT_B }],
    ]);
  });

  it("answers null when the callback fails or there is none", async () => {
    const { win, fromFrame, sent } = setup();
    fromFrame("customerTokenRequest", { id: "q-1" });
    win.ConnectChat("setCustomerTokenProvider", () => {
      throw new Error("signed out");
    });
    fromFrame("customerTokenRequest", { id: "q-2" });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Every answer is asynchronous (a callback may return a promise), so the provider command
    // posted in between goes first; the chat matches answers to requests by id.
    expect(sent()).toEqual([
      ["customerTokenProvider", true],
      ["customerToken", { id: "q-1", token: null }],
      ["customerToken", { id: "q-2", token: null }],
    ]);
  });
});
