// The widget's rules against the cases shared with the stack config, the handler and local
// mode (tests/vectors/*.json), and validateConfig against config.schema.json's verdicts.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, validateConfig } from "../src/chat/config.js";
import { cleanDisplayName } from "../src/chat/host-commands.js";
import { StartChatInputError, buildStartChatRequest } from "../src/chat/start-chat-request.js";

/**
 * @param {string} name
 * @returns {Record<string, any>[]} the file's cases
 */
const vectors = (name) =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, "../../tests/vectors", name), "utf8")).cases;

const base = { apiEndpoint: "https://api.example.com/prod/", region: "eu-west-2" };
const config = validateConfig(base);

/** @param {unknown} raw */
function verdict(raw) {
  try {
    validateConfig(raw);
    return { valid: true, key: null };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { valid: false, key: error.key };
  }
}

describe("allowed origins (tests/vectors/origins.json)", () => {
  it.each(vectors("origins.json"))("$origin", (c) => {
    const result = verdict({ ...base, allowedOrigins: [c.origin] });
    expect(result).toEqual(
      c.accepted.widget ? { valid: true, key: null } : { valid: false, key: "allowedOrigins[0]" },
    );
  });
});

describe("attribute keys (tests/vectors/attribute-keys.json)", () => {
  it.each(vectors("attribute-keys.json"))("$key", (c) => {
    const result = verdict({ ...base, preChatFields: [{ attribute: c.key, label: "Field" }] });
    expect(result).toEqual(
      c.accepted.widget
        ? { valid: true, key: null }
        : { valid: false, key: "preChatFields[0].attribute" },
    );
  });
});

describe("display names (tests/vectors/display-names.json)", () => {
  it.each(vectors("display-names.json"))("$why", (c) => {
    if (c.sent === null) {
      expect(() => buildStartChatRequest({ displayName: c.value, config })).toThrow(
        StartChatInputError,
      );
    } else {
      const body = buildStartChatRequest({ displayName: c.value, config, clientToken: "t" });
      expect(body.ParticipantDetails.DisplayName).toBe(c.sent);
    }
  });

  it("shortens a host's name to 256 characters without splitting an emoji", () => {
    const emoji = "\u{1F600}";
    expect(cleanDisplayName(` ${"a".repeat(255)}${emoji}${emoji} `)).toBe(
      `${"a".repeat(255)}${emoji}`,
    );
    expect(cleanDisplayName(emoji.repeat(300))).toBe(emoji.repeat(256));
  });
});

describe("attribute values (tests/vectors/attribute-values.json)", () => {
  it.each(vectors("attribute-values.json"))("$why", (c) => {
    const body = buildStartChatRequest({
      displayName: "Ann",
      attributes: { topic: c.value },
      config,
      clientToken: "t",
    });
    expect(body.Attributes).toEqual(c.sent === null ? {} : { topic: c.sent });
  });
});

describe("config.json documents (tests/vectors/config-documents.json, config.schema.json)", () => {
  it.each(vectors("config-documents.json"))("$why", (c) => {
    expect(verdict(c.document).valid).toBe(c.valid);
  });
});
