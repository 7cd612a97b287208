// The loader's host events, launch control, unread badge and launcher layout.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { eventPayload, installWidget } from "../src/loader/host-api.js";
import { launcherLabel, launcherStrings } from "../src/loader/launcher-strings.js";

const SCRIPT = "https://chat.example.net/widget.js";
const WIDGET_ORIGIN = "https://chat.example.net";

function hostWindow() {
  document.body.replaceChildren();
  return {
    location: { origin: "https://www.example.com" },
    sessionStorage,
    console: { warn: vi.fn(), error: vi.fn() },
    listeners: [],
    addEventListener(type, fn) {
      if (type === "message") this.listeners.push(fn);
    },
    dispatch(event) {
      for (const fn of this.listeners) fn(event);
    },
  };
}

/** Installs the loader, with `queued` calls made before it arrived (the snippet queue). */
function install(win, ...queued) {
  if (queued.length > 0) win.ConnectChat = Object.assign(() => {}, { q: queued });
  return installWidget(win, document, SCRIPT);
}

/** Gives the (created) frame a fake window and makes it ready; returns the fake window. */
function readyFrame(win, widget, layout) {
  const fake = { postMessage: vi.fn() };
  Object.defineProperty(widget.frame(), "contentWindow", { value: fake, configurable: true });
  fromFrame(win, fake, "ready", { active: false, layout });
  return fake;
}

function fromFrame(win, source, type, payload, origin = WIDGET_ORIGIN) {
  win.dispatch({ origin, source, data: { source: "connect-chat", type, payload } });
}

/** @param {string} testId */
const byTestId = (testId) =>
  /** @type {HTMLElement} */ (document.querySelector(`[data-testid="${testId}"]`));
const launcher = () => byTestId("chat-launcher");
const badge = () => byTestId("chat-unread-badge");
const chatFrame = () => byTestId("chat-frame");
const agentMessage = {
  name: "message",
  payload: { role: "agent", contentType: "text/plain", text: "secret" },
};

describe("host events", () => {
  let win;
  beforeEach(() => {
    sessionStorage.clear();
    win = hostWindow();
  });

  it("passes each event to its listeners as plain data, text only to those who asked", () => {
    const widget = install(win);
    const plain = vi.fn();
    const withText = vi.fn();
    const started = vi.fn();
    win.ConnectChat("on", "message", plain);
    win.ConnectChat("on", "message", withText, { includeText: true });
    win.ConnectChat("on", "chatStarted", started);
    win.ConnectChat("open");
    const frame = readyFrame(win, widget);
    fromFrame(win, frame, "event", {
      name: "chatStarted",
      payload: { contactId: "c-1" },
    });
    fromFrame(win, frame, "event", agentMessage);
    expect(started.mock.calls).toEqual([[{ contactId: "c-1" }]]);
    expect(plain.mock.calls).toEqual([[{ role: "agent", contentType: "text/plain" }]]);
    expect(withText.mock.calls).toEqual([
      [{ role: "agent", contentType: "text/plain", text: "secret" }],
    ]);
  });

  it("tells the chat to send text only while a listener wants it", () => {
    const widget = install(win);
    const listener = () => {};
    win.ConnectChat("on", "message", listener, { includeText: true });
    win.ConnectChat("open");
    const frame = readyFrame(win, widget);
    win.ConnectChat("off", "message", listener);
    const sent = frame.postMessage.mock.calls.map(([message, target]) => [
      message.type,
      message.payload,
      target,
    ]);
    expect(sent).toEqual([
      ["events", { includeText: true }, WIDGET_ORIGIN],
      ["open", undefined, WIDGET_ORIGIN],
      ["events", { includeText: false }, WIDGET_ORIGIN],
    ]);
  });

  it("hears events only from its own frame on the widget origin, and only the chat's events", () => {
    const widget = install(win);
    const listener = vi.fn();
    for (const name of ["message", "opened", "unreadChanged"])
      win.ConnectChat("on", name, listener);
    win.ConnectChat("open");
    listener.mockClear();
    const frame = readyFrame(win, widget);
    fromFrame(win, frame, "event", agentMessage, "https://evil.example");
    fromFrame(win, {}, "event", agentMessage);
    // The loader raises opened and unreadChanged itself; the frame cannot forge them.
    fromFrame(win, frame, "event", { name: "opened", payload: {} });
    fromFrame(win, frame, "event", { name: "unreadChanged", payload: { count: 99 } });
    expect(listener).not.toHaveBeenCalled();
  });

  it("stops calling a listener after off, and keeps calling the others when one throws", () => {
    const widget = install(win);
    const thrower = vi.fn(() => {
      throw new Error("host bug");
    });
    const removed = vi.fn();
    const kept = vi.fn();
    win.ConnectChat("on", "chatEnded", thrower);
    win.ConnectChat("on", "chatEnded", removed);
    win.ConnectChat("on", "chatEnded", kept);
    win.ConnectChat("off", "chatEnded", removed);
    win.ConnectChat("open");
    const frame = readyFrame(win, widget);
    fromFrame(win, frame, "event", {
      name: "chatEnded",
      payload: { contactId: "c-1", reason: "host" },
    });
    expect(removed).not.toHaveBeenCalled();
    expect(kept.mock.calls).toEqual([[{ contactId: "c-1", reason: "host" }]]);
    expect(win.console.warn.mock.calls).toEqual([["ConnectChat: Error: host bug"]]);
  });

  it("refuses unknown events and non-function listeners", () => {
    install(win);
    win.ConnectChat("on", "__proto__", () => {});
    win.ConnectChat("on", "message", "not a function");
    expect(win.console.warn.mock.calls).toEqual([
      ['ConnectChat: cannot listen to "__proto__"'],
      ['ConnectChat: cannot listen to "message"'],
    ]);
  });

  it("raises opened and closed on changes only, queued listeners included", () => {
    const seen = [];
    install(
      win,
      ["on", "opened", () => seen.push("opened")],
      ["on", "closed", () => seen.push("closed")],
    );
    win.ConnectChat("open");
    win.ConnectChat("open");
    win.ConnectChat("close");
    win.ConnectChat("close");
    expect(seen).toEqual(["opened", "closed"]);
  });

  it("gives each listener its own copy, without the text unless it asked", () => {
    const payload = { role: "agent", contentType: "text/plain", text: "hi" };
    const copy = eventPayload(payload, false);
    expect(copy).toEqual({ role: "agent", contentType: "text/plain" });
    copy.role = "customer";
    expect(payload.role).toBe("agent");
    expect(eventPayload(payload, true)).toEqual(payload);
    expect(eventPayload(payload, true)).not.toBe(payload);
    expect(eventPayload({ code: "send_failed" }, true)).toEqual({ code: "send_failed" });
    expect(eventPayload(undefined, false)).toEqual({});
  });
});

