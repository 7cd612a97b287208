import { describe, expect, it, vi } from "vitest";
import {
  bindHostCommands,
  cleanAttributes,
  cleanDisplayName,
  cleanLanguage,
  cleanTheme,
} from "../src/chat/host-commands.js";

describe("host command payloads", () => {
  it("trims and bounds display names", () => {
    expect(cleanDisplayName("  Ann ")).toBe("Ann");
    expect(cleanDisplayName("x".repeat(300))).toHaveLength(256);
    expect(cleanDisplayName({ name: "Ann" })).toBeNull();
  });

  it("keeps only flat scalar attributes, as strings", () => {
    expect(
      cleanAttributes({ topic: "Billing", count: 2, vip: true, nested: { a: 1 }, list: [1] }),
    ).toEqual({
      topic: "Billing",
      count: "2",
      vip: "true",
    });
    expect(cleanAttributes(["topic"])).toBeNull();
    expect(cleanAttributes("topic=x")).toBeNull();
  });

  it("accepts only a #rrggbb colour and a short title", () => {
    expect(cleanTheme({ primaryColor: "#0b6e4f", title: " Support " })).toEqual({
      primaryColor: "#0b6e4f",
      title: "Support",
    });
    expect(cleanTheme({ primaryColor: "red; background: url(x)" })).toBeNull();
    expect(cleanTheme({ title: "t".repeat(200) }).title).toHaveLength(80);
  });
});

describe("setLanguage payloads", () => {
  it("keep only a language the chat speaks, as the catalogue spells it", () => {
    expect(
      ["ar", "es-MX", "PT-br", "tlh", "", " ".repeat(40) + "fr", 42, { code: "fr" }].map(
        cleanLanguage,
      ),
    ).toEqual(["ar", "es", "pt-BR", null, null, null, null, null]);
  });

  it("reach the chat cleaned, and not at all when unsupported", () => {
    const handlers = {};
    const setLanguage = vi.fn();
    bindHostCommands(
      { on: (type, fn) => (handlers[type] = fn) },
      {
        open: vi.fn(),
        setDisplayName: vi.fn(),
        setAttributes: vi.fn(),
        theme: vi.fn(),
        setLanguage,
      },
    );
    handlers.setLanguage("ja-JP");
    handlers.setLanguage("xx");
    expect(setLanguage.mock.calls).toEqual([["ja"]]);
  });
});

describe("bindHostCommands", () => {
  it("drops malformed payloads before they reach the chat", () => {
    const handlers = {};
    const host = { on: (type, fn) => (handlers[type] = fn) };
    const actions = {
      open: vi.fn(),
      setDisplayName: vi.fn(),
      setAttributes: vi.fn(),
      theme: vi.fn(),
    };
    bindHostCommands(host, actions);
    handlers.setDisplayName(42);
    handlers.setAttributes("nope");
    handlers.theme({ primaryColor: "javascript:alert(1)" });
    expect(actions.setDisplayName).not.toHaveBeenCalled();
    expect(actions.setAttributes).not.toHaveBeenCalled();
    expect(actions.theme).not.toHaveBeenCalled();
    handlers.setDisplayName("Ann");
    handlers.open();
    expect(actions.setDisplayName).toHaveBeenCalledWith("Ann");
    expect(actions.open).toHaveBeenCalled();
  });
});
