import { beforeEach, describe, expect, it } from "vitest";
import { SessionStore } from "../src/chat/session-store.js";

const chat = { contactId: "c-1", participantId: "p-1", participantToken: "tok", displayName: "Ann", attachments: true, resumeToken: "rt-1" };

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
    store.finish("rt-1", "Ann");
    expect(store.loadActive()).toBeNull();
    expect(sessionStorage.getItem("connect-chat:session")).toBeNull();
    const kept = JSON.parse(localStorage.getItem("connect-chat:previous"));
    expect(Object.keys(kept).sort()).toEqual(["displayName", "endedAt", "resumeToken"]);
    expect(store.loadPrevious()).toMatchObject({ resumeToken: "rt-1", displayName: "Ann" });
  });

  it("drops a raw contact id an older widget kept", () => {
    localStorage.setItem("connect-chat:previous", JSON.stringify({ contactId: "c-0", displayName: "Ann" }));
    expect(new SessionStore().loadPrevious()).toBeNull();
    expect(localStorage.getItem("connect-chat:previous")).toBeNull();
  });

  it("keeps nothing for a continuation when the API gave no resume token", () => {
    new SessionStore().finish(undefined, "Ann");
    expect(localStorage.getItem("connect-chat:previous")).toBeNull();
  });

  it("drops a saved token older than the longest chat, keeping the contact for a continuation", () => {
    const store = new SessionStore();
    store.saveActive(chat);
    const savedAt = JSON.parse(sessionStorage.getItem("connect-chat:session")).savedAt;
    const maxAgeMs = 1500 * 60_000;
    expect(store.loadActive({ maxAgeMs, now: savedAt + maxAgeMs })).toMatchObject(chat);
    expect(store.loadActive({ maxAgeMs, now: savedAt + maxAgeMs + 1 })).toBeNull();
    expect(sessionStorage.getItem("connect-chat:session")).toBeNull();
    expect(store.loadPrevious()).toMatchObject({ resumeToken: "rt-1" });
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
    const store = new SessionStore(blocked, blocked);
    expect(store.saveActive(chat)).toBe(false);
    expect(store.loadActive()).toBeNull();
    expect(() => store.finish("rt-1", "Ann")).not.toThrow();
    expect(store.loadPrevious()).toBeNull();
  });
});
