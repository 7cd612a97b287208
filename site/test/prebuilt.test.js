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

describe("prebuiltInitProblem", () => {
  it("names the style directives the bundle tripped", async () => {
    const { prebuiltInitProblem } = await import("../src/prebuilt/chat-interface-args.js");
    const text = prebuiltInitProblem(
      new Set(["style-src-elem", "img-src"]),
      new Error("styled-components #10"),
    );
    expect(text).toContain("style-src-elem");
    expect(text).toContain("'unsafe-inline'");
    expect(text).not.toContain("img-src");
  });

  it("passes other failures through", async () => {
    const { prebuiltInitProblem } = await import("../src/prebuilt/chat-interface-args.js");
    expect(prebuiltInitProblem(new Set(), new Error("boom"))).toMatch(/boom$/);
  });
});
