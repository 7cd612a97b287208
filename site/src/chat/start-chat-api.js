// POSTs the start-chat request and turns every failure into a message a visitor understands.

export const BUSY_TEXT = "We're busy right now. Please try again in a moment.";
export const FORBIDDEN_TEXT =
  "This site isn't allowed to start chats. Please contact the site owner.";
export const RETRY_TEXT = "We couldn't start the chat. Please check your connection and try again.";
export const SIGN_IN_TEXT = "We couldn't confirm who you are. Please sign in again and retry.";
export const PERSISTENT_CHAT_NOT_AUTHORIZED = "PERSISTENT_CHAT_NOT_AUTHORIZED";
export const INVALID_CUSTOMER_TOKEN = "INVALID_CUSTOMER_TOKEN";

export class StartChatError extends Error {
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
  if (status === 429) return BUSY_TEXT;
  if (status === 401) return SIGN_IN_TEXT;
  if (status === 403) return FORBIDDEN_TEXT;
  if (status === 400 && serverMessage) return serverMessage;
  return RETRY_TEXT;
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
 *   ContinuedFromContactId?:string}, featurePermissions: Record<string, boolean>,
 *   resumeToken: string|null}>}
 */
export async function postStartChat(apiEndpoint, requestBody, fetchImpl = fetch, { customerToken = null } = {}) {
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
    throw new StartChatError(RETRY_TEXT);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) throw startChatError(response.status, body);
  const result = body?.data?.startChatResult;
  if (!result || !result.ContactId || !result.ParticipantId || !result.ParticipantToken) {
    throw new StartChatError(RETRY_TEXT, { status: response.status, code: "MalformedResponse" });
  }
  return {
    chatDetails: result,
    featurePermissions: body.data.featurePermissions ?? {},
    resumeToken: typeof body.data.resumeToken === "string" && body.data.resumeToken ? body.data.resumeToken : null,
  };
}