describe("unread badge", () => {
  let win;
  beforeEach(() => {
    sessionStorage.clear();
    win = hostWindow();
  });

  it("counts agent messages while the chat is closed and says so in the launcher's name", () => {
    const widget = install(win);
    const counts = [];
    win.ConnectChat("on", "unreadChanged", ({ count }) => counts.push(count));
    win.ConnectChat("open");
    const frame = readyFrame(win, widget);
    fromFrame(win, frame, "event", agentMessage);
    expect(badge().style.display).toBe("none");
    win.ConnectChat("close");
    fromFrame(win, frame, "event", {
      name: "message",
      payload: { role: "customer", contentType: "text/plain" },
    });
    fromFrame(win, frame, "event", agentMessage);
    expect(launcher().getAttribute("aria-label")).toBe("Chat, 1 unread message");
    fromFrame(win, frame, "event", {
      name: "message",
      payload: { role: "system", contentType: "text/plain" },
    });
    expect(launcher().getAttribute("aria-label")).toBe("Chat, 2 unread messages");
    expect(badge().textContent).toBe("2");
    expect(badge().style.display).toBe("block");
    expect(badge().getAttribute("aria-hidden")).toBe("true");
    win.ConnectChat("open");
    expect(launcher().getAttribute("aria-label")).toBe("Close chat");
    expect(badge().style.display).toBe("none");
    win.ConnectChat("close");
    expect(launcher().getAttribute("aria-label")).toBe("Open chat");
    expect(counts).toEqual([1, 2, 0]);
  });

  it("carries the count to the next page of the site", () => {
    const widget = install(win);
    win.ConnectChat("open");
    const frame = readyFrame(win, widget);
    fromFrame(win, frame, "active", true);
    win.ConnectChat("close");
    fromFrame(win, frame, "event", agentMessage);
    const next = hostWindow();
    const counts = [];
    install(next, ["on", "unreadChanged", ({ count }) => counts.push(count)]);
    expect(launcher().getAttribute("aria-label")).toBe("Chat, 1 unread message");
    expect(counts).toEqual([1]);
  });

  it("words the label from the host's label and language hint", () => {
    expect(launcherLabel({ label: "Help", open: false, unread: 3 })).toBe(
      "Help, 3 unread messages",
    );
    expect(launcherLabel({ label: "Help", open: false, unread: 0 })).toBe("Help");
    expect(launcherLabel({ language: "en-GB", open: true, unread: 3 })).toBe("Close chat");
    // Only English exists on this branch: any other hint falls back to it.
    expect(launcherStrings("ja")).toBe(launcherStrings("en"));
    expect(launcherStrings("constructor")).toBe(launcherStrings("en"));
    expect(launcherStrings("EN-gb")).toBe(launcherStrings("en"));
    install(win, ["settings", { label: "Ask us", language: "fr" }]);
    expect(launcher().getAttribute("aria-label")).toBe("Ask us");
  });
});

