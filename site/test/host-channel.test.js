import { describe, expect, it, vi } from "vitest";
import {
  HostChannel,
  isAllowedOrigin,
  readHostCommand,
  resolveHostOrigin,
} from "../src/chat/host-channel.js";

const own = "https://chat.example.net";
const allowed = ["https://www.example.com"];

describe("isAllowedOrigin", () => {
  it("accepts our own origin and listed origins only, exactly", () => {
    expect(isAllowedOrigin(own, allowed, own)).toBe(true);
    expect(isAllowedOrigin("https://www.example.com", allowed, own)).toBe(true);
    expect(isAllowedOrigin("http://www.example.com", allowed, own)).toBe(false);
    expect(isAllowedOrigin("https://www.example.com.evil.io", allowed, own)).toBe(false);
    expect(isAllowedOrigin("null", allowed, own)).toBe(false);
    expect(isAllowedOrigin("", allowed, own)).toBe(false);
  });
});

describe("resolveHostOrigin", () => {
  const base = { allowedOrigins: allowed, ownOrigin: own };
  const search = "?host=https%3A%2F%2Fwww.example.com";

  it("trusts the ?host claim when the browser confirms it", () => {
    expect(
      resolveHostOrigin({ ...base, search, ancestorOrigins: ["https://www.example.com"] }),
    ).toBe("https://www.example.com");
    expect(
      resolveHostOrigin({ ...base, search, referrer: "https://www.example.com/shop/cart" }),
    ).toBe("https://www.example.com");
  });

  it("refuses a claim the browser contradicts", () => {
    expect(resolveHostOrigin({ ...base, search, ancestorOrigins: ["https://evil.io"] })).toBeNull();
    expect(resolveHostOrigin({ ...base, search, referrer: "https://evil.io/" })).toBeNull();
  });

  it("refuses origins not in allowedOrigins and a missing claim", () => {
    expect(
      resolveHostOrigin({
        ...base,
        search: "?host=https%3A%2F%2Fevil.io",
        ancestorOrigins: ["https://evil.io"],
      }),
    ).toBeNull();
    expect(
      resolveHostOrigin({ ...base, search: "", ancestorOrigins: ["https://www.example.com"] }),
    ).toBeNull();
  });
});

describe("readHostCommand", () => {
  const parentWindow = {};
  const event = (over) => ({
    origin: "https://www.example.com",
    source: parentWindow,
    data: { source: "connect-chat", type: "open" },
    ...over,
  });
  const context = { hostOrigin: "https://www.example.com", parentWindow };

  it("accepts a well-formed command from the embedding page", () => {
    expect(readHostCommand(event({}), context)).toEqual({ type: "open", payload: undefined });
  });

  it.each([
    ["another origin", { origin: "https://evil.io" }],
    ["another window", { source: {} }],
    ["foreign messages", { data: { type: "open" } }],
    ["unknown commands", { data: { source: "connect-chat", type: "eval" } }],
    ["non-objects", { data: "open" }],
  ])("ignores %s", (_, over) => {
    expect(readHostCommand(event(over), context)).toBeNull();
  });

  it("ignores the host's origin when the sender window cannot be checked", () => {
    expect(readHostCommand(event({ source: null }), { ...context, parentWindow: null })).toBeNull();
    expect(readHostCommand(event({}), { hostOrigin: context.hostOrigin })).toBeNull();
  });

  it("ignores everything when not embedded", () => {
    expect(readHostCommand(event({}), { hostOrigin: null, parentWindow })).toBeNull();
  });
});

describe("HostChannel", () => {
  it("posts to the parent with the host origin as target", () => {
    const parent = { postMessage: vi.fn() };
    const channel = new HostChannel({
      hostOrigin: "https://www.example.com",
      window: { parent, addEventListener() {} },
    });
    channel.send("close");
    expect(parent.postMessage).toHaveBeenCalledWith(
      { source: "connect-chat", type: "close", payload: undefined },
      "https://www.example.com",
    );
  });

  it("dispatches only checked commands to handlers", () => {
    /** @type {(event: object) => void} */
    let listener;
    const parent = { postMessage() {} };
    const win = { parent, addEventListener: (_, fn) => (listener = fn) };
    const channel = new HostChannel({ hostOrigin: "https://www.example.com", window: win });
    const setName = vi.fn();
    channel.on("setDisplayName", setName);
    channel.start();
    listener({
      origin: "https://evil.io",
      source: parent,
      data: { source: "connect-chat", type: "setDisplayName", payload: "Eve" },
    });
    listener({
      origin: "https://www.example.com",
      source: parent,
      data: { source: "connect-chat", type: "setDisplayName", payload: "Ann" },
    });
    expect(setName).toHaveBeenCalledTimes(1);
    expect(setName).toHaveBeenCalledWith("Ann");
  });

  it("does not post anything when it is not embedded", () => {
    const parent = { postMessage: vi.fn() };
    new HostChannel({ hostOrigin: null, window: { parent, addEventListener() {} } }).send("ready");
    expect(parent.postMessage).not.toHaveBeenCalled();
  });
});
