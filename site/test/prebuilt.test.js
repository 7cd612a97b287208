import { describe, expect, it } from "vitest";
import { validateConfig } from "../src/chat/config.js";
import { prebuiltChatArgs } from "../src/prebuilt/chat-interface-args.js";

describe("prebuiltChatArgs", () => {
  it("maps config.json onto connect.ChatInterface.initiateChat's arguments", () => {
    const config = validateConfig({
      apiEndpoint: "https://api.example.com/prod/",
      region: "eu-west-2",
      chatDurationInMinutes: 120,
      features: { attachments: true, markdown: true },
    });
    const args = prebuiltChatArgs(config, "Ann", { topic: "Billing" });
    expect(args).toMatchObject({
      name: "Ann",
      region: "eu-west-2",
      apiGatewayEndpoint: "https://api.example.com/prod/",
      chatDurationInMinutes: 120,
      featurePermissions: { ATTACHMENTS: true, MESSAGING_MARKDOWN: true },
    });
    // The prebuilt widget parses these two from strings (wire-contract.md).
    expect(JSON.parse(args.contactAttributes)).toEqual({ topic: "Billing" });
    expect(args.supportedMessagingContentTypes.split(",")).toContain("text/plain");
  });
});
