// Builds the body of the start-chat POST (PascalCase, see wire-contract.md).
import { t } from "../i18n/index.js";

export const TEXT_PLAIN = "text/plain";
export const TEXT_MARKDOWN = "text/markdown";
export const INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive";
export const INTERACTIVE_RESPONSE =
  "application/vnd.amazonaws.connect.message.interactive.response";

// StartChatContact rejects a request without text/plain; the interactive types let a flow
// or Lex bot send list pickers etc. and receive our selections.
export const SUPPORTED_CONTENT_TYPES = Object.freeze([
  TEXT_PLAIN,
  TEXT_MARKDOWN,
  INTERACTIVE,
  INTERACTIVE_RESPONSE,
]);

export const MAX_DISPLAY_NAME = 256;

export class StartChatInputError extends Error {
  constructor(field, message) {
    super(message);
    this.name = "StartChatInputError";
    this.field = field;
  }
}

function newClientToken() {
  return globalThis.crypto.randomUUID();
}

/**
 * @param {object} input
 * @param {string} input.displayName
 * @param {Record<string,string>} [input.attributes] only keys from config.preChatFields or the host's setAttributes
 * @param {object} input.config validated config.json
 * @param {string|null} [input.resumeToken] the API's token for the chat series to continue
 * @param {string} [input.clientToken] one per attempt, so a retried POST does not start two chats
 */
export function buildStartChatRequest({
  displayName,
  attributes = {},
  config,
  resumeToken = null,
  clientToken = newClientToken(),
}) {
  // trim() removes the whitespace set the handler removes too; Connect counts characters, so
  // code points ([...name]), not UTF-16 units (name.length). tests/vectors/display-names.json.
  const name = typeof displayName === "string" ? displayName.trim() : "";
  if (name === "") throw new StartChatInputError("Name", t("prechat.nameMissing"));
  if ([...name].length > MAX_DISPLAY_NAME) {
    throw new StartChatInputError("Name", t("prechat.nameTooLong", { max: MAX_DISPLAY_NAME }));
  }
  const cleanAttributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === "") continue;
    cleanAttributes[key] = String(value);
  }
  const body = {
    ParticipantDetails: { DisplayName: name },
    Attributes: cleanAttributes,
    SupportedMessagingContentTypes: [...SUPPORTED_CONTENT_TYPES],
    ChatDurationInMinutes: config.chatDurationInMinutes,
    ClientToken: clientToken,
  };
  if (resumeToken && config.features.persistentChat) {
    // The API swaps the token for the series' first contact, which ENTIRE_PAST_SESSION needs.
    body.PersistentChat = {
      RehydrationType: "ENTIRE_PAST_SESSION",
      SourceContactId: resumeToken,
    };
  }
  return body;
}
