import { describe, expect, it } from "vitest";
import { validateConfig } from "../src/chat/config.js";
import { StartChatInputError, buildStartChatRequest } from "../src/chat/start-chat-request.js";

const config = validateConfig({
  apiEndpoint: "https://api.example.com/",
  region: "eu-west-2",
  chatDurationInMinutes: 90,
});

describe("buildStartChatRequest", () => {
  it("uses the PascalCase fields of the wire contract", () => {
    const body = buildStartChatRequest({
      displayName: "  Ann  ",
      attributes: { topic: "Billing" },
      config,
      clientToken: "t-1",
    });
    expect(body).toEqual({
      ParticipantDetails: { DisplayName: "Ann" },
      Attributes: { topic: "Billing" },
      SupportedMessagingContentTypes: [
        "text/plain",
        "text/markdown",
        "application/vnd.amazonaws.connect.message.interactive",
        "application/vnd.amazonaws.connect.message.interactive.response",
      ],
      ChatDurationInMinutes: 90,
      ClientToken: "t-1",
    });
  });

  it("never lets the client pick the instance or the flow", () => {
    const body = buildStartChatRequest({ displayName: "Ann", config });
    expect(body).not.toHaveProperty("InstanceId");
    expect(body).not.toHaveProperty("ContactFlowId");
  });

  it("gives every attempt a fresh random ClientToken", () => {
    const a = buildStartChatRequest({ displayName: "Ann", config }).ClientToken;
    const b = buildStartChatRequest({ displayName: "Ann", config }).ClientToken;
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });

  it("sends attribute values as strings and drops empty ones", () => {
    const body = buildStartChatRequest({
      displayName: "Ann",
      attributes: /** @type {any} */ ({ count: 3, empty: "", none: null }),
      config,
    });
    expect(body.Attributes).toEqual({ count: "3" });
  });

  it("continues the previous chat through PersistentChat", () => {
    const body = buildStartChatRequest({ displayName: "Ann", config, resumeToken: "rt-0" });
    expect(body.PersistentChat).toEqual({
      RehydrationType: "ENTIRE_PAST_SESSION",
      SourceContactId: "rt-0",
    });
  });

  it("leaves PersistentChat out when the feature is off", () => {
    const off = validateConfig({
      apiEndpoint: "https://api.example.com/",
      region: "eu-west-2",
      features: { persistentChat: false },
    });
    expect(
      buildStartChatRequest({ displayName: "Ann", config: off, resumeToken: "rt-0" }),
    ).not.toHaveProperty("PersistentChat");
  });

  it.each([[""], ["   "], ["x".repeat(257)]])("rejects the display name %j", (name) => {
    expect(() => buildStartChatRequest({ displayName: name, config })).toThrow(StartChatInputError);
  });
});
