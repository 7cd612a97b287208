import { beforeEach, describe, expect, it } from "vitest";
import { SessionStore, continuationOf } from "../src/chat/session-store.js";

const chat = {
  contactId: "c-1",
  participantId: "p-1",
  participantToken: "tok",
  displayName: "Ann",
  attachments: true,
  resumeToken: "rt-1",
};

describe("SessionStore", () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });

  it("keeps the live chat in sessionStorage for a reload", () => {
    const store = new SessionStore();
    store.saveActive(chat);
    expect(JSON.parse(sessionStorage.getItem("connect-chat:session")).contactId).toBe("c-1");
    expect(new SessionStore().loadActive()).toMatchObject(chat);
    expect(localStorage.length).toBe(0);
  });

  it("forgets the token and keeps the resume token, never the contact id, when the chat ends", () => {
    const store = new SessionStore();
    store.saveActive(chat);
    store.finish(chat);
    expect(store.loadActive()).toBeNull();
    expect(sessionStorage.getItem("connect-chat:session")).toBeNull();
    const kept = JSON.parse(localStorage.getItem("connect-chat:previous"));
    expect(Object.keys(kept).sort()).toEqual(["displayName", "endedAt", "resumeToken"]);
    expect(store.loadPrevious()).toEqual({
      resumeToken: "rt-1",
      displayName: "Ann",
      endedAt: expect.any(Number),
    });
    expect(localStorage.getItem("connect-chat:previous")).not.toContain("tok");
    expect(localStorage.getItem("connect-chat:previous")).not.toContain("c-1");
  });

  it("keeps nothing for a continuation when the API gave no resume token", () => {
    new SessionStore().finish({ ...chat, resumeToken: undefined });
    expect(localStorage.getItem("connect-chat:previous")).toBeNull();
  });

  it("drops a saved token older than the longest chat, keeping its resume token for a continuation", () => {
    const store = new SessionStore();
    store.saveActive(chat);
    const savedAt = JSON.parse(sessionStorage.getItem("connect-chat:session")).savedAt;
    const maxAgeMs = 1500 * 60_000;
    expect(store.loadActive({ maxAgeMs, now: savedAt + maxAgeMs })).toMatchObject(chat);
    expect(store.loadActive({ maxAgeMs, now: savedAt + maxAgeMs + 1 })).toBeNull();
    expect(sessionStorage.getItem("connect-chat:session")).toBeNull();
    // It ended when Connect's limit ran out, not when the tab came back.
    expect(store.loadPrevious({ now: savedAt + maxAgeMs + 1 })).toEqual({
      resumeToken: "rt-1",
      displayName: "Ann",
      endedAt: savedAt + maxAgeMs,
    });
  });

  it("saves what continues a chat through continuationOf alone, and nothing of a chat never started", () => {
    const store = new SessionStore();
    store.finish(null);
    expect(localStorage.length).toBe(0);
    store.finish(chat, 5);
    expect(JSON.parse(localStorage.getItem("connect-chat:previous"))).toEqual({
      resumeToken: continuationOf(chat),
      displayName: "Ann",
      endedAt: 5,
    });
    expect(continuationOf(chat)).toBe("rt-1");
  });

  it("offers a saved chat only while it is fresh, and removes a stale one", () => {
    const store = new SessionStore();
    store.finish(chat, 1_000_000);
    const maxAgeMs = 60_000;
    expect(store.loadPrevious({ maxAgeMs, now: 1_000_000 + maxAgeMs })).toEqual({
      resumeToken: "rt-1",
      displayName: "Ann",
      endedAt: 1_000_000,
    });
    expect(store.loadPrevious({ maxAgeMs, now: 1_000_000 + maxAgeMs + 1 })).toBeNull();
    expect(localStorage.getItem("connect-chat:previous")).toBeNull();
  });

  it.each([
    ["no time", { resumeToken: "rt-1", displayName: "Ann" }],
    ["a future time", { resumeToken: "rt-1", displayName: "Ann", endedAt: 2_000_000 }],
    ["no resume token", { displayName: "Ann", endedAt: 1_000_000 }],
    ["an empty resume token", { resumeToken: "", displayName: "Ann", endedAt: 1_000_000 }],
    [
      "a raw contact id an older widget kept as contactId",
      { contactId: "c-0", displayName: "Ann", endedAt: 1_000_000 },
    ],
    [
      "a raw contact id an older widget kept as sourceContactId",
      { sourceContactId: "c-0", displayName: "Ann", endedAt: 1_000_000 },
    ],
    ["junk", "[1,2]"],
  ])("removes a saved chat with %s", (_, record) => {
    localStorage.setItem(
      "connect-chat:previous",
      typeof record === "string" ? record : JSON.stringify(record),
    );
    expect(new SessionStore().loadPrevious({ maxAgeMs: 60_000, now: 1_000_000 })).toBeNull();
    expect(localStorage.getItem("connect-chat:previous")).toBeNull();
  });

  it("forgets everything it saved in both storages, and nothing else", () => {
    const store = new SessionStore();
    store.saveActive(chat);
    store.finish(chat);
    store.saveActive(chat);
    localStorage.setItem("connect-chat:customer", "jwt");
    localStorage.setItem("host-app:cart", "3 items");
    sessionStorage.setItem("host-app:tab", "1");
    store.forgetAll();
    expect(Object.keys(localStorage)).toEqual(["host-app:cart"]);
    expect(Object.keys(sessionStorage)).toEqual(["host-app:tab"]);
    expect(store.loadActive()).toBeNull();
    expect(store.loadPrevious()).toBeNull();
  });

  it("drops a saved token without a save time", () => {
    sessionStorage.setItem("connect-chat:session", JSON.stringify(chat));
    expect(new SessionStore().loadActive({ maxAgeMs: 60_000 })).toBeNull();
    expect(sessionStorage.getItem("connect-chat:session")).toBeNull();
  });

  it("discards corrupt or incomplete saved sessions", () => {
    sessionStorage.setItem("connect-chat:session", "{broken");
    expect(new SessionStore().loadActive()).toBeNull();
    sessionStorage.setItem("connect-chat:session", JSON.stringify({ contactId: "c-1" }));
    expect(new SessionStore().loadActive()).toBeNull();
    expect(sessionStorage.getItem("connect-chat:session")).toBeNull();
  });

  it("works (as no-ops) when storage is blocked", () => {
    const blocked = {
      getItem() {
        throw new DOMException("blocked", "SecurityError");
      },
      setItem() {
        throw new DOMException("blocked", "SecurityError");
      },
      removeItem() {
        throw new DOMException("blocked", "SecurityError");
      },
    };
    const store = new SessionStore(/** @type {any} */ (blocked), /** @type {any} */ (blocked));
    expect(store.saveActive(chat)).toBe(false);
    expect(store.loadActive()).toBeNull();
    expect(() => store.finish(chat)).not.toThrow();
    expect(store.loadPrevious()).toBeNull();
    expect(() => store.forgetAll()).not.toThrow();
  });
});
