import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, validateConfig } from "../src/chat/config.js";

const minimal = {
  apiEndpoint: "https://abc.execute-api.eu-west-2.amazonaws.com/prod/",
  region: "eu-west-2",
};

describe("validateConfig", () => {
  it("fills defaults for a minimal config", () => {
    const config = validateConfig(minimal);
    expect(config.participantEndpoint).toBeNull();
    expect(config.features).toEqual({
      attachments: false,
      persistentChat: true,
      markdown: true,
      postChatSurvey: false,
      customerFormatting: false,
    });
    expect(config.language).toBeNull();
    expect(config.persistentChat).toEqual({ offerForMinutes: 1440 });
    expect(config.chatDurationInMinutes).toBe(1500);
    expect(config.preChatFields).toEqual([]);
    expect(config.theme.title).toBe("Chat with us");
  });

  it("takes a supported widget language and refuses others, naming the key and the list", () => {
    expect(validateConfig({ ...minimal, language: "pt-BR" }).language).toBe("pt-BR");
    expect(() => validateConfig({ ...minimal, language: "pt-br" })).toThrow(
      'config.json: "language" must be one of en, es, fr, de, pt-BR, ja, ar (or absent for the browser\'s), got "pt-br"',
    );
    expect(() => validateConfig({ ...minimal, language: 7 })).toThrow(ConfigError);
  });

  it("reads the survey and formatting switches as booleans only", () => {
    const config = validateConfig({
      ...minimal,
      features: { postChatSurvey: true, customerFormatting: true },
    });
    expect([config.features.postChatSurvey, config.features.customerFormatting]).toEqual([
      true,
      true,
    ]);
    expect(() => validateConfig({ ...minimal, features: { postChatSurvey: "yes" } })).toThrow(
      'config.json: "features.postChatSurvey" must be true or false',
    );
  });

  it("accepts the architecture document's example", () => {
    const config = validateConfig({
      ...minimal,
      participantEndpoint: "http://127.0.0.1:8082",
      allowedOrigins: ["https://www.example.com"],
      features: { attachments: true, persistentChat: true, markdown: true },
      persistentChat: { offerForMinutes: 90 },
      chatDurationInMinutes: 1500,
      preChatFields: [
        {
          attribute: "topic",
          label: "Topic",
          type: "select",
          options: ["Billing", "Sales"],
          required: false,
        },
      ],
      theme: { title: "Chat with us", primaryColor: "#1f4fd1" },
    });
    expect(config.participantEndpoint).toBe("http://127.0.0.1:8082");
    expect(config.persistentChat).toEqual({ offerForMinutes: 90 });
    expect(config.preChatFields[0]).toMatchObject({
      attribute: "topic",
      type: "select",
      options: ["Billing", "Sales"],
    });
  });

  it("accepts a continuation window from 1 minute to 30 days and names the rule otherwise", () => {
    expect(
      validateConfig({ ...minimal, persistentChat: { offerForMinutes: 1 } }).persistentChat
        .offerForMinutes,
    ).toBe(1);
    expect(
      validateConfig({ ...minimal, persistentChat: { offerForMinutes: 43200 } }).persistentChat
        .offerForMinutes,
    ).toBe(43200);
    expect(() => validateConfig({ ...minimal, persistentChat: { offerForMinutes: -5 } })).toThrow(
      'config.json: "persistentChat.offerForMinutes" must be a whole number of minutes from 1 to 43200 (30 days)',
    );
  });

  it.each([
    [{ region: "eu-west-2" }, "apiEndpoint"],
    [{ ...minimal, apiEndpoint: "ftp://x" }, "apiEndpoint"],
    [{ ...minimal, apiEndpoint: "not a url" }, "apiEndpoint"],
    [{ ...minimal, region: "Europe" }, "region"],
    [{ ...minimal, participantEndpoint: "wss://x" }, "participantEndpoint"],
    [{ ...minimal, allowedOrigins: "https://a.com" }, "allowedOrigins"],
    [{ ...minimal, allowedOrigins: ["https://a.com/"] }, "allowedOrigins[0]"],
    [{ ...minimal, allowedOrigins: ["https://a.com/path"] }, "allowedOrigins[0]"],
    [{ ...minimal, features: { attachments: "yes" } }, "features.attachments"],
    [{ ...minimal, persistentChat: true }, "persistentChat"],
    [{ ...minimal, persistentChat: { offerForMinutes: 0 } }, "persistentChat.offerForMinutes"],
    [{ ...minimal, persistentChat: { offerForMinutes: 43201 } }, "persistentChat.offerForMinutes"],
    [{ ...minimal, persistentChat: { offerForMinutes: 1.5 } }, "persistentChat.offerForMinutes"],
    [{ ...minimal, persistentChat: { offerForMinutes: "1440" } }, "persistentChat.offerForMinutes"],
    [{ ...minimal, chatDurationInMinutes: 59 }, "chatDurationInMinutes"],
    [{ ...minimal, chatDurationInMinutes: 10081 }, "chatDurationInMinutes"],
    [
      { ...minimal, preChatFields: [{ attribute: "bad key!", label: "X" }] },
      "preChatFields[0].attribute",
    ],
    [{ ...minimal, preChatFields: [{ attribute: "a", label: "" }] }, "preChatFields[0].label"],
    [
      { ...minimal, preChatFields: [{ attribute: "a", label: "A", type: "date" }] },
      "preChatFields[0].type",
    ],
    [
      { ...minimal, preChatFields: [{ attribute: "a", label: "A", type: "select" }] },
      "preChatFields[0].options",
    ],
    [
      {
        ...minimal,
        preChatFields: [
          { attribute: "a", label: "A" },
          { attribute: "a", label: "B" },
        ],
      },
      "preChatFields",
    ],
    [{ ...minimal, theme: { primaryColor: "blue" } }, "theme.primaryColor"],
    [[], "(root)"],
  ])("rejects %j naming the key %s", (raw, key) => {
    /** @type {any} */
    let caught;
    try {
      validateConfig(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught.key).toBe(key);
    expect(caught.message).toContain(`"${key}"`);
  });
});

describe("loadConfig", () => {
  const respond =
    (body, status = 200) =>
    async () =>
      new Response(body, { status });

  it("fetches config.json without cache and validates it", async () => {
    /** @type {any} */
    let seen;
    const fetchImpl = async (url, init) => {
      seen = { url, init };
      return new Response(JSON.stringify(minimal));
    };
    const config = await loadConfig(fetchImpl);
    expect(seen.url).toBe("config.json");
    expect(seen.init.cache).toBe("no-store");
    expect(config.region).toBe("eu-west-2");
  });

  it("reports a missing file, broken JSON and a network failure as ConfigError", async () => {
    await expect(loadConfig(respond("nope", 404))).rejects.toThrow(/HTTP 404/);
    await expect(loadConfig(respond("{not json"))).rejects.toThrow(/not valid JSON/);
    await expect(
      loadConfig(async () => {
        throw new TypeError("Failed to fetch");
      }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
