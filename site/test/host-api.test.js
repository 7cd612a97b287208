import { beforeEach, describe, expect, it, vi } from "vitest";
import { installWidget, isFrameMessage } from "../src/loader/host-api.js";

const SCRIPT = "https://chat.example.net/widget.js";
const WIDGET_ORIGIN = "https://chat.example.net";

function freshWindow() {
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
  return win;
}

function frameWindowOf(widget) {
  const frame = widget.frame();
  const fake = { postMessage: vi.fn() };
  Object.defineProperty(frame, "contentWindow", { value: fake, configurable: true });
  return fake;
}

describe("installWidget", () => {
  let win;
  beforeEach(() => {
    win = freshWindow();
  });

  it("draws an accessible launcher and creates the frame only on open", () => {
    const widget = installWidget(win, document, SCRIPT);
    const launcher = document.querySelector('[data-testid="chat-launcher"]');
    expect(launcher.getAttribute("aria-label")).toBe("Open chat");
    expect(launcher.getAttribute("aria-expanded")).toBe("false");
    // The icon is drawn, not a glyph that hosts without an emoji font show as a box.
    expect(launcher.textContent).toBe("");
    expect(launcher.querySelector('svg[aria-hidden="true"] path')).not.toBeNull();
    expect(document.querySelector("iframe")).toBeNull();
    win.ConnectChat("open");
    const frame = document.querySelector('[data-testid="chat-frame"]');
    expect(frame.src).toBe("https://chat.example.net/chat.html?host=https%3A%2F%2Fwww.example.com");
    expect(frame.title).toBe("Chat");
    expect(frame.hidden).toBe(false);
    expect(launcher.getAttribute("aria-expanded")).toBe("true");
    expect(widget.frame()).toBe(frame);
  });

  it("replays the snippet queue and forwards it once the frame is ready", () => {
    win.ConnectChat = function (...args) {
      (win.ConnectChat.q = win.ConnectChat.q || []).push(args);
    };
    win.ConnectChat("setDisplayName", "Ann");
    win.ConnectChat("setAttributes", { topic: "Billing" });
    win.ConnectChat("open");
    const widget = installWidget(win, document, SCRIPT);
    const frameWindow = frameWindowOf(widget);
    expect(frameWindow.postMessage).not.toHaveBeenCalled();
    win.dispatch({
      origin: WIDGET_ORIGIN,
      source: frameWindow,
      data: { source: "connect-chat", type: "ready" },
    });
    const sent = frameWindow.postMessage.mock.calls.map(([message, target]) => [
      message.type,
      message.payload,
      target,
    ]);
    expect(sent).toEqual([
      ["setDisplayName", "Ann", WIDGET_ORIGIN],
      ["setAttributes", { topic: "Billing" }, WIDGET_ORIGIN],
      ["open", undefined, WIDGET_ORIGIN],
    ]);
  });

  it("becomes the live API after loading", () => {
    const widget = installWidget(win, document, SCRIPT);
    win.ConnectChat("open");
    const frameWindow = frameWindowOf(widget);
    win.dispatch({
      origin: WIDGET_ORIGIN,
      source: frameWindow,
      data: { source: "connect-chat", type: "ready" },
    });
    frameWindow.postMessage.mockClear();
    win.ConnectChat("setDisplayName", "Bo");
    expect(frameWindow.postMessage).toHaveBeenCalledWith(
      { source: "connect-chat", type: "setDisplayName", payload: "Bo" },
      WIDGET_ORIGIN,
    );
    win.ConnectChat("nonsense");
    expect(win.console.warn).toHaveBeenCalled();
  });

  it("closes on the frame's request and returns focus to the launcher", () => {
    const widget = installWidget(win, document, SCRIPT);
    win.ConnectChat("open");
    const frameWindow = frameWindowOf(widget);
    win.dispatch({
      origin: WIDGET_ORIGIN,
      source: frameWindow,
      data: { source: "connect-chat", type: "close" },
    });
    expect(widget.frame().hidden).toBe(true);
    expect(document.activeElement).toBe(widget.launcher);
    expect(widget.launcher.getAttribute("aria-expanded")).toBe("false");
  });

  it("ignores messages from other origins or windows", () => {
    const widget = installWidget(win, document, SCRIPT);
    win.ConnectChat("open");
    const frameWindow = frameWindowOf(widget);
    win.dispatch({
      origin: "https://evil.io",
      source: frameWindow,
      data: { source: "connect-chat", type: "close" },
    });
    win.dispatch({
      origin: WIDGET_ORIGIN,
      source: {},
      data: { source: "connect-chat", type: "close" },
    });
    expect(widget.frame().hidden).toBe(false);
  });

  it("reopens a live chat on the next page of the site", () => {
    const first = installWidget(win, document, SCRIPT);
    win.ConnectChat("open");
    const frameWindow = frameWindowOf(first);
    win.dispatch({
      origin: WIDGET_ORIGIN,
      source: frameWindow,
      data: { source: "connect-chat", type: "active", payload: true },
    });
    const next = freshWindowKeepingStorage();
    installWidget(next, document, SCRIPT);
    expect(document.querySelector('[data-testid="chat-frame"]').hidden).toBe(false);
  });
});

