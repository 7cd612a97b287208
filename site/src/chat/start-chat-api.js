// POSTs the start-chat request and turns every failure into a message a visitor understands.
//
// What the browser lets the page see (docs/embedding.md, "What the visitor is told"):
// - the handler's refusal of the page's origin: 403 FORBIDDEN_ORIGIN, readable (the handler
//   answers refused origins with CORS '*', see handler/cors.py);
// - a WAF block of the POST: API Gateway's WAF_FILTERED gateway response, 403 with CORS '*';
// - throttling, by API Gateway or by Connect: 429;
// - a WAF block or throttling of the preflight, a proxy's block, a network outage: an opaque
//   TypeError from fetch. The page cannot tell these apart, so it names them all.

export const PERSISTENT_CHAT_NOT_AUTHORIZED = "PERSISTENT_CHAT_NOT_AUTHORIZED";
export const INVALID_CUSTOMER_TOKEN = "INVALID_CUSTOMER_TOKEN";

// 403 codes that mean the stack is set up wrongly for this page, which only the site owner can
// fix: the handler's refusals, and API Gateway's answer for a path it does not have (a wrong
// apiEndpoint).
const SETUP_CODES = new Set([
  "FORBIDDEN_ORIGIN",
  "FORBIDDEN_INSTANCE",
  "FORBIDDEN_CONTACT_FLOW",
  "MISSING_AUTHENTICATION_TOKEN",
]);
// API Gateway's gateway response type for a request AWS WAF blocked.
const FIREWALL_CODE = "WAF_FILTERED";

import { t } from "../i18n/index.js";

export class StartChatError extends Error {
  /**
   * @param {string} userMessage what the visitor reads
   * @param {{status?: number, code?: string|null, requestId?: string|null}} [details]
   */
  constructor(userMessage, { status = 0, code = null, requestId = null } = {}) {
    super(userMessage);
    this.name = "StartChatError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

/**
 * The API's error object in a response body ({error: {code, message, requestId}}), or {}.
 * @param {unknown} body
 * @returns {{code?: unknown, message?: unknown, requestId?: unknown}}
 */
function errorOf(body) {
  if (body === null || typeof body !== "object" || !("error" in body)) return {};
  const { error } = body;
  return error !== null && typeof error === "object" ? error : {};
}

/**
 * Maps an HTTP status and the API's JSON error body to the text shown to the visitor.
 * @param {number} status
 * @param {unknown} body
 * @returns {string}
 */
export function friendlyApiError(status, body) {
  const error = errorOf(body);
  const serverMessage = typeof error.message === "string" ? error.message : "";
  const code = typeof error.code === "string" ? error.code : "";
  if (status === 429) return t("error.busy");
  if (status === 401) return t("error.signIn");
  if (status === 403) {
    if (SETUP_CODES.has(code)) return t("error.forbidden");
    if (code === FIREWALL_CODE) return t("error.firewall");
    return t("error.refused");
  }
  if (status === 400 && serverMessage) return serverMessage;
  return t("error.retry");
}

/**
 * The text for a fetch that failed without a response the page may read.
 * @param {{onLine?: boolean}} [navigatorLike]
 * @returns {string}
 */
export function unreachableText(navigatorLike = globalThis.navigator) {
  return navigatorLike?.onLine === false ? t("error.offline") : t("error.unreachable");
}

function startChatError(status, body) {
  const error = errorOf(body);
  return new StartChatError(friendlyApiError(status, body), {
    status,
    code: typeof error.code === "string" ? error.code : null,
    requestId: typeof error.requestId === "string" ? error.requestId : null,
  });
}

/**
 * @param {string} apiEndpoint
 * @param {object} requestBody
 * @param {typeof fetch} [fetchImpl]
 * @param {{customerToken?: string|null}} [options] the signed-in customer's JWT, sent as a
 *   bearer token (none: an anonymous start)
 * @returns {Promise<{chatDetails: {ContactId:string, ParticipantId:string, ParticipantToken:string,
 *   ContinuedFromContactId?:string}, featurePermissions: Record<string, boolean>,
 *   resumeToken: string|null}>}
 */
export async function postStartChat(
  apiEndpoint,
  requestBody,
  fetchImpl = fetch,
  { customerToken = null } = {},
) {
  /** @type {Record<string, string>} */
  const headers = { "Content-Type": "application/json" };
  if (customerToken) headers.Authorization = `Bearer ${customerToken}`;
  let response;
  try {
    response = await fetchImpl(apiEndpoint, {
      method: "POST",
      headers,
      body: JSON.stringify(requestBody),
      credentials: "omit",
    });
  } catch {
    throw new StartChatError(unreachableText());
  }
  let body;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) throw startChatError(response.status, body);
  const result = body?.data?.startChatResult;
  if (!result || !result.ContactId || !result.ParticipantId || !result.ParticipantToken) {
    throw new StartChatError(t("error.retry"), {
      status: response.status,
      code: "MalformedResponse",
    });
  }
  return {
    chatDetails: result,
    featurePermissions: body.data.featurePermissions ?? {},
    resumeToken:
      typeof body.data.resumeToken === "string" && body.data.resumeToken
        ? body.data.resumeToken
        : null,
  };
}
