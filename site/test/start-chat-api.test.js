import { describe, expect, it } from "vitest";
import { t } from "../src/i18n/index.js";
import {
  StartChatError,
  friendlyApiError,
  postStartChat,
} from "../src/chat/start-chat-api.js";

const BUSY_TEXT = t("error.busy");
const FORBIDDEN_TEXT = t("error.forbidden");
const RETRY_TEXT = t("error.retry");
const errorBody = (code, message) => ({ error: { code, message, requestId: "req-1" } });
const jsonResponse = (status, body) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

describe("friendlyApiError", () => {
  it("maps 429 to the busy text", () => {
    expect(friendlyApiError(429, errorBody("TooManyRequests", "Rate exceeded"))).toBe(BUSY_TEXT);
    expect(BUSY_TEXT).toBe("We're busy right now. Please try again in a moment.");
  });
  it("maps 403 to the not-allowed text", () => {
    expect(friendlyApiError(403, errorBody("Forbidden", "origin"))).toBe(FORBIDDEN_TEXT);
    expect(FORBIDDEN_TEXT).toMatch(/isn't allowed to start chats/);
  });
  it("shows the server's message for 400 (it names the field)", () => {
    expect(friendlyApiError(400, errorBody("BadRequest", "Attributes.plan is not an allowed attribute"))).toBe(
      "Attributes.plan is not an allowed attribute",
    );
  });
  it.each([[500], [502], [503], [0], [400]])("falls back to a retry text for %i without a message", (status) => {
    expect(friendlyApiError(status, null)).toBe(RETRY_TEXT);
  });
});

describe("postStartChat", () => {
  const ok = {
    data: {
      startChatResult: { ContactId: "c-1", ParticipantId: "p-1", ParticipantToken: "tok" },
      featurePermissions: { ATTACHMENTS: true, MESSAGING_MARKDOWN: true },
    },
  };

  it("POSTs JSON with a Content-Type and returns the chat details", async () => {
    let seen;
    const result = await postStartChat("https://api/", { a: 1 }, async (url, init) => {
      seen = { url, init };
      return jsonResponse(200, ok);
    });
    expect(seen.url).toBe("https://api/");
    expect(seen.init.method).toBe("POST");
    expect(seen.init.headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(seen.init.body)).toEqual({ a: 1 });
    expect(result.chatDetails.ContactId).toBe("c-1");
    expect(result.featurePermissions.ATTACHMENTS).toBe(true);
  });

  it("turns an error body into a StartChatError with code and request id", async () => {
    const failure = postStartChat("https://api/", {}, async () => jsonResponse(429, errorBody("LimitExceeded", "x")));
    await expect(failure).rejects.toMatchObject({ name: "StartChatError", status: 429, code: "LimitExceeded", requestId: "req-1", message: BUSY_TEXT });
  });

  it("survives a non-JSON error page (e.g. a proxy's HTML 502)", async () => {
    const failure = postStartChat("https://api/", {}, async () => new Response("<html>Bad gateway</html>", { status: 502 }));
    await expect(failure).rejects.toMatchObject({ status: 502, message: RETRY_TEXT });
  });

  it("reports a network failure with the retry text", async () => {
    const failure = postStartChat("https://api/", {}, async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(failure).rejects.toBeInstanceOf(StartChatError);
    await expect(failure).rejects.toThrow(RETRY_TEXT);
  });

  it("rejects a 200 without chat details", async () => {
    await expect(postStartChat("https://api/", {}, async () => jsonResponse(200, { data: {} }))).rejects.toMatchObject({
      code: "MalformedResponse",
    });
  });
});
