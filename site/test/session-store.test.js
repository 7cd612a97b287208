import { beforeEach, describe, expect, it } from "vitest";
import { SessionStore, continuationOf } from "../src/chat/session-store.js";

const chat = { contactId: "c-1", participantId: "p-1", participantToken: "tok", displayName: "Ann", attachments: true };

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

  it("forgets the token and remembers the contact for persistent chat when the chat ends", () => {
    const store = new SessionStore();
    store.saveActive(chat);
    store.finish(chat);
    expect(store.loadActive()).toBeNull();
    expect(sessionStorage.getItem("connect-chat:session")).toBeNull();
    expect(store.loadPrevious()).toEqual({ sourceContactId: "c-1", displayName: "Ann", endedAt: expect.any(Number) });
    expect(localStorage.getItem("connect-chat:previous")).not.toContain("tok");
  });

  it("drops a saved token older than the longest chat, keeping the contact for a continuation", () => {
    const store = new SessionStore();
    store.saveActive(chat);
    const savedAt = JSON.parse(sessionStorage.getItem("connect-chat:session")).savedAt;
    const maxAgeMs = 1500 * 60_000;
    expect(store.loadActive({ maxAgeMs, now: savedAt + maxAgeMs })).toMatchObject(chat);
    expect(store.loadActive({ maxAgeMs, now: savedAt + maxAgeMs + 1 })).toBeNull();
    expect(sessionStorage.getItem("connect-chat:session")).toBeNull();
    // It ended when Connect's limit ran out, not when the tab came back.
    expect(store.loadPrevious({ now: savedAt + maxAgeMs + 1 })).toEqual({ sourceContactId: "c-1", displayName: "Ann", endedAt: savedAt + maxAgeMs });
  });

  it("saves what continues a chat through continuationOf alone, and nothing of a chat never started", () => {
    const store = new SessionStore();
    store.finish(null);
    expect(localStorage.length).toBe(0);
    store.finish(chat, 5);
    expect(JSON.parse(localStorage.getItem("connect-chat:previous"))).toEqual({ sourceContactId: continuationOf(chat), displayName: "Ann", endedAt: 5 });
    expect(continuationOf(chat)).toBe("c-1");
  });

  it("offers a saved chat only while it is fresh, and removes a stale one", () => {
    const store = new SessionStore();
    store.finish(chat, 1_000_000);
    const maxAgeMs = 60_000;
    expect(store.loadPrevious({ maxAgeMs, now: 1_000_000 + maxAgeMs })).toEqual({ sourceContactId: "c-1", displayName: "Ann", endedAt: 1_000_000 });
    expect(store.loadPrevious({ maxAgeMs, now: 1_000_000 + maxAgeMs + 1 })).toBeNull();
    expect(localStorage.getItem("connect-chat:previous")).toBeNull();
  });

  it.each([
    ["no time", { sourceContactId: "c-1", displayName: "Ann" }],
    ["a future time", { sourceContactId: "c-1", displayName: "Ann", endedAt: 2_000_000 }],
    ["no id", { displayName: "Ann", endedAt: 1_000_000 }],
    ["junk", "[1,2]"],
  ])("removes a saved chat with %s", (_, record) => {
    localStorage.setItem("connect-chat:previous", typeof record === "string" ? record : JSON.stringify(record));
    expect(new SessionStore().loadPrevious({ maxAgeMs: 60_000, now: 1_000_000 })).toBeNull();
    expect(localStorage.getItem("connect-chat:previous")).toBeNull();
  });

  it("reads a record saved before the id was named sourceContactId", () => {
    localStorage.setItem("connect-chat:previous", JSON.stringify({ contactId: "c-0", displayName: "Ann", endedAt: 1_000 }));
    expect(new SessionStore().loadPrevious({ now: 2_000 })).toEqual({ sourceContactId: "c-0", displayName: "Ann", endedAt: 1_000 });
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
