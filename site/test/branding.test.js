// config.json's theme against the shared vectors (components/widget_branding.py is tested
// against the same file), display names, and the host's theme.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { primaryColourProblem } from "../src/chat/branding.js";
import { ConfigError, DEFAULT_THEME, validateConfig } from "../src/chat/config.js";
import { cleanTheme } from "../src/chat/host-commands.js";
import { loadLocale } from "../src/i18n/index.js";
import { senderName } from "../src/chat/ui/message-list.js";

/** @type {{valid: {widget: object, theme: object}[], invalid: {widget: object, field: string, rule: string}[]}} */
const VECTORS = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "../../tests/vectors/widget-branding.json"), "utf8"),
);
const BASE = { apiEndpoint: "https://api.example.com/", region: "eu-west-2" };

describe("config.json theme: the shared vectors", () => {
  it.each(VECTORS.valid)("accepts $theme", ({ theme }) => {
    expect(validateConfig({ ...BASE, theme }).theme).toEqual({ ...DEFAULT_THEME, ...theme });
  });

  it.each(VECTORS.invalid)("refuses theme.$field: $rule", ({ widget, field, rule }) => {
    /** @type {any} */
    let refused;
    try {
      // The vectors hold only branding keys and the title: a widget object is a theme.
      validateConfig({ ...BASE, theme: widget });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused.key).toBe(`theme.${field}`);
    expect(refused.message).toContain(rule);
  });
});

describe("primary colour contrast", () => {
  it("keeps every colour that was valid before (black or white text always reaches AA)", () => {
    const refused = [];
    for (let r = 0; r < 256; r += 5) {
      for (let g = 0; g < 256; g += 5) {
        for (let b = 0; b < 256; b += 5) {
          const colour = `#${[r, g, b].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
          if (primaryColourProblem(colour) !== null) refused.push(colour);
        }
      }
    }
    expect(refused).toEqual([]);
    expect(primaryColourProblem("#12345")).toBe("must be a #rrggbb colour");
  });
});

describe("display names", () => {
  const agent = { role: "agent", participantRole: "AGENT", displayName: "Alex" };
  const customBot = { role: "agent", participantRole: "CUSTOM_BOT", displayName: "HelperBot" };
  const lexBot = { role: "system", participantRole: "SYSTEM", displayName: "BOT" };
  const flow = { role: "system", participantRole: "SYSTEM", displayName: "SYSTEM_MESSAGE" };
  const names = { agent: "Support team", bot: "Assistant", system: "Acme" };

  it("replace the agent's, a bot's and the system's names when the stack sets them", () => {
    expect([agent, customBot, lexBot, flow].map((item) => senderName(item, names))).toEqual([
      "Support team",
      "Assistant",
      "Assistant",
      "Acme",
    ]);
  });

  it("fall back to the name on the wire, then the role's label", () => {
    expect([agent, customBot, lexBot, flow].map((item) => senderName(item))).toEqual([
      "Alex",
      "HelperBot",
      "Bot",
      "SYSTEM_MESSAGE",
    ]);
    expect(
      senderName({ role: "customer", participantRole: "CUSTOMER", displayName: "Ann" }, names),
    ).toBe("You");
    expect(senderName({ role: "agent", participantRole: "AGENT", displayName: "" })).toBe("Agent");
  });

  it("label the roles in the chat's language, the stack's names as set", async () => {
    await loadLocale("ja");
    try {
      expect([
        senderName(lexBot),
        senderName({ role: "customer", participantRole: "CUSTOMER", displayName: "Ann" }),
        senderName({ role: "agent", participantRole: "AGENT", displayName: "" }),
        senderName({ role: "system", participantRole: "SYSTEM", displayName: "" }),
        senderName(lexBot, names),
      ]).toEqual(["ボット", "あなた", "担当者", "システム", "Assistant"]);
    } finally {
      await loadLocale("en");
    }
  });
});

describe("the host's theme", () => {
  it("keeps each valid branding field and drops each invalid one alone", () => {
    expect(
      cleanTheme({
        primaryColor: "#0b6e4f",
        title: " Support ",
        logo: "javascript:alert(1)",
        fontFamily: "Georgia, serif",
        fontUrl: "/fonts/brand.woff2",
        displayNames: { agent: "Team", bot: "", customer: "x" },
        position: "left",
      }),
    ).toEqual({
      primaryColor: "#0b6e4f",
      title: "Support",
      fontFamily: "Georgia, serif",
      fontUrl: "/fonts/brand.woff2",
      displayNames: { agent: "Team" },
    });
    expect(cleanTheme({ logo: "https://cdn.example.com/l.png", fontUrl: "/f.woff2" })).toEqual({
      logo: "https://cdn.example.com/l.png",
    });
  });
});