describe("launch control", () => {
  let win;
  beforeEach(() => {
    sessionStorage.clear();
    win = hostWindow();
  });

  it("hides the launcher; the host's own button opens the chat and gets focus back", () => {
    const button = document.createElement("button");
    install(win, ["settings", { launcher: false }]);
    document.body.append(button);
    expect(launcher().style.display).toBe("none");
    button.focus();
    win.ConnectChat("open");
    expect(chatFrame().hidden).toBe(false);
    win.ConnectChat("close");
    expect(document.activeElement).toBe(button);
  });

  it("opens on load, until the visitor closes it; then stays closed on the next pages", () => {
    install(win, ["settings", { openOnLoad: true }]);
    expect(chatFrame().hidden).toBe(false);
    win.ConnectChat("close");
    install(hostWindow(), ["settings", { openOnLoad: true }]);
    expect(chatFrame()).toBeNull();
    expect(launcher().getAttribute("aria-expanded")).toBe("false");
  });

  it("remembers an open chat across pages even without a conversation", () => {
    install(win);
    win.ConnectChat("open");
    install(hostWindow());
    expect(chatFrame().hidden).toBe(false);
  });

  it("keeps a minimised live chat connected but hidden on the next page", () => {
    const widget = install(win);
    win.ConnectChat("open");
    fromFrame(win, readyFrame(win, widget), "active", true);
    win.ConnectChat("close");
    install(hostWindow());
    const frame = chatFrame();
    expect(frame).not.toBeNull();
    expect(frame.hidden).toBe(true);
  });

  it("forwards endChat to a chat that exists, and to nothing otherwise", () => {
    const widget = install(win);
    win.ConnectChat("endChat");
    expect(widget.frame()).toBeNull();
    win.ConnectChat("open");
    const frame = readyFrame(win, widget);
    win.ConnectChat("endChat");
    expect(frame.postMessage.mock.calls.map(([message]) => message.type)).toEqual([
      "open",
      "endChat",
    ]);
  });
});

describe("launcher layout", () => {
  let win;
  beforeEach(() => {
    sessionStorage.clear();
    win = hostWindow();
  });

  it("takes the stack's position, size and colour from the chat, unless the host's theme chose", () => {
    const widget = install(win, ["theme", { width: 420 }]);
    win.ConnectChat("open");
    readyFrame(win, widget, { position: "left", width: 500, height: 700, primaryColor: "#ffd400" });
    const frame = /** @type {HTMLElement} */ (widget.frame());
    expect(launcher().style.inset).toBe("auto auto 20px 20px");
    expect([frame.style.inset, frame.style.width, frame.style.height]).toEqual([
      "auto auto 90px 20px",
      "420px",
      "700px",
    ]);
    expect([launcher().style.background, launcher().style.color]).toEqual([
      "rgb(255, 212, 0)",
      "rgb(0, 0, 0)",
    ]);
    win.ConnectChat("theme", { position: "right", primaryColor: "#0b6e4f" });
    expect([launcher().style.inset, frame.style.inset]).toEqual([
      "auto 20px 20px auto",
      "auto 20px 90px auto",
    ]);
    expect(launcher().style.background).toBe("rgb(11, 110, 79)");
  });

  it("ignores a position, size or colour outside the rules", () => {
    const widget = install(win, [
      "theme",
      { position: "middle", width: 5000, height: 399, primaryColor: "red" },
    ]);
    win.ConnectChat("open");
    const frame = /** @type {HTMLElement} */ (widget.frame());
    expect([frame.style.inset, frame.style.width, frame.style.height]).toEqual([
      "auto 20px 90px auto",
      "380px",
      "600px",
    ]);
    expect(launcher().style.background).toBe("rgb(31, 79, 209)");
  });
});