function freshWindowKeepingStorage() {
  document.body.replaceChildren();
  return {
    location: { origin: "https://www.example.com" },
    sessionStorage,
    console,
    addEventListener() {},
  };
}

describe("isFrameMessage", () => {
  const frameWindow = {};
  it("requires our origin, our frame and our message shape", () => {
    const good = {
      origin: WIDGET_ORIGIN,
      source: frameWindow,
      data: { source: "connect-chat", type: "ready" },
    };
    expect(isFrameMessage(good, WIDGET_ORIGIN, frameWindow)).toBe(true);
    expect(isFrameMessage({ ...good, origin: "https://evil.io" }, WIDGET_ORIGIN, frameWindow)).toBe(
      false,
    );
    expect(isFrameMessage({ ...good, data: "ready" }, WIDGET_ORIGIN, frameWindow)).toBe(false);
    expect(isFrameMessage(good, WIDGET_ORIGIN, null)).toBe(false);
  });
});

describe("loader robustness on a host page", () => {
  let win;
  beforeEach(() => {
    win = freshWindow();
  });

  it("draws one launcher and one frame when the tag is included twice", () => {
    const first = installWidget(win, document, SCRIPT);
    const api = win.ConnectChat;
    expect(installWidget(win, document, SCRIPT)).toBeNull();
    expect(win.ConnectChat).toBe(api);
    win.ConnectChat("open");
    expect(document.querySelectorAll('[data-testid="chat-launcher"]')).toHaveLength(1);
    expect(document.querySelectorAll('[data-testid="chat-frame"]')).toHaveLength(1);
    expect(win.listeners).toHaveLength(1);
    expect(first.frame().hidden).toBe(false);
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])(
    "treats the inherited name %s as an unknown command instead of calling or throwing",
    (name) => {
      installWidget(win, document, SCRIPT);
      expect(() => win.ConnectChat(name, {})).not.toThrow();
      expect(win.console.warn).toHaveBeenCalledWith(`ConnectChat: unknown command "${name}"`);
    },
  );

  it("still replays the rest of the queue when one payload cannot be posted", () => {
    win.ConnectChat = function (...args) {
      (win.ConnectChat.q = win.ConnectChat.q || []).push(args);
    };
    win.ConnectChat("setAttributes", { topic: "Billing", callback: () => {} });
    win.ConnectChat("setDisplayName", "Ann");
    win.ConnectChat("open");
    const widget = installWidget(win, document, SCRIPT);
    const frame = widget.frame();
    // The browser structured-clones every message; a function cannot be cloned.
    const frameWindow = { postMessage: vi.fn((message) => structuredClone(message)) };
    Object.defineProperty(frame, "contentWindow", { value: frameWindow, configurable: true });
    win.dispatch({
      origin: WIDGET_ORIGIN,
      source: frameWindow,
      data: { source: "connect-chat", type: "ready" },
    });
    const delivered = frameWindow.postMessage.mock.results
      .map((result, i) =>
        result.type === "return" ? frameWindow.postMessage.mock.calls[i][0].type : null,
      )
      .filter(Boolean);
    expect(delivered).toEqual(["setDisplayName", "open"]);
    expect(win.console.warn).toHaveBeenCalledWith(
      expect.stringContaining('"setAttributes" not sent'),
    );
  });

  it("keeps the launcher icon visible on a light theme colour", () => {
    const widget = installWidget(win, document, SCRIPT);
    win.ConnectChat("theme", { primaryColor: "#ffe14d" });
    expect(widget.launcher.style.background).toBe("rgb(255, 225, 77)");
    expect(widget.launcher.style.color).toBe("rgb(0, 0, 0)");
    win.ConnectChat("theme", { primaryColor: "#0b2e6f" });
    expect(widget.launcher.style.color).toBe("rgb(255, 255, 255)");
  });
});
