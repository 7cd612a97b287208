import { afterEach, describe, expect, it, vi } from "vitest";
import { t } from "../src/i18n/index.js";
import {
  StartChatError,
  friendlyApiError,
  postStartChat,
  unreachableText,
} from "../src/chat/start-chat-api.js";

const FIREWALL_TEXT = t("error.firewall");
const OFFLINE_TEXT = t("error.offline");
const REFUSED_TEXT = t("error.refused");
const UNREACHABLE_TEXT = t("error.unreachable");

const BUSY_TEXT = t("error.busy");
const FORBIDDEN_TEXT = t("error.forbidden");
const RETRY_TEXT = t("error.retry");
const errorBody = (code, message) => ({ error: { code, message, requestId: "req-1" } });
const jsonResponse = (status, body) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

describe("friendlyApiError", () => {
  it("maps 429 to the busy text", () => {
    expect(friendlyApiError(429, errorBody("TooManyRequests", "Rate exceeded"))).toBe(BUSY_TEXT);
    expect(BUSY_TEXT).toBe("We're busy right now. Please try again in a moment.");
  });
  it.each([
    "FORBIDDEN_ORIGIN",
    "FORBIDDEN_INSTANCE",
    "FORBIDDEN_CONTACT_FLOW",
    "MISSING_AUTHENTICATION_TOKEN",
  ])("tells the visitor that the site owner must fix a %s refusal", (code) => {
    expect(
      friendlyApiError(
        403,
        errorBody(code, "This site is not allowed to start chats (ALLOWED_ORIGINS)"),
      ),
    ).toBe(FORBIDDEN_TEXT);
  });
  it("names a WAF block (API Gateway's WAF_FILTERED response) as the firewall, not the site", () => {
    // The gateway response body as components/chat_api.py's template renders it.
    const waf = { error: { code: "WAF_FILTERED", message: "Forbidden", requestId: "gw-1" } };
    expect(friendlyApiError(403, waf)).toBe(FIREWALL_TEXT);
  });
  it.each([[null], [errorBody("SOMETHING_NEW", "x")], [{ error: { code: 403 } }], ["Forbidden"]])(
    "does not guess a cause for a 403 it cannot place: %j",
    (body) => {
      expect(friendlyApiError(403, body)).toBe(REFUSED_TEXT);
    },
  );
  it("gives each cause its own honest text and a next step", () => {
    expect(FORBIDDEN_TEXT).toBe(
      "This site isn't set up to start chats yet. Please let the site owner know, or contact us another way.",
    );
    expect(FIREWALL_TEXT).toBe(
      "Our firewall blocked this request. Please try again in a few minutes; if you use a VPN or proxy, turning it off may help. You can also contact us another way.",
    );
    expect(REFUSED_TEXT).toBe(
      "The chat service refused this request. Please try again later, or contact us another way.",
    );
    expect(UNREACHABLE_TEXT).toBe(
      "We couldn't reach the chat service: a firewall or a network problem may be blocking it. Please try again in a few minutes, or contact us another way.",
    );
    expect(
      new Set([
        FORBIDDEN_TEXT,
        FIREWALL_TEXT,
        REFUSED_TEXT,
        UNREACHABLE_TEXT,
        OFFLINE_TEXT,
        BUSY_TEXT,
        RETRY_TEXT,
      ]).size,
    ).toBe(7);
  });
  it("shows the server's message for 400 (it names the field)", () => {
    expect(
      friendlyApiError(400, errorBody("BadRequest", "Attributes.plan is not an allowed attribute")),
    ).toBe("Attributes.plan is not an allowed attribute");
  });
  it.each([[500], [502], [503], [0], [400]])(
    "falls back to a retry text for %i without a message",
    (status) => {
      expect(friendlyApiError(status, null)).toBe(RETRY_TEXT);
    },
  );
});

describe("postStartChat", () => {
  afterEach(() => vi.unstubAllGlobals());
  const ok = {
    data: {
      startChatResult: { ContactId: "c-1", ParticipantId: "p-1", ParticipantToken: "tok" },
      featurePermissions: { ATTACHMENTS: true, MESSAGING_MARKDOWN: true },
    },
  };

  it("POSTs JSON with a Content-Type and returns the chat details", async () => {
    /** @type {any} */
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
    const failure = postStartChat("https://api/", {}, async () =>
      jsonResponse(429, errorBody("LimitExceeded", "x")),
    );
    await expect(failure).rejects.toMatchObject({
      name: "StartChatError",
      status: 429,
      code: "LimitExceeded",
      requestId: "req-1",
      message: BUSY_TEXT,
    });
  });

  it("survives a non-JSON error page (e.g. a proxy's HTML 502)", async () => {
    const failure = postStartChat(
      "https://api/",
      {},
      async () => new Response("<html>Bad gateway</html>", { status: 502 }),
    );
    await expect(failure).rejects.toMatchObject({ status: 502, message: RETRY_TEXT });
  });

  it("reports an opaque failure (CORS-less block, outage) as unreachable, naming firewall and network", async () => {
    vi.stubGlobal("navigator", { onLine: true });
    const failure = postStartChat("https://api/", {}, async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(failure).rejects.toBeInstanceOf(StartChatError);
    await expect(failure).rejects.toMatchObject({
      status: 0,
      code: null,
      message: UNREACHABLE_TEXT,
    });
  });

  it("reports an opaque failure while the browser is offline as offline", async () => {
    vi.stubGlobal("navigator", { onLine: false });
    const failure = postStartChat("https://api/", {}, async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(failure).rejects.toMatchObject({ status: 0, message: OFFLINE_TEXT });
  });

  it("says offline when the browser knows it is", () => {
    expect(unreachableText({ onLine: false })).toBe(OFFLINE_TEXT);
    expect(unreachableText({ onLine: true })).toBe(UNREACHABLE_TEXT);
    expect(unreachableText(undefined)).toBe(UNREACHABLE_TEXT);
  });

  it("reads the handler's origin refusal and the gateway's WAF block apart", async () => {
    const refusal = postStartChat("https://api/", {}, async () =>
      jsonResponse(403, errorBody("FORBIDDEN_ORIGIN", "not allowed")),
    );
    await expect(refusal).rejects.toMatchObject({
      status: 403,
      code: "FORBIDDEN_ORIGIN",
      message: FORBIDDEN_TEXT,
    });
    const waf = postStartChat("https://api/", {}, async () =>
      jsonResponse(403, errorBody("WAF_FILTERED", "Forbidden")),
    );
    await expect(waf).rejects.toMatchObject({
      status: 403,
      code: "WAF_FILTERED",
      message: FIREWALL_TEXT,
    });
  });

  it("rejects a 200 without chat details", async () => {
    await expect(
      postStartChat("https://api/", {}, async () => jsonResponse(200, { data: {} })),
    ).rejects.toMatchObject({
      code: "MalformedResponse",
    });
  });
});
