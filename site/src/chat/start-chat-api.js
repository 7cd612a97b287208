// POSTs the start-chat request and turns every failure into a message a visitor understands.
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

/** Maps an HTTP status and the API's JSON error body to the text shown to the visitor. */
export function friendlyApiError(status, body) {
  const error = body && typeof body === "object" ? body.error : null;
  const serverMessage = error && typeof error.message === "string" ? error.message : "";
  if (status === 429) return t("error.busy");
  if (status === 403) return t("error.forbidden");
  if (status === 400 && serverMessage) return serverMessage;
  return t("error.retry");
}

function startChatError(status, body) {
  const error = body && typeof body === "object" && body.error ? body.error : {};
  return new StartChatError(friendlyApiError(status, body), {
    status,
    code: typeof error.code === "string" ? error.code : null,
    requestId: typeof error.requestId === "string" ? error.requestId : null,
  });
}

/**
 * @returns {Promise<{chatDetails: {ContactId:string, ParticipantId:string, ParticipantToken:string,
 *   ContinuedFromContactId?:string}, featurePermissions: Record<string, boolean>}>}
 */
export async function postStartChat(apiEndpoint, requestBody, fetchImpl = fetch) {
  let response;
  try {
    response = await fetchImpl(apiEndpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(requestBody),
      credentials: "omit",
    });
  } catch {
    throw new StartChatError(t("error.retry"));
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
    throw new StartChatError(t("error.retry"), { status: response.status, code: "MalformedResponse" });
  }
  return {
    chatDetails: result,
    featurePermissions: body.data.featurePermissions ?? {},
  };
}
